/**
 * One catalog file, synchronously: text → YAML document → value → declarations. The part of loading that costs
 * CPU (the rest waits on the disk); the same code whether the catalog is loaded on the main thread or in a worker
 * (load-in-worker.ts), and the same parse again, from the text, when a released document is needed to point at
 * a line (see ParsedSourceFile).
 */
import type { Diagnostic } from './model.js';
import type { SectionName } from './format/catalog-file.js';
import type { TokenBudget } from './load/lex-yaml.js';
import type { LoadLimits } from './load/limits.js';
import { parseYaml } from './load/parse-yaml.js';
import type { Reparse } from './load/source-file.js';
import { documentToValue } from './load/to-value.js';
import { collectDeclarations, harvestNames, sectionsMentioned, type FileDeclarations } from './validate/declarations.js';

/**
 * YAML errors after which the document's structure still means what it says: the file is validated anyway,
 * so one duplicate key does not hide its other problems. After any other YAML error (syntax, limits) the
 * structure is unreliable; only its identifiers are kept (for duplicates and suggestions), and references to the
 * kinds it mentions are not checked: they may be declared in the part the parser lost.
 */
const STRUCTURE_PRESERVING = new Set(['yaml-duplicate-key', 'yaml-tag', 'yaml-non-string-key', 'yaml-multiple-documents', 'yaml-merge-key', 'non-finite-number']);

/** Text → document → value: the document's problems, then the value's (none when the file could not be parsed). */
function parseSource(path: string, text: string, limits: LoadLimits, budget?: TokenBudget) {
  const parsed = parseYaml(path, text, limits, budget);
  const converted = parsed.file ? documentToValue(parsed.file, limits) : undefined; // fills in what each alias stands for
  return { parsed, converted };
}

/**
 * The document of a file already parsed once, again: the same text and limits give the same nodes, aliases and
 * line starts. Only for a text that parsed (with no token budget left to run out of).
 */
export function reparseSource(path: string, text: string, limits: LoadLimits): ReturnType<Reparse> {
  const file = parseSource(path, text, limits).parsed.file!;
  return { doc: file.doc, aliasTargets: file.aliasTargets, lineCounter: file.lineCounter };
}

export type LoadedFile =
  /** The file parsed: what it declares (validated, or only its identifiers when its structure is unreliable). */
  | { declarations: FileDeclarations }
  /** It did not: the sections it may declare in; `stop` when the catalog's token budget ran out ("this file and the rest"). */
  | { declarations?: undefined; unreadable: SectionName[]; stop: boolean };

/** One file's text → document → value → declarations, its problems reported as they are found. */
export function loadSourceText(path: string, text: string, limits: LoadLimits, budget: TokenBudget, report: (d: Diagnostic) => void): LoadedFile {
  const { parsed, converted } = parseSource(path, text, limits, budget);
  // No push(...list): a hostile file can produce more diagnostics than a call takes arguments.
  parsed.diagnostics.forEach(report);
  if (!parsed.file || !converted) {
    // Nothing of it could be read.
    return { unreadable: sectionsMentioned(text), stop: parsed.diagnostics.some((d) => d.code === 'catalog-too-large') };
  }
  converted.diagnostics.forEach(report);
  const preservesStructure = (d: Diagnostic) => d.severity !== 'error' || STRUCTURE_PRESERVING.has(d.code);
  const structureIntact = parsed.diagnostics.every(preservesStructure) && converted.diagnostics.every(preservesStructure);
  const declarations = structureIntact ? collectDeclarations(parsed.file, converted.value, report) : harvestNames(parsed.file, converted.value, text);
  // The file's document goes now, not after the last file: only a problem reported later needs it, and then it
  // is parsed again from the text (see ParsedSourceFile).
  parsed.file.release(() => reparseSource(path, text, limits));
  return { declarations };
}
