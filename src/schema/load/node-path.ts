/**
 * Finding the YAML node behind a path of keys and list indexes (the paths zod reports, the pointers of
 * `SourceLocator`), through aliases, so a problem is reported where it was written: a key for an unknown or
 * missing key, the value for a wrong value.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SourceLocation } from '../model.js';
import { locationOfNode, type SourceFile } from './source-file.js';

export type PathSegment = string | number;

export interface NodeLookup {
  /** The node at the full path, when it exists. */
  node?: Node;
  /** The key node of the last step, when the last step is a mapping key that exists. */
  key?: Node;
  /** The deepest node that exists on the way (the node itself when found). */
  deepest: Node | undefined;
  found: boolean;
}

function resolveAlias(file: SourceFile, node: unknown): Node | undefined {
  if (isAlias(node)) return file.aliasTargets.get(node);
  return (node ?? undefined) as Node | undefined;
}

function findPair(map: Node, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair;
  }
  return undefined;
}

export function lookupNode(file: SourceFile, start: Node | undefined, path: readonly PathSegment[]): NodeLookup {
  let current = resolveAlias(file, start);
  let key: Node | undefined;
  for (const segment of path) {
    if (!current) return { deepest: current, found: false };
    let next: unknown;
    key = undefined;
    if (isSeq(current) && typeof segment === 'number') {
      next = current.items[segment];
      if (next === undefined) return { deepest: current, found: false };
    } else if (isMap(current)) {
      const pair = findPair(current, String(segment));
      if (!pair) return { deepest: current, found: false };
      key = pair.key as Node;
      next = pair.value;
      // `key:` with nothing after it: the pair exists, its value is an empty (null) node or none at all.
      if (next === null || next === undefined) return { node: undefined, key, deepest: key, found: true };
    } else {
      return { deepest: current, found: false };
    }
    current = resolveAlias(file, next) ?? (next as Node);
  }
  return { node: current, key, deepest: current, found: true };
}

/** Where to point for a problem with the VALUE at `path` (falls back to the key, then the deepest ancestor). */
export function locateValue(file: SourceFile, start: Node | undefined, path: readonly PathSegment[]): SourceLocation {
  const lookup = lookupNode(file, start, path);
  // `key:` with nothing written after it: the empty value sits at the end of the line; the key reads better.
  const emptyValue = isScalar(lookup.node) && lookup.node.source === '' && lookup.key;
  return locationOfNode(file, (emptyValue ? lookup.key : lookup.node) ?? lookup.key ?? lookup.deepest ?? start);
}

/** Where to point for a problem with the KEY at `path` (falls back to the value, then the deepest ancestor). */
export function locateKey(file: SourceFile, start: Node | undefined, path: readonly PathSegment[]): SourceLocation {
  const lookup = lookupNode(file, start, path);
  return locationOfNode(file, lookup.key ?? lookup.node ?? lookup.deepest ?? start);
}
