/**
 * One catalog file's text → the same file in canonical key order and formatting, comments kept.
 *
 * Works on the parsed YAML document, not on the model: the pairs of each mapping are reordered where they are,
 * so every comment attached to a key or a value moves with it, anchors and aliases stay, and scalars keep the
 * style they were written in (quotes, block text). Then the document is printed with the options the writer
 * uses. List items and the keys of free-form or user-keyed mappings (metadata, entitlements) keep their order.
 *
 * Refuses (returns diagnostics, no text) a file the loader would refuse for its YAML: a syntax error, a second
 * document, a duplicate key, a tag, an alias problem. And it checks its own work: the formatted text must read
 * back as the very same value, or the file is left alone.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../model.js';
import { hasErrors } from '../diagnostics.js';
import { DEFAULT_LIMITS, type LoadLimits } from '../load/limits.js';
import { parseYaml } from '../load/parse-yaml.js';
import { documentToValue } from '../load/to-value.js';
import { isDeepStrictEqual } from 'node:util';
import { CATALOG_FILE_LAYOUT, keyRank, type Layout } from '../write/layout.js';
import { YAML_OUTPUT_OPTIONS } from '../write/yaml-output.js';

export type FormatTextResult =
  | { text: string; diagnostics: Diagnostic[] }
  | { text?: undefined; diagnostics: Diagnostic[]; /** Why fmt left a valid file alone. */ refused?: string };

export function formatCatalogText(path: string, source: string, limits: LoadLimits = DEFAULT_LIMITS): FormatTextResult {
  const parsed = parseYaml(path, source, limits);
  if (!parsed.file) return { diagnostics: parsed.diagnostics };
  const before = documentToValue(parsed.file, limits);
  const diagnostics = [...parsed.diagnostics, ...before.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };

  const { doc } = parsed.file;
  if (doc.contents === null) return { text: source, diagnostics }; // comments only, or nothing: nothing to order
  reorder(doc.contents, CATALOG_FILE_LAYOUT, 'root');

  const refused = {
    diagnostics,
    refused: 'putting its keys in canonical order would change what the file means (an alias would come before its anchor); left as it is',
  };
  let text: string;
  try {
    text = doc.toString(YAML_OUTPUT_OPTIONS);
  } catch {
    return refused; // the printer refuses an alias before its anchor
  }
  const reread = parseYaml(path, text, limits);
  if (!reread.file) return refused;
  const after = documentToValue(reread.file, limits);
  if (hasErrors([...reread.diagnostics, ...after.diagnostics]) || !isDeepStrictEqual(before.value, after.value)) return refused;
  return { text, diagnostics };
}

/** Where a mapping sits, which decides where the printer puts a comment written above its first key. */
type Position = 'root' | 'item' | 'value';

function reorder(node: unknown, layout: Layout, position: Position): void {
  if (!isCollection(node) || isAlias(node)) return;
  if (isSeq(node)) {
    const item = layout.kind === 'list' ? layout.item : undefined;
    if (item) for (const child of node.items) reorder(child, item, 'item');
    return;
  }
  if (!isMap(node)) return;
  const pairs = node.items as Array<Pair<unknown, unknown>>;
  if (layout.kind === 'object') {
    sortPairs(node, layout, position);
    for (const pair of pairs) {
      const key = keyOf(pair);
      const child = key === undefined ? undefined : layout.fields[key];
      if (child) reorder(pair.value, child, 'value');
    }
  } else if (layout.kind === 'map') {
    for (const pair of pairs) reorder(pair.value, layout.value, 'value');
  }
}

function keyOf(pair: Pair<unknown, unknown>): string | undefined {
  return isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/**
 * Stable sort by canonical rank, with comments kept where they belong:
 * - a comment above the first key of a block mapping that is a value (`settings:` then `# …` then `vpn: …`) is
 *   stored on the mapping; it describes that key, so it follows it, and whatever comment ends up above the new
 *   first key goes back to the mapping (where the printer puts it);
 * - a comment above a list item (`# …` then `- identifier: …`) describes the item and stays there; a comment that
 *   was above a key now first in the item joins it (a comment cannot sit between `- ` and the key);
 * - at the top of a file the comment above the first key is the file's header (the `$schema` modeline): it stays
 *   on top;
 * - inside `{ … }` comments sit on the keys themselves and simply move with them.
 */
function sortPairs(node: YAMLMap, layout: Extract<Layout, { kind: 'object' }>, position: Position): void {
  const pairs = node.items as Array<Pair<unknown, unknown>>;
  const rank = (pair: Pair<unknown, unknown>) => {
    const key = keyOf(pair);
    return key === undefined ? layout.keys.length : keyRank(layout, key);
  };
  const sorted = pairs.map((pair, index) => ({ pair, index })).sort((a, b) => rank(a.pair) - rank(b.pair) || a.index - b.index);
  if (sorted.every(({ index }, at) => index === at)) return;

  const oldFirst = pairs[0]?.key;
  const newFirst = sorted[0]?.pair.key;
  node.items = sorted.map(({ pair }) => pair);
  if (!isScalar(oldFirst) || !isScalar(newFirst) || oldFirst === newFirst || node.flow) return;

  if (position === 'root') {
    newFirst.commentBefore = joinComments(oldFirst.commentBefore, newFirst.commentBefore);
    oldFirst.commentBefore = undefined;
  } else if (position === 'value') {
    oldFirst.commentBefore = joinComments(node.commentBefore, oldFirst.commentBefore);
    node.commentBefore = newFirst.commentBefore;
    newFirst.commentBefore = undefined;
  } else {
    node.commentBefore = joinComments(node.commentBefore, newFirst.commentBefore);
    newFirst.commentBefore = undefined;
  }
  // A blank line that separated the new first key from the one above it has nothing to separate at the top.
  newFirst.spaceBefore = false;
}

function joinComments(first: string | null | undefined, second: string | null | undefined): string | undefined {
  const joined = [first, second].filter((part): part is string => !!part).join('\n');
  return joined || undefined;
}
