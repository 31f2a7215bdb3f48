/**
 * The plan's words for a price change, from the same comparison the planner makes: what a reviewer reads for a
 * tier added, a period added, a package price and a price removed, and the paths JSON keeps in words.
 */
import { describe, expect, test } from 'vitest';
import { compareDocuments } from '../../src/diff/compare.js';
import { comparablePlan } from '../../src/diff/normalize.js';
import type { Plan, Price } from '../../src/schema/model.js';
import { describeAction } from '../../src/apply/describe.js';
import type { Action } from '../../src/apply/actions.js';

const plan = (prices: Price[]): Plan => ({ identifier: 'pro', product: 'acme', name: 'Pro', prices });

/** What `plan` prints for replacing `live` prices with `desired` ones. */
function linesFor(live: Price[], desired: Price[]): string[] {
  const changes = compareDocuments(comparablePlan(plan(live)), comparablePlan(plan(desired)));
  const action: Action = { id: 'replace-prices:pro', dependsOn: [], kind: 'replace-prices', plan: 'pro', draft: { kind: 'new-draft', publishedVersion: 1, creates: 2 }, changes, prices: desired };
  return describeAction(action).details;
}

const usd = (items: Price['chargeCatalogPrice']): Price => ({ priceType: 'PAID', currency: 'USD', chargeCatalogPrice: items });
const fee = (amount: number, period: 'MONTHLY' | 'YEARLY' = 'MONTHLY') => ({ chargePeriod: period, priceData: { amount } });

describe('a changed price set in words', () => {
  test('a tier added reads as the whole tier list before → after', () => {
    const before = usd([{ feature: 'api-calls', priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 1000, unitAmount: 0 }, { upTo: 'inf', unitAmount: 0.002 }] }] }]);
    const after = usd([{ feature: 'api-calls', priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 1000, unitAmount: 0 }, { upTo: 10000, unitAmount: 0.002 }, { upTo: 'inf', unitAmount: 0.001, flatAmount: 5 }] }] }]);
    expect(linesFor([before], [after])).toEqual([
      '! price PAID USD',
      '    USD, monthly api-calls: up to 1,000: 0 per unit; above 1,000: 0.002 per unit → up to 1,000: 0 per unit; up to 10,000: 0.002 per unit; above 10,000: 0.001 per unit + 5 flat',
    ]);
  });

  test('a period added, a package price changed, a feature charge removed', () => {
    const before = usd([
      { feature: null, priceModel: 'FLAT', charges: [fee(49)] },
      { feature: 'seats', priceModel: 'PACKAGE', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 10, block_size: 5 } }] },
      { feature: 'storage', priceModel: 'FLAT', charges: [fee(3)] },
    ]);
    const after = usd([
      { feature: null, priceModel: 'FLAT', charges: [fee(59), fee(590, 'YEARLY')] },
      { feature: 'seats', priceModel: 'PACKAGE', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 12, block_size: 5 } }] },
    ]);
    expect(linesFor([before], [after])).toEqual([
      '! price PAID USD',
      '    USD, monthly plan fee: 49 → 59 (+20%)',
      '    USD, yearly plan fee: 590 (new period)',
      '    USD, monthly seats: 10 per package of 5 → 12 per package of 5',
      '    - storage (FLAT) removed',
      '        monthly: 3',
    ]);
  });

  test('a price removed and one added show every value they hold', () => {
    const eur: Price = { priceType: 'PAID', currency: 'EUR', freeTrial: true, trialPeriod: 14, chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [fee(45)] }] };
    const gbp: Price = { priceType: 'PAID', currency: 'GBP', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [fee(39)] }] };
    expect(linesFor([usd([{ feature: null, priceModel: 'FLAT', charges: [fee(49)] }]), eur], [usd([{ feature: null, priceModel: 'FLAT', charges: [fee(49)] }]), gbp])).toEqual([
      '- price PAID EUR, free trial 14 days (removed)',
      '-     plan fee (FLAT)',
      '-       monthly: 45',
      '+ price PAID GBP (new)',
      '+     plan fee (FLAT)',
      '+       monthly: 39',
    ]);
  });
});

test('plan fields: settings added whole read key by key, metadata and links by name', () => {
  const action: Action = {
    id: 'update-plan:pro',
    dependsOn: [],
    kind: 'update-plan',
    plan: 'pro',
    draft: { kind: 'new-draft', publishedVersion: 1, creates: 2 },
    changes: [
      { path: ['metadata'], kind: 'add', after: { tier: 'gold', 'long note': 'x'.repeat(300) } },
      { path: ['links', '0', 'url'], kind: 'replace', before: 'https://example.com/a', after: 'https://example.com/b' },
      { path: ['isVisible'], kind: 'replace', before: true, after: false },
    ],
    fields: {},
  };
  expect(describeAction(action).details).toEqual([
    'metadata "tier": "gold" (added)',
    `metadata "long note": "${'x'.repeat(300)}" (added)`,
    'link 1 url: "https://example.com/a" → "https://example.com/b"',
    'is visible: yes → no',
  ]);
});
