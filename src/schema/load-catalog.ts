/**
 * `loadCatalog(path)`: files → text → YAML → values → validated items → merged catalog → catalog-wide rules,
 * collecting every problem on the way (never throwing for bad input) and returning the canonical model only
 * when there is no error.
 */
import type { Catalog, Diagnostic, LoadResult, Policy } from './model.js';
import { error, hasErrors, sortDiagnostics } from './diagnostics.js';
import { locationOfNode } from './load/source-file.js';
import { related } from './rules/context.js';
import { discoverCatalogFiles } from './load/discover-files.js';
import { DEFAULT_LIMITS, type LoadLimits } from './load/limits.js';
import { parseYaml } from './load/parse-yaml.js';
import { decodeSource, readFileBytes } from './load/read-source.js';
import { documentToValue } from './load/to-value.js';
import { createLocator } from './locator.js';
import { CATALOG_RULES } from './rules/index.js';
import { mergeDeclarations } from './rules/merge.js';
import { SECTION_NAMES, type SectionName } from './format/catalog-file.js';
import { collectDeclarations, harvestNames, sectionsMentioned, type FileDeclarations } from './validate/declarations.js';

export interface LoadOptions {
  /** Tighter or looser safety limits (tests, unusual catalogs). */
  limits?: Partial<LoadLimits>;
}

/**
 * YAML errors after which the document's structure still means what it says: the file is validated anyway,
 * so one duplicate key does not hide its other problems. After any other YAML error (syntax, limits) the
 * structure is unreliable; only its identifiers are kept (for duplicates and suggestions), and references to the
 * kinds it mentions are not checked: they may be declared in the part the parser lost.
 */
const STRUCTURE_PRESERVING = new Set(['yaml-duplicate-key', 'yaml-tag', 'yaml-non-string-key', 'yaml-multiple-documents', 'yaml-merge-key', 'non-finite-number']);

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  // An aliased item is validated once per use; its problems are reported once.
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.code}|${d.file}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The document of a file already parsed once, again: the same text and limits give the same nodes and aliases. */
function reparse(path: string, text: string, limits: LoadLimits) {
  const file = parseYaml(path, text, limits).file!;
  documentToValue(file, limits); // fills in what each alias stands for
  return { doc: file.doc, aliasTargets: file.aliasTargets };
}

export async function loadCatalog(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const limits: LoadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => void diagnostics.push(d);

  const discovered = await discoverCatalogFiles(path, limits);
  discovered.diagnostics.forEach(report);
  // Kinds some file may declare where it cannot be read: references to them that are not found are not errors.
  const unreadable = new Set<SectionName>();
  const unreadableAll = () => SECTION_NAMES.forEach((section) => unreadable.add(section));
  if (discovered.incomplete) unreadableAll();

  const budget = { remainingBytes: limits.maxTotalBytes };
  const tokenBudget = { remainingTokens: limits.maxTotalNodes };
  const files: string[] = [];
  const declarations: FileDeclarations[] = [];
  // Parsing is synchronous; the next file's bytes are read meanwhile.
  let next = discovered.files[0] ? readFileBytes(discovered.files[0].path, limits) : undefined;
  for (const [position, ref] of discovered.files.entries()) {
    const bytes = await next!;
    const following = discovered.files[position + 1];
    next = following ? readFileBytes(following.path, limits) : undefined;
    const read = decodeSource(ref.path, bytes, limits, budget);
    if (read.text === undefined) {
      read.diagnostics.forEach(report);
      unreadableAll();
      if (read.diagnostics.some((d) => d.code === 'catalog-too-large')) break; // said once: "this file and the rest"
      continue;
    }
    files.push(ref.path);
    const parsed = parseYaml(ref.path, read.text, limits, tokenBudget);
    // No push(...list): a hostile file can produce more diagnostics than a call takes arguments.
    parsed.diagnostics.forEach(report);
    if (!parsed.file) {
      sectionsMentioned(read.text).forEach((section) => unreadable.add(section)); // nothing of it could be read
      if (parsed.diagnostics.some((d) => d.code === 'catalog-too-large')) {
        unreadableAll();
        break; // said once: "this file and the rest"
      }
      continue;
    }
    const converted = documentToValue(parsed.file, limits);
    converted.diagnostics.forEach(report);
    const preservesStructure = (d: Diagnostic) => d.severity !== 'error' || STRUCTURE_PRESERVING.has(d.code);
    const structureIntact = parsed.diagnostics.every(preservesStructure) && converted.diagnostics.every(preservesStructure);
    declarations.push(structureIntact ? collectDeclarations(parsed.file, converted.value, report) : harvestNames(parsed.file, converted.value, read.text));
    // The file's document goes now, not after the last file: only a problem reported later needs it, and then it
    // is parsed again from the text (see ParsedSourceFile).
    const { text } = read;
    parsed.file.release(() => reparse(ref.path, text, limits));
  }

  const { index, firstDeclarations } = mergeDeclarations(declarations, unreadable, report);
  const policy = onePolicy(declarations, report);
  const context = { ...index, report };
  for (const rule of CATALOG_RULES) rule(context);

  const sorted = sortDiagnostics(dedupe(diagnostics), discovered.files.map((file) => file.path));
  const result: LoadResult = { diagnostics: sorted, locations: createLocator(firstDeclarations), files };
  if (!hasErrors(sorted)) {
    const catalog: Catalog = {
      products: declarations.flatMap((file) => file.items.products.map((item) => item.value)),
      features: declarations.flatMap((file) => file.items.features.map((item) => item.value)),
      plans: declarations.flatMap((file) => file.items.plans.map((item) => item.value)),
    };
    result.catalog = catalog;
    if (policy) result.policy = policy;
  }
  return result;
}

/** A catalog has at most one `policy`: a second one is an error at its key, pointing at the first. */
function onePolicy(declarations: FileDeclarations[], report: (d: Diagnostic) => void): Policy | undefined {
  const found = declarations.flatMap((file) => (file.policy ? [file.policy] : []));
  const [first, ...others] = found;
  if (!first) return undefined;
  const firstAt = locationOfNode(first.file, first.key);
  for (const other of others) {
    report(
      error('duplicate-policy', 'a second `policy`: a catalog has at most one; merge its rules into the first', locationOfNode(other.file, other.key), [
        related(firstAt, 'first policy here'),
      ]),
    );
  }
  return first.value;
}
