/** The zod format schemas on their own: shorthand expansions and what they refuse. */
import { describe, expect, test } from 'vitest';
import { entitlementInput } from '../../src/schema/format/entitlement.js';
import { chargeCatalogPriceInput, tierInput } from '../../src/schema/format/price.js';
import { planInput } from '../../src/schema/format/plan.js';

describe('entitlement shorthands', () => {
  test.each([
    [true, { value: true }],
    [false, { value: false }],
    [5, { value: 5 }],
    [0, { value: 0 }],
    ['unlimited', { hasUnlimitedUsage: true }],
    [{ value: 3, reset: 'EVERY_DAY', hardLimit: true }, { value: 3, reset: 'EVERY_DAY', hardLimit: true }],
    [{ resetTime: null, value: 1 }, { resetTime: null, value: 1 }],
  ])('%j → %j', (input, expected) => {
    expect(entitlementInput.parse(input)).toEqual(expected);
  });

  test.each([['Unlimited'], [-1], [null], [[1]], [{ value: 'x' }], [{ isInherited: true }], [Number.POSITIVE_INFINITY]])('refuses %j', (input) => {
    expect(entitlementInput.safeParse(input).success).toBe(false);
  });
});

describe('prices', () => {
  test('a charge-catalog price without feature is the plan fee: feature null', () => {
    const parsed = chargeCatalogPriceInput.parse({ priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 1 } }] });
    expect(parsed.feature).toBeNull();
    expect(chargeCatalogPriceInput.parse({ feature: null, priceModel: 'FLAT', charges: [{}] }).feature).toBeNull();
    expect(chargeCatalogPriceInput.parse({ feature: 'seats', priceModel: 'FLAT', charges: [{}] }).feature).toBe('seats');
  });

  test.each([[1], [1000], ['inf']])('tier upTo %j is kept as is', (upTo) => {
    expect(tierInput.parse({ upTo, unitAmount: 1 }).upTo).toBe(upTo);
  });

  test.each([[0], [1.5], ['INF'], [null], [Number.POSITIVE_INFINITY]])('tier upTo %j is refused', (upTo) => {
    expect(tierInput.safeParse({ upTo, unitAmount: 1 }).success).toBe(false);
  });
});

describe('plans', () => {
  const minimal = { identifier: 'pro', product: 'acme', name: 'Pro' };

  test('left-out fields stay out (not managed); present ones are kept', () => {
    expect(planInput.parse(minimal)).toEqual(minimal);
    expect(planInput.parse({ ...minimal, entitlements: {}, prices: [] })).toEqual({ ...minimal, entitlements: {}, prices: [] });
  });

  test.each([['Pro'], ['-pro'], ['pro plan'], ['pro/plan'], ['']])('identifier %j is refused', (identifier) => {
    expect(planInput.safeParse({ ...minimal, identifier }).success).toBe(false);
  });

  test.each([['pro'], ['9'], ['pro_monthly-2']])('identifier %j is accepted', (identifier) => {
    expect(planInput.safeParse({ ...minimal, identifier }).success).toBe(true);
  });
});
