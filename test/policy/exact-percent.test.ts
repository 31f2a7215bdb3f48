/** max-price-change decides on the decimals as written: an increase of exactly the limit is within it. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { changeBeyondPercent } from '../../src/policy/exact-percent.js';

describe('changeBeyondPercent', () => {
  test('exactly the limit is within it, where floating point says 20.000000000000004', () => {
    expect(((0.42 - 0.35) / 0.35) * 100).toBeGreaterThan(20); // why this module exists
    expect(changeBeyondPercent(0.35, 0.42, 20)).toBe(false);
    expect(changeBeyondPercent(49, 63.7, 30)).toBe(false);
    expect(changeBeyondPercent(49, 34.3, 30)).toBe(false); // -30% exactly
    expect(changeBeyondPercent(0.35, 0.4201, 20)).toBe(true);
    expect(changeBeyondPercent(49, 63.71, 30)).toBe(true);
    expect(changeBeyondPercent(49, 34.29, 30)).toBe(true);
  });

  test('fractional limits, tiny and huge amounts, and changes from 0', () => {
    expect(changeBeyondPercent(40, 45, 12.5)).toBe(false);
    expect(changeBeyondPercent(40, 45.001, 12.5)).toBe(true);
    expect(changeBeyondPercent(0.0000001, 0.00000012, 20)).toBe(false); // String(1e-7) is "1e-7"
    expect(changeBeyondPercent(0.0000001, 0.000000121, 20)).toBe(true);
    expect(changeBeyondPercent(1e21, 1.2e21, 20)).toBe(false); // "1e+21"
    expect(changeBeyondPercent(0, 0.01, 1000)).toBe(true);
    expect(changeBeyondPercent(10, 10, 0)).toBe(false);
    expect(changeBeyondPercent(10, 10.01, 0)).toBe(true);
  });

  test('agrees with integer arithmetic on amounts in cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 200 }), (beforeCents, afterCents, limit) => {
        // |after - before| / before × 100 > limit  ⇔  |after - before| × 100 > limit × before, all in cents.
        const expected = Math.abs(afterCents - beforeCents) * 100 > limit * beforeCents;
        expect(changeBeyondPercent(beforeCents / 100, afterCents / 100, limit)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
