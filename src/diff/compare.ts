/**
 * Field-level comparison of a desired document against a live one, honouring "a field left out is not managed".
 *
 * The live document is first projected onto the desired one: keys the catalog does not set are dropped, except
 * under paths that are complete sets (entitlements, prices, a price's charge-catalog prices, their charges,
 * metadata), where a live-only key is a removal. fast-json-patch then computes the operations, which become
 * value-to-value changes.
 */
import jsonpatch from 'fast-json-patch';
import type { Comparable } from './normalize.js';

export interface FieldChange {
  /** Path segments below the resource, e.g. ['prices', 'PAID USD', 'trialPeriod']. */
  path: string[];
  kind: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
}

/** Paths (segments, `*` = any key) whose value is a complete set: live-only keys are differences. */
const COMPLETE_SETS: string[][] = [
  ['metadata'],
  ['entitlements'],
  ['prices'],
  ['prices', '*', 'chargeCatalogPrice'],
  ['prices', '*', 'chargeCatalogPrice', '*', 'charges'],
];

function isCompleteSet(path: string[]): boolean {
  return COMPLETE_SETS.some((pattern) => pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The part of `live` that `desired` manages. */
export function project(live: unknown, desired: unknown, path: string[] = []): unknown {
  if (isPlainObject(live) && isPlainObject(desired)) {
    const complete = isCompleteSet(path);
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(live)) {
      if (key in desired) result[key] = project(value, desired[key], [...path, key]);
      else if (complete) result[key] = value;
    }
    return result;
  }
  // Arrays of objects of the same length (tiers, links) compare element by element with the same rule.
  if (Array.isArray(live) && Array.isArray(desired) && live.length === desired.length) {
    return live.map((item, index) => project(item, desired[index], [...path, String(index)]));
  }
  return live;
}

export function compareDocuments(live: Comparable | undefined, desired: Comparable): FieldChange[] {
  const projected = (live === undefined ? {} : project(live, desired)) as Comparable;
  // A live resource holding no user metadata (none, empty, or only the managed-by marker, which the live model
  // drops) holds the empty record, and one with no links the empty list: `metadata: {}` and `links: []` in a
  // file say exactly that, so they are no change.
  if (live !== undefined) {
    if (isPlainObject(desired.metadata) && Object.keys(desired.metadata).length === 0 && projected.metadata === undefined) projected.metadata = {};
    if (Array.isArray(desired.links) && desired.links.length === 0 && projected.links === undefined) projected.links = [];
  }
  return documentChanges(projected, desired);
}

/** Every difference between two whole documents, value to value (no projection: both sides are complete). */
export function documentChanges(before: Comparable, after: Comparable): FieldChange[] {
  return jsonpatch.compare(before, after).map((operation): FieldChange => {
    const path = operation.path.split('/').slice(1).map(unescapePointer);
    const previous = valueAt(before, path);
    if (operation.op === 'remove') return { path, kind: 'remove', before: previous };
    const next = 'value' in operation ? operation.value : undefined;
    return previous === undefined ? { path, kind: 'add', after: next } : { path, kind: 'replace', before: previous, after: next };
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(document: unknown, path: string[]): unknown {
  let current: unknown = document;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
