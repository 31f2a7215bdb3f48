import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cloneJson } from '../../src/emulator/model/clone.js';

/** Same own keys in the same order, same prototypes, same values, all the way down. */
function sameShape(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null) return Object.is(a, b);
  if (typeof b !== 'object' || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && sameShape((a as never)[key], (b as never)[key]));
}

describe('cloneJson', () => {
  test('gives what structuredClone gives for JSON values, as fresh objects', () => {
    const withProtoKey = fc.jsonValue().map((value) => JSON.parse(JSON.stringify({ a: value, __proto__x: value }).replace('"__proto__x"', '"__proto__"')) as unknown);
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), withProtoKey, fc.constant({ u: undefined, n: null, d: [1, { e: 'x' }] })), (value) => {
        const copy = cloneJson(value);
        expect(sameShape(copy, structuredClone(value))).toBe(true);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  test('leaves other objects to structuredClone', () => {
    const date = new Date(0);
    expect(cloneJson({ at: date }).at).toEqual(date);
    expect(cloneJson({ at: date }).at).not.toBe(date);
  });
});
