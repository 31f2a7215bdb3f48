import { describe, expect, test } from 'vitest';
import { diffCatalog } from '../../src/diff/index.js';
import type { LiveState } from '../../src/diff/index.js';
import type { FeatureWire, PlanWire, PriceWire, ProductWire } from '../../src/client/wire.js';
import type { Catalog, Plan } from '../../src/schema/model.js';

const PRODUCT_ID = '0d65f7c0-7e91-4f56-9b32-13a9a6a7c1de';
const SEATS_ID = '3a3e92ab-90a3-4f43-8e87-9d4c8c5a9c01';
const API_ID = '5b1e92ab-90a3-4f43-8e87-9d4c8c5a9c02';

const product: ProductWire = { id: PRODUCT_ID, identifier: 'acme', name: 'Acme', description: null, taxCode: 'saas', images: [] };
const seats: FeatureWire = { id: SEATS_ID, identifier: 'seats', name: 'Seats', description: '', featureType: 'CUSTOMIZABLE', featureDetails: {}, meter: null, metadata: { 'managed-by': 'kelviq-catalog' }, isArchived: false };
const apiCalls: FeatureWire = {
  id: API_ID,
  identifier: 'api-calls',
  name: 'API calls',
  description: 'Calls',
  featureType: 'METER',
  featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' }, customerUnit: null },
  meter: {},
  metadata: {},
};

/** A live plan as a real server returns it: every server default and server-owned id filled in. */
function livePlan(overrides: Partial<PlanWire> = {}): PlanWire {
  return {
    identifier: 'pro',
    name: 'Pro',
    description: 'Pro plan',
    product: PRODUCT_ID,
    metadata: { 'managed-by': 'kelviq-catalog' },
    version: 2,
    isLatest: true,
    createdOn: '2025-03-01T08:21:14.910Z',
    modifiedOn: '2025-04-12T08:21:14.910Z',
    details: { stripeProductId: 'prod_ABC' },
    isVisible: true,
    isImported: false,
    countries: [],
    license: { enabled: false, activationLimit: null, activationLimitEnabled: false, durationUnit: null, durationValue: null, hasExpiry: false },
    links: [],
    files: [],
    ordering: 1,
    ...overrides,
  };
}

const livePrices: PriceWire[] = [
  {
    id: 'df0b9da9-58c3-4d77-9b62-3f6e4c2b1ad0',
    priceType: 'PAID',
    currency: 'USD',
    freeTrial: false,
    trialPeriod: 0,
    enabled: true,
    taxBehavior: 'UNSPECIFIED',
    chargeCatalogPrice: [
      {
        id: 'c1',
        feature: null,
        priceModel: 'FLAT',
        reset: 'NEVER',
        resetTime: null,
        hasUnlimitedUsage: false,
        paymentType: 'ADVANCE_COMMITMENT',
        rollover: {},
        usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' },
        charges: [{ id: 'ch1', chargePeriod: 'MONTHLY', priceData: { amount: '29.00' }, tiers: [], advanced: {} }],
      },
      {
        id: 'c2',
        feature: API_ID,
        priceModel: 'TIERED',
        paymentType: 'PAY_AS_YOU_GO',
        charges: [
          {
            id: 'ch2',
            chargePeriod: 'MONTHLY',
            priceData: {},
            tiers: [
              { upTo: null, unitAmount: 0.001, flatAmount: 0 },
              { upTo: 1000, unitAmount: 0, flatAmount: 0 },
            ],
          },
        ],
      },
    ],
  },
];

function liveState(plan: PlanWire = livePlan(), prices: PriceWire[] = livePrices): LiveState {
  return {
    products: new Map([['acme', { product, settings: { vpn: true, tor: true, proxy: true, currency: 'USD', productUrl: null } }]]),
    features: new Map([
      ['seats', seats],
      ['api-calls', apiCalls],
    ]),
    plans: new Map([
      [
        'pro',
        {
          newest: {
            plan,
            entitlements: [
              { feature: seats, details: { value: 5, hasUnlimitedUsage: false, hardLimit: false, isInherited: false, isValueOverridden: false, resetTime: null, rollover: {}, usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' } } },
              { feature: apiCalls, details: { value: 10000, reset: 'EVERY_MONTH', hasUnlimitedUsage: false } },
            ],
            prices,
          },
        },
      ],
    ]),
    featureIdentifierById: new Map([
      [SEATS_ID, 'seats'],
      [API_ID, 'api-calls'],
    ]),
  };
}

/** What a person writes: only what they care about, amounts as plain numbers, tiers in any order. */
function desiredPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    identifier: 'pro',
    product: 'acme',
    name: 'Pro',
    description: 'Pro plan',
    entitlements: { seats: { value: 5 }, 'api-calls': { value: 10000, reset: 'EVERY_MONTH' } },
    prices: [
      {
        priceType: 'PAID',
        currency: 'usd',
        chargeCatalogPrice: [
          { feature: 'api-calls', priceModel: 'TIERED', paymentType: 'PAY_AS_YOU_GO', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 1000, unitAmount: 0 }, { upTo: 'inf', unitAmount: 0.001 }] }] },
          { feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 29 } }] },
        ],
      },
    ],
    ...overrides,
  };
}

function catalog(plan: Plan = desiredPlan()): Catalog {
  return {
    products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas', settings: { currency: 'USD' } }],
    features: [
      { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
      { identifier: 'api-calls', name: 'API calls', description: 'Calls', featureType: 'METER', featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } } },
    ],
    plans: [plan],
  };
}

