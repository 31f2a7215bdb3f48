/**
 * The outline of a catalog read from its text alone, before it is parsed: which plans it declares, whether each
 * one manages its entitlements and prices, and which products manage their settings. That is all the live reads
 * depend on (see LiveScope), so `plan` can start them while the catalog is still being parsed: the parse of a
 * 500-plan catalog takes longer than the reads it would otherwise hold back.
 *
 * A guess, checked: the outline is compared with the scope of the parsed catalog, and a run whose outline turns
 * out different reads again with the real scope (correct, a few requests more). To be right whenever it answers,
 * it reads only the plain block style that `fmt`, `pull` and people write, line by line, and gives up (answers
 * nothing) on whatever could make a line mean something other than it looks: anchors, aliases, tags, merge keys,
 * complex keys, several documents, tabs in indentation, quoted or flow values that span lines, flow items. The
 * cost is one pass over the text, a few milliseconds for 0.6 MB.
 */
import { stat } from 'node:fs/promises';
import { discoverCatalogFiles } from './discover-files.js';
import { DEFAULT_LIMITS } from './limits.js';
import { decodeSource, readFileBytes } from './read-source.js';

export interface CatalogOutline {
  products: Array<{ identifier: string; settings: boolean }>;
  plans: Array<{ identifier: string; entitlements: boolean; prices: boolean }>;
}

/** What was read of a catalog's text before it is parsed: its size, and its outline when every file has one. */
export interface CatalogText {
  /** Bytes of YAML in all its files, as listed (0 when they cannot be listed). */
  bytes: number;
  outline?: CatalogOutline;
}

/**
 * Reads and outlines every file of the catalog at `path`, within the loader's own limits (a file over them is
 * not read: the loader reports it); no outline when any file is beyond the outline or cannot be read.
 */
export async function outlineCatalog(path: string): Promise<CatalogText> {
  const discovered = await discoverCatalogFiles(path, DEFAULT_LIMITS).catch(() => undefined);
  if (!discovered) return { bytes: 0 };
  const sizes = await Promise.all(discovered.files.map((file) => stat(file.path).then((s) => s.size, () => 0)));
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  if (discovered.incomplete || discovered.diagnostics.length) return { bytes };
  // One file at a time, charged to the loader's total budget: a folder of huge files is not read whole here.
  const budget = { remainingBytes: DEFAULT_LIMITS.maxTotalBytes };
  const outline: CatalogOutline = { products: [], plans: [] };
  for (const file of discovered.files) {
    const read = decodeSource(file.path, await readFileBytes(file.path, DEFAULT_LIMITS), DEFAULT_LIMITS, budget);
    const part = read.text === undefined ? undefined : outlineText(read.text);
    if (!part) return { bytes };
    outline.products.push(...part.products);
    outline.plans.push(...part.plans);
  }
  return { bytes, outline };
}

/** A line that cannot be read for sure: the outline gives up. */
class Unsure extends Error {}

interface Line {
  indent: number;
  /** Column of the key, after any `- ` indicator. */
  keyColumn: number;
  dash: boolean;
  /** Undefined when the line (after `- `) is not `key:` form. */
  key?: string;
  /** What follows `key:` (or the dash, for a dash line without a key), comments removed, trimmed. */
  value: string;
}

const SECTION_ITEMS = new Set(['products', 'plans']);

