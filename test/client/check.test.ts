/**
 * The check-only twin of each wire schema (src/client/check.ts) must never call valid what zod rejects, and
 * where both accept, zod's output must be the body itself (the client then returns the body without zod's copy).
 * Bodies are real emulator answers, mutated at random places.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { checkerFor } from '../../src/client/check.js';
import * as wire from '../../src/client/wire.js';

const SCHEMAS = Object.entries(wire).flatMap(([name, value]): Array<[string, z.ZodType]> => (value instanceof z.ZodType ? [[name, value]] : []));

const feature = {
  id: 'f-1', identifier: 'seats', name: 'Seats', description: null, featureType: 'METER', featureDetails: { unit: 'seat' },
  meter: null, details: {}, metadata: { managedBy: 'kelviq-catalog', n: 1 }, isArchived: false, modifiedOn: '2026-01-01T00:00:00Z',
};
const SAMPLES: Array<[string, z.ZodType, unknown]> = [
  ['FeatureWire', wire.FeatureWire, feature],
  ['page of EntitlementWire', wire.paginated(wire.EntitlementWire), {
    count: 2, next: null, previous: null,
    results: [
      { feature, details: { value: 10, hasUnlimitedUsage: false, reset: 'MONTHLY', resetTime: null, usageAlerts: { enabled: true, thresholds: [50, 90], thresholdType: 'PERCENT' } } },
      { feature: { ...feature, identifier: 'sso', featureType: 'BOOLEAN' }, details: { value: true, extra: [1, 2] } },
    ],
  }],
  ['page of PriceWire', wire.paginated(wire.PriceWire), {
    count: 1, next: 'http://x/?page=2', previous: null,
    results: [{
      id: 'p-1', priceType: 'PAID', currency: 'USD', freeTrial: false, trialPeriod: 0, enabled: true, taxBehavior: 'EXCLUSIVE',
      chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: '29.00' }, tiers: [{ unitAmount: 1, upTo: 'inf' }, { flatAmount: null, upTo: 10 }] }] }],
    }],
  }],
  ['PlanWire', wire.PlanWire, {
    identifier: 'pro', name: 'Pro', description: '', product: 'u-1', metadata: {}, version: 3, isLatest: true, details: null, isVisible: true,
    countries: ['US'], license: { enabled: false, activationLimit: 3 }, links: [{ name: 'a', url: 'b' }], files: [], ordering: 1, extra: { deep: [null] },
  }],
  ['ProductRetrieveWire', wire.ProductRetrieveWire, { id: 'u', identifier: 'p', name: 'P', images: [{ id: 'i', thumbnail: true }], plans: ['a'] }],
  ['page of SubscriptionWire', wire.paginated(wire.SubscriptionWire), { count: 1, next: null, previous: null, results: [{ id: 's', status: 'active', plan: { identifier: 'pro' } }] }],
];

/** Every path into a JSON value. */
function paths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...at, index])));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...at, key]));
  return out;
}

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

function mutate(body: unknown, path: Array<string | number>, mutation: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  if (path.length === 0) return mutation.kind === 'set' ? mutation.value : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mutation.kind === 'set') parent[last] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key] = mutation.value;
  }
  // Through JSON text, as a response body arrives (JSON.parse makes "__proto__" an own key).
  return JSON.parse(JSON.stringify(copy).replace('"__proto_key__"', '"__proto__"')) as unknown;
}

const jsonValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, '', 'x', [], {}, [1], { a: 1 }, ['x']),
  fc.jsonValue({ maxDepth: 2 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: jsonValue }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('id', 'extra', '__proto_key__', 'constructor', 'toString'), value: jsonValue }),
);

describe('the check-only twin agrees with zod', () => {
  test('every wire schema has a twin (none falls back to zod for valid bodies)', () => {
    expect(SCHEMAS.length).toBeGreaterThanOrEqual(20);
    for (const [name, schema] of SCHEMAS) expect(checkerFor(schema), name).not.toBeNull();
  });

  for (const [name, schema, body] of SAMPLES) {
    test(`${name}: the unmutated body is valid to both, and zod's output equals it`, () => {
      expect(checkerFor(schema)!(body)).toBe(true);
      expect(schema.parse(body)).toEqual(body);
    });

    test(`${name}: on mutated bodies, valid to the twin ⇒ valid to zod with the body as output`, () => {
      const all = paths(body);
      fc.assert(
        fc.property(fc.nat({ max: all.length - 1 }), mutation, (index, change) => {
          const mutated = mutate(body, all[index]!, change);
          const parsed = schema.safeParse(mutated);
          const fast = checkerFor(schema)!(mutated);
          if (fast) {
            expect(parsed.success).toBe(true);
            expect(parsed.data).toEqual(mutated);
          } else if (!JSON.stringify(mutated)?.includes('"__proto__"')) {
            // Outside the one case it leaves to zod on purpose, the twin is not stricter than zod either.
            expect(parsed.success).toBe(false);
          }
        }),
        { numRuns: 400 },
      );
    });
  }
});