describe('diffCatalog settles', () => {
  test('server defaults, server ids, decimal strings, null vs absent, order and case differences are not changes', () => {
    const diff = diffCatalog(catalog(), liveState());
    expect(diff.problems).toEqual([]);
    expect(diff.products[0]?.changes).toEqual([]);
    expect(diff.features.map((f) => f.changes)).toEqual([[], []]);
    expect(diff.plans[0]?.changes).toEqual([]);
  });

  test('a FREE price declared without a currency does not fight the currency Kelviq fills in', () => {
    const free: PriceWire = { id: 'f1', priceType: 'FREE', currency: 'USD', freeTrial: false, trialPeriod: 0, enabled: true, taxBehavior: 'UNSPECIFIED', chargeCatalogPrice: [] };
    const diff = diffCatalog(catalog(desiredPlan({ prices: [{ priceType: 'FREE' }] })), liveState(livePlan(), [free]));
    expect(diff.plans[0]?.changes).toEqual([]);
  });

  test('the managed-by marker never shows as a metadata diff', () => {
    const diff = diffCatalog(catalog(desiredPlan({ metadata: { tier: 'gold' } })), liveState(livePlan({ metadata: { 'managed-by': 'kelviq-catalog', tier: 'gold' } })));
    expect(diff.plans[0]?.changes).toEqual([]);
  });

  test('a metadata string that looks like a number stays a string on both sides', () => {
    const diff = diffCatalog(catalog(desiredPlan({ metadata: { rank: '1' } })), liveState(livePlan({ metadata: { rank: '1' } })));
    expect(diff.plans[0]?.changes).toEqual([]);
  });
});

describe('diffCatalog finds real differences, value to value', () => {
  test('a plan field', () => {
    const diff = diffCatalog(catalog(desiredPlan({ name: 'Pro Plan' })), liveState());
    expect(diff.plans[0]?.changes).toEqual([{ path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro Plan' }]);
  });

  test('entitlement value change, addition and removal', () => {
    const diff = diffCatalog(catalog(desiredPlan({ entitlements: { seats: { value: 10 }, sso: { value: true } } })), liveState());
    expect(diff.plans[0]?.changes).toEqual(
      expect.arrayContaining([
        { path: ['entitlements', 'seats', 'value'], kind: 'replace', before: 5, after: 10 },
        { path: ['entitlements', 'sso'], kind: 'add', after: { value: true } },
        { path: ['entitlements', 'api-calls'], kind: 'remove', before: expect.objectContaining({ value: 10000 }) },
      ]),
    );
    expect(diff.plans[0]?.changes).toHaveLength(3);
  });

  test('a price amount, addressed by price and charge identity rather than array index', () => {
    const plan = desiredPlan();
    const flat = plan.prices?.[0]?.chargeCatalogPrice?.[1];
    if (flat?.charges[0]) flat.charges[0].priceData = { amount: 39 };
    const diff = diffCatalog(catalog(plan), liveState());
    expect(diff.plans[0]?.changes).toEqual([
      { path: ['prices', 'PAID USD', 'chargeCatalogPrice', '(plan fee)', 'charges', 'MONTHLY', 'priceData', 'amount'], kind: 'replace', before: 29, after: 39 },
    ]);
  });

  test('a removed price currency is a change under complete-set semantics', () => {
    const plan = desiredPlan({ prices: [] });
    const diff = diffCatalog(catalog(plan), liveState());
    expect(diff.plans[0]?.changes).toEqual([{ path: ['prices', 'PAID USD'], kind: 'remove', before: expect.any(Object) }]);
  });

  test('entitlements and prices left out of the file are not managed', () => {
    const plan = desiredPlan();
    delete plan.entitlements;
    delete plan.prices;
    expect(diffCatalog(catalog(plan), liveState()).plans[0]?.changes).toEqual([]);
  });
});

describe('diffCatalog problems', () => {
  test('a feature difference is an error: Kelviq has no feature update endpoint', () => {
    const desired = catalog();
    const first = desired.features[0];
    if (first) first.name = 'Team seats';
    const diff = diffCatalog(desired, liveState());
    expect(diff.problems).toEqual([
      expect.objectContaining({ severity: 'error', pointer: '/features/seats/name', message: expect.stringMatching(/feature seats: name differ.*no feature update endpoint/) }),
    ]);
  });

  test('moving a plan to another product is an error; ordering is a warning and not a change', () => {
    const desired = catalog(desiredPlan({ product: 'other', ordering: 3 }));
    const diff = diffCatalog(desired, liveState());
    expect(diff.plans[0]?.changes).toEqual([]);
    expect(diff.problems.map((p) => [p.severity, p.pointer]).sort()).toEqual([
      ['error', '/plans/pro/product'],
      ['warning', '/plans/pro/ordering'],
    ]);
  });

  test('remote-only resources are reported with their managed marker', () => {
    const desired = catalog();
    desired.features = desired.features.filter((f) => f.identifier !== 'seats');
    desired.plans = [];
    const diff = diffCatalog(desired, liveState());
    expect(diff.remoteOnly).toEqual([
      { kind: 'feature', identifier: 'seats', managed: true, id: SEATS_ID },
      { kind: 'plan', identifier: 'pro', managed: true },
    ]);
  });
});