/** The outline of one file's text, or undefined when the file is beyond what a line-by-line reading can be sure of. */
export function outlineText(source: string): CatalogOutline | undefined {
  try {
    return outline(source);
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

function outline(source: string): CatalogOutline {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  if (/\r(?!\n)/.test(text)) throw new Unsure(); // a lone CR is a line break to YAML
  const result: CatalogOutline = { products: [], plans: [] };
  let section: string | undefined; // the top-level key whose block we are in
  let sequenceIndent: number | undefined; // indent of the section's `-` lines
  let keyIndent: number | undefined; // indent of the current item's keys
  let awaitingKeys = false; // a bare `-` line: the item's keys start on the next line
  let item: { identifier?: string; flags: Set<string> } | undefined;
  let blockScalarOwner: number | undefined; // inside a `|`/`>` scalar owned by a key at this column
  let seenDocumentStart = false;

  const closeItem = () => {
    if (!item || section === undefined) return;
    if (item.identifier !== undefined) {
      if (section === 'products') result.products.push({ identifier: item.identifier, settings: item.flags.has('settings') });
      else result.plans.push({ identifier: item.identifier, entitlements: item.flags.has('entitlements'), prices: item.flags.has('prices') });
    }
    item = undefined;
  };

  for (const raw of text.split('\n')) {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const blank = !/\S/.test(lineText);
    const indent = /^ */.exec(lineText)![0].length; // YAML indents with spaces only
    const content = lineText.slice(indent);
    if (blockScalarOwner !== undefined) {
      if (blank || indent > blockScalarOwner) continue;
      blockScalarOwner = undefined;
    }
    if (blank || content.startsWith('#')) continue;
    if (/^\s/.test(content)) throw new Unsure(); // a tab (or other space) where indentation ends
    if (indent === 0 && content === '---' && section === undefined && !seenDocumentStart) {
      seenDocumentStart = true; // an explicit start of the one document
      continue;
    }
    if (indent === 0 && (/^(---|\.\.\.)(\s|$)/.test(content) || content.startsWith('%'))) throw new Unsure();
    const line = readLine(indent, content);
    if (isBlockScalarHeader(line.value)) blockScalarOwner = line.key !== undefined ? line.keyColumn : line.indent;

    if (indent === 0 && !line.dash) {
      // A top-level key: the section this block belongs to.
      closeItem();
      if (line.key === undefined) throw new Unsure();
      section = line.key;
      if (section === '<<') throw new Unsure(); // a merge key at the top could bring in a section
      sequenceIndent = keyIndent = undefined;
      awaitingKeys = false;
      if (SECTION_ITEMS.has(section) && line.value !== '' && line.value !== '[]') throw new Unsure(); // a flow list of items
      continue;
    }
    if (section === undefined) throw new Unsure(); // content before any key: not a mapping
    if (!SECTION_ITEMS.has(section)) continue; // features, policy, keys the format does not know: nothing to outline

    if (sequenceIndent === undefined) {
      if (!line.dash) throw new Unsure(); // the section is not a block list
      sequenceIndent = indent;
    }
    if (awaitingKeys) {
      awaitingKeys = false;
      if (line.dash || indent <= sequenceIndent) throw new Unsure();
      keyIndent = indent;
    }
    if (indent === sequenceIndent && line.dash) {
      closeItem();
      item = { flags: new Set() };
      if (line.key === undefined) {
        if (line.value !== '') throw new Unsure(); // `- {…}` or `- scalar`: not a block mapping item
        awaitingKeys = true;
        keyIndent = undefined;
        continue;
      }
      keyIndent = line.keyColumn;
      takeKey(item, line);
      continue;
    }
    if (keyIndent === undefined || indent < sequenceIndent || (indent > sequenceIndent && indent < keyIndent) || (indent === sequenceIndent && !line.dash)) {
      throw new Unsure();
    }
    if (indent > keyIndent || line.dash) continue; // inside a value (a compact list at the key's indent too)
    if (line.key === undefined) throw new Unsure();
    takeKey(item!, line);
  }
  closeItem();
  return result;
}

function takeKey(item: { identifier?: string; flags: Set<string> }, line: Line): void {
  if (line.key === '<<') throw new Unsure(); // a merge key could bring in entitlements or prices
  if (line.key === 'identifier') {
    if (/^[&*!]/.test(line.value)) throw new Unsure(); // a tag may make it another string, an alias another node
    item.identifier = scalarText(line.value);
  }
  else if (line.key === 'entitlements' || line.key === 'prices' || line.key === 'settings') item.flags.add(line.key);
}

/** `|`, `>-`, `|2+`…, possibly after an anchor or a tag (`&text |`, `!!str >`). */
const isBlockScalarHeader = (value: string) => /^(?:[&!][^\s]*\s+){0,2}[|>][1-9+-]{0,2}$/.test(value);

/**
 * One line, lexed as far as the outline needs: the `- ` indicator, the key, and the value with its comment
 * removed. Unsure when a quoted scalar or a flow collection stays open at the end of the line (it spans lines).
 * Anchors, aliases, tags, merge and complex keys are judged by the caller, where they matter: on the lines that
 * make the outline (an alias deep inside a plan's prices changes nothing the outline reads; one standing for a
 * whole plan, or a merge key among a plan's keys, could).
 */
function readLine(indent: number, content: string): Line {
  let rest = content;
  let keyColumn = indent;
  let dash = false;
  if (rest === '-' || rest.startsWith('- ')) {
    dash = true;
    const after = rest.slice(1);
    // An anchor on the item only names it: `- &pro` is still the item that follows.
    const trimmed = after.replace(/^\s*&[^\s[\]{},]+(?=\s|$)/, (anchor) => ' '.repeat(anchor.length)).trimStart();
    keyColumn = indent + 1 + (after.length - trimmed.length);
    rest = trimmed;
  }
  const stripped = stripComment(rest);
  const keyMatch = /^("[^"\\]*"|'(?:[^']|'')*'|[^\s"'#{}[\],&*!|>%@`?-][^]*?|[?-][^\s][^]*?)\s*:(?: +|$)/.exec(stripped);
  if (!keyMatch) return { indent, keyColumn, dash, value: stripped };
  return { indent, keyColumn, dash, key: scalarText(keyMatch[1]!), value: stripped.slice(keyMatch[0].length).trim() };
}

/** The line without its comment; Unsure when a quote or a flow bracket is still open at its end. */
function stripComment(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
      const end = closingQuote(text, i);
      if (end < 0) throw new Unsure();
      i = end;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      if (depth) throw new Unsure();
      return text.slice(0, i).trim();
    } else if (c === '[' || c === '{') depth += 1;
    else if ((c === ']' || c === '}') && depth) depth -= 1;
  }
  if (depth) throw new Unsure();
  return text.trim();
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 1;
      else return i;
    }
  }
  return -1;
}

/** A key or an identifier as YAML reads it: plain, or quoted without escapes. */
function scalarText(value: string): string {
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2 || value.includes('\\')) throw new Unsure();
    return value.slice(1, -1);
  }
  if (value.startsWith("'")) {
    if (!value.endsWith("'") || value.length < 2) throw new Unsure();
    return value.slice(1, -1).replace(/''/g, "'");
  }
  return value;
}
