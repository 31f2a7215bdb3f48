/** Entitlement and price rules, and the server defaults and ids a real server adds to both. */
import { beforeEach, describe, expect, test } from 'vitest';
import { loadOpenApi } from '../helpers/openapi.js';
import { createFeature, createPlan, createProduct, expectStatus, flatPrice, setPrices, useEmulator, type Feature } from './fixtures.js';

const env = useEmulator();
let sso: Feature;
let seats: Feature;
let calls: Feature;

beforeEach(async () => {
  const product = await createProduct(env.api);
  sso = await createFeature(env.api, 'sso', 'BOOLEAN');
  seats = await createFeature(env.api, 'seats', 'CUSTOMIZABLE');
  calls = await createFeature(env.api, 'calls', 'METER');
  await createPlan(env.api, product);
});

const add = (planEntitlements: unknown[]) => env.api.post('/catalog/plans/pro/features/', { planEntitlements });
const listEntitlements = async () => (await expectStatus(env.api.get('/catalog/plans/pro/features/'), 200)).results;
const listPrices = async () => (await expectStatus(env.api.get('/catalog/plans/pro/prices/'), 200)).results;

describe('entitlements', () => {
  test('add appends a batch, answers 201 with the plan, and fills in the detail defaults', async () => {
    const response = await add([
      { feature: seats.id, details: { value: 10 } },
      { feature: calls.id, details: { value: 1000 } },
    ]);
    expect([response.status, response.body.identifier, response.body.version]).toEqual([201, 'pro', 1]);
    const [seatsEntitlement, callsEntitlement] = await listEntitlements();
    expect(seatsEntitlement.feature).toMatchObject({ id: seats.id, identifier: 'seats', featureType: 'CUSTOMIZABLE' });
    expect(seatsEntitlement.details).toEqual({
      value: 10,
      hasUnlimitedUsage: false,
      hardLimit: false,
      isInherited: false,
      isValueOverridden: false,
      reset: 'NEVER',
      resetTime: null,
      rollover: {},
      usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' },
    });
    expect(callsEntitlement.details.reset).toBe('EVERY_MONTH');
  });

  test.each([
    ['BOOLEAN with a number', () => sso, { value: 1 }, /BOOLEAN: value must be true or false/],
    ['BOOLEAN without a value', () => sso, {}, /BOOLEAN: value must be true or false/],
    ['CUSTOMIZABLE with a boolean', () => seats, { value: true }, /CUSTOMIZABLE: value must be a number/],
    ['METER without a value', () => calls, { reset: 'EVERY_DAY' }, /METER: value must be a number/],
  ])('the value type is checked against the feature type: %s', async (_name, feature, details, message) => {
    const response = await add([{ feature: feature().id, details }]);
    expect([response.status, response.body]).toEqual([400, { planEntitlements: [{ details: { value: [expect.stringMatching(message)] } }] }]);
    expect(await listEntitlements()).toEqual([]);
  });

  test('a number-valued feature may go without a value when unlimited', async () => {
    expect((await add([{ feature: calls.id, details: { hasUnlimitedUsage: true } }])).status).toBe(201);
    expect((await listEntitlements())[0].details).toMatchObject({ hasUnlimitedUsage: true });
  });

  test('an unknown feature UUID is 400 and the whole batch is refused', async () => {
    const response = await add([
      { feature: seats.id, details: { value: 1 } },
      { feature: '3f1b7a6e-0000-4000-8000-000000000000', details: { value: 1 } },
    ]);
    expect([response.status, response.body]).toEqual([400, { planEntitlements: [{}, { feature: ['Invalid pk "3f1b7a6e-0000-4000-8000-000000000000" - object does not exist.'] }] }]);
    expect(await listEntitlements()).toEqual([]);
  });

  test('a feature already on the plan (or twice in the batch) is 400', async () => {
    await expectStatus(add([{ feature: seats.id, details: { value: 1 } }]), 201);
    const again = await add([{ feature: seats.id, details: { value: 2 } }]);
    expect([again.status, again.body.planEntitlements[0].feature]).toEqual([400, ['Feature seats is already on this plan.']]);
    const twice = await add([
      { feature: sso.id, details: { value: true } },
      { feature: sso.id, details: { value: false } },
    ]);
    expect(twice.status).toBe(400);
    expect((await listEntitlements()).map((e: any) => e.feature.identifier)).toEqual(['seats']);
  });

  test('PATCH by feature slug merges the given detail keys and answers {details}', async () => {
    await expectStatus(add([{ feature: calls.id, details: { value: 100, hardLimit: true } }]), 201);
    const response = await env.api.patch('/catalog/plans/pro/features/calls/', { details: { value: 200, reset: 'EVERY_DAY' } });
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({ value: 200, reset: 'EVERY_DAY', hardLimit: true, hasUnlimitedUsage: false });
    expect((await listEntitlements())[0].details).toEqual(response.body.details);
  });

  test('PATCH checks the merged value against the feature type', async () => {
    await expectStatus(add([{ feature: seats.id, details: { value: 1 } }]), 201);
    const response = await env.api.patch('/catalog/plans/pro/features/seats/', { details: { value: 'ten' } });
    expect(response.status).toBe(400);
    expect((await listEntitlements())[0].details.value).toBe(1);
  });

  // openapi.json PlanEntitlementDetails.usageAlerts: "PERCENTAGE (thresholds are 1-100) or BALANCE (thresholds are
  // absolute usage values)"; docs product-catalog/usage-alerts.mdx, "Choose a threshold type": valid values 1–100
  // for PERCENTAGE, "Any number greater than or equal to 1" for BALANCE.
  test.each([
    ['PERCENTAGE above 100', { thresholds: [75, 150], thresholdType: 'PERCENTAGE' }, ['PERCENTAGE thresholds are 1 to 100, got 150.']],
    ['PERCENTAGE below 1', { thresholds: [0], thresholdType: 'PERCENTAGE' }, ['PERCENTAGE thresholds are 1 to 100, got 0.']],
    ['BALANCE below 1', { thresholds: [0.5], thresholdType: 'BALANCE' }, ['Thresholds are at least 1, got 0.5.']],
    ['no thresholdType, below 1', { thresholds: [0] }, ['Thresholds are at least 1, got 0.']],
  ])('usage-alert thresholds outside the documented range are 400 (add and PATCH): %s', async (_name, usageAlerts, thresholds) => {
    const details = { value: 100, usageAlerts: { enabled: true, ...usageAlerts } };
    const added = await add([{ feature: calls.id, details }]);
    expect([added.status, added.body]).toEqual([400, { planEntitlements: [{ details: { usageAlerts: { thresholds } } }] }]);
    expect(await listEntitlements()).toEqual([]);
    await expectStatus(add([{ feature: calls.id, details: { value: 100 } }]), 201);
    const patched = await env.api.patch('/catalog/plans/pro/features/calls/', { details });
    expect([patched.status, patched.body]).toEqual([400, { details: { usageAlerts: { thresholds } } }]);
  });

  // docs product-catalog/usage-based-billing.mdx, "Credit rollover": the percentage "can be from 0% to 100%".
  test('a rollover percentage outside 0-100 is 400 (add and PATCH); 0 and 100 are accepted', async () => {
    const rollover = { enabled: true, percentage: 150, limit: 750 };
    const added = await add([{ feature: calls.id, details: { value: 100, reset: 'EVERY_MONTH', rollover } }]);
    expect([added.status, added.body]).toEqual([400, { planEntitlements: [{ details: { rollover: { percentage: ['The rollover percentage is 0 to 100, got 150.'] } } }] }]);
    await expectStatus(add([{ feature: calls.id, details: { value: 100, reset: 'EVERY_MONTH', rollover: { enabled: true, percentage: 100 } } }]), 201);
    const patched = await env.api.patch('/catalog/plans/pro/features/calls/', { details: { rollover: { enabled: true, percentage: -5 } } });
    expect([patched.status, patched.body]).toEqual([400, { details: { rollover: { percentage: ['The rollover percentage is 0 to 100, got -5.'] } } }]);
    await expectStatus(env.api.patch('/catalog/plans/pro/features/calls/', { details: { rollover: { enabled: true, percentage: 0 } } }), 200);
    const price = {
      priceType: 'PAID',
      currency: 'USD',
      chargeCatalogPrice: [{ feature: calls.id, priceModel: 'FLAT', reset: 'EVERY_MONTH', rollover, charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 1 } }] }],
    };
    const priced = await env.api.post('/catalog/plans/pro/prices/bulk/', { prices: [price] });
    expect([priced.status, priced.body]).toEqual([400, { prices: [{ chargeCatalogPrice: [{ rollover: { percentage: ['The rollover percentage is 0 to 100, got 150.'] } }] }] }]);
  });

  test('usage-alert thresholds inside the documented ranges are accepted', async () => {
    const response = await add([
      { feature: calls.id, details: { value: 100, usageAlerts: { enabled: true, thresholds: [1, 75, 100], thresholdType: 'PERCENTAGE' } } },
      { feature: seats.id, details: { value: 100, usageAlerts: { enabled: true, thresholds: [1, 7500], thresholdType: 'BALANCE' } } },
    ]);
    expect(response.status, response.text).toBe(201);
  });

  test('PATCH and DELETE take the slug: a feature not on the plan, or a UUID, is 404', async () => {
    await expectStatus(add([{ feature: seats.id, details: { value: 1 } }]), 201);
    expect((await env.api.patch('/catalog/plans/pro/features/sso/', { details: { value: true } })).status).toBe(404);
    expect((await env.api.patch(`/catalog/plans/pro/features/${seats.id}/`, { details: { value: 2 } })).status).toBe(404);
    expect((await env.api.delete('/catalog/plans/pro/features/sso/')).status).toBe(404);
    expect((await env.api.delete('/catalog/plans/pro/features/seats/')).status).toBe(204);
    expect(await listEntitlements()).toEqual([]);
  });
});

describe('prices bulk', () => {
  test('replaces the whole set and answers {prices} with server ids and defaults', async () => {
    await setPrices(env.api, 'pro', [flatPrice(10, 'USD'), flatPrice(9, 'EUR')]);
    const response = await env.api.post('/catalog/plans/pro/prices/bulk/', {
      prices: [
        {
          priceType: 'PAID',
          currency: 'USD',
          chargeCatalogPrice: [
            { feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 29 } }] },
            { feature: calls.id, priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 100, unitAmount: 0 }, { upTo: 'inf', unitAmount: 0.01 }] }] },
          ],
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.prices).toEqual([
      {
        id: expect.any(String),
        priceType: 'PAID',
        currency: 'USD',
        enabled: true,
        taxBehavior: 'UNSPECIFIED',
        freeTrial: false,
        trialPeriod: 0,
        chargeCatalogPrice: [
          {
            id: expect.any(String),
            feature: null,
            priceModel: 'FLAT',
            reset: 'NEVER',
            resetTime: null,
            hasUnlimitedUsage: false,
            paymentType: 'ADVANCE_COMMITMENT',
            rollover: {},
            usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' },
            charges: [{ id: expect.any(String), chargePeriod: 'MONTHLY', priceData: { amount: 29 }, advanced: {} }],
          },
          expect.objectContaining({ id: expect.any(String), feature: calls.id, priceModel: 'TIERED', reset: 'EVERY_MONTH' }),
        ],
      },
    ]);
    const ids = [response.body.prices[0].id, ...response.body.prices[0].chargeCatalogPrice.flatMap((c: any) => [c.id, ...c.charges.map((x: any) => x.id)])];
    expect(new Set(ids).size).toBe(ids.length);
    expect(await listPrices()).toEqual(response.body.prices);
  });

  test('client values win over defaults; a price without currency takes the product currency', async () => {
    const [paid, free] = (await setPrices(env.api, 'pro', [{ ...flatPrice(5), freeTrial: true, trialPeriod: 14, taxBehavior: 'EXCLUSIVE', enabled: false }, { priceType: 'FREE' }])).prices;
    expect(paid).toMatchObject({ freeTrial: true, trialPeriod: 14, taxBehavior: 'EXCLUSIVE', enabled: false });
    expect(free).toMatchObject({ priceType: 'FREE', currency: 'USD', chargeCatalogPrice: [] });
  });

  test('duplicate PAID currencies are 400 (case-insensitively); FREE and CUSTOM may share one', async () => {
    const response = await env.api.post('/catalog/plans/pro/prices/bulk/', { prices: [flatPrice(10, 'USD'), flatPrice(11, 'usd')] });
    expect([response.status, response.body]).toEqual([400, { prices: [{}, { currency: ['Duplicate PAID price in USD: one price per currency.'] }] }]);
    await setPrices(env.api, 'pro', [flatPrice(10, 'USD'), { priceType: 'FREE', currency: 'USD' }, { priceType: 'CUSTOM', currency: 'USD' }]);
  });

  test.each([
    ['priceType outside the enum', { priceType: 'DONATION' }, { priceType: ['"DONATION" is not a valid choice.'] }],
    ['PAID without currency', { priceType: 'PAID' }, { currency: ['This field is required for PAID prices.'] }],
    [
      // openapi.json PlanChargeCatalogPrice.usageAlerts: PERCENTAGE "thresholds are 1-100" (and usage-alerts.mdx).
      'a PERCENTAGE usage-alert threshold above 100',
      {
        priceType: 'PAID',
        currency: 'USD',
        chargeCatalogPrice: [
          { feature: 'CALLS', priceModel: 'FLAT', usageAlerts: { enabled: true, thresholds: [120], thresholdType: 'PERCENTAGE' }, charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 1 } }] },
        ],
      },
      { chargeCatalogPrice: [{ usageAlerts: { thresholds: ['PERCENTAGE thresholds are 1 to 100, got 120.'] } }] },
    ],
    [
      // openapi.json PlanCharge.tiers[].upTo: "Integer, or the string "inf" for an unbounded final tier."
      'a tier bound that is neither an integer nor "inf"',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: 'CALLS', priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 'lots', unitAmount: 1 }] }] }] },
      { chargeCatalogPrice: [{ charges: [{ tiers: [{ upTo: ['Enter an integer, or "inf" for an unbounded final tier.'] }] }] }] },
    ],
    [
      'an unbounded ("inf") tier that is not the final one',
      {
        priceType: 'PAID',
        currency: 'USD',
        chargeCatalogPrice: [{ feature: 'CALLS', priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 'inf', unitAmount: 1 }, { upTo: 100, unitAmount: 2 }] }] }],
      },
      { chargeCatalogPrice: [{ charges: [{ tiers: [{ upTo: ['Only the final tier can be unbounded ("inf").'] }] }] }] },
    ],
    [
      'priceModel outside the enum',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'LINEAR', charges: [] }] },
      { chargeCatalogPrice: [{ priceModel: ['"LINEAR" is not a valid choice.'] }] },
    ],
    [
      'a TIERED price without a feature',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'TIERED', charges: [] }] },
      { chargeCatalogPrice: [{ feature: [expect.stringMatching(/TIERED price needs a feature/)] }] },
    ],
    [
      'an unknown charge feature',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: 'c0ffee00-0000-4000-8000-000000000000', priceModel: 'VOLUME', charges: [] }] },
      { chargeCatalogPrice: [{ feature: ['Invalid pk "c0ffee00-0000-4000-8000-000000000000" - object does not exist.'] }] },
    ],
    [
      'a FLAT charge without an amount',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: {} }] }] },
      { chargeCatalogPrice: [{ charges: [{ priceData: { amount: ['This field is required for FLAT prices.'] } }] }] },
    ],
    [
      'a PACKAGE charge with a non-numeric amount',
      { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: 'CALLS', priceModel: 'PACKAGE', charges: [{ priceData: { amount: 'lots' } }] }] },
      { chargeCatalogPrice: [{ charges: [{ priceData: { amount: ['A valid number is required.'] } }] }] },
    ],
  ])('%s is 400, and nothing changes', async (_name, price, error) => {
    await setPrices(env.api, 'pro', [flatPrice(10)]);
    const before = await listPrices();
    const body = JSON.parse(JSON.stringify({ prices: [price] }).replace('"CALLS"', JSON.stringify(calls.id)));
    const response = await env.api.post('/catalog/plans/pro/prices/bulk/', body);
    expect([response.status, response.body]).toEqual([400, { prices: [error] }]);
    expect(await listPrices()).toEqual(before);
  });

  // openapi.json PlanCharge.tiers[]: flatAmount and unitAmount are `type: number`; priceData is an open object.
  test('tier amounts sent as decimal strings are stored and served as numbers, as the spec types them', async () => {
    const tiers = [
      { upTo: 1000, unitAmount: '0.10', flatAmount: '5' },
      { upTo: 'inf', unitAmount: '0.05' },
    ];
    const price = { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: calls.id, priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', tiers }] }] };
    const { prices } = await setPrices(env.api, 'pro', [price]);
    const expected = [
      { upTo: 1000, unitAmount: 0.1, flatAmount: 5 },
      { upTo: 'inf', unitAmount: 0.05 },
    ];
    expect(prices[0].chargeCatalogPrice[0].charges[0].tiers).toEqual(expected);
    expect((await listPrices())[0].chargeCatalogPrice[0].charges[0].tiers).toEqual(expected);
    const spec = loadOpenApi(); // the extract in the repository: the test runs on a bare clone
    expect(spec.validateResponse('GET', '/catalog/plans/{identifier}/prices/', 200, { count: 1, next: null, previous: null, results: await listPrices() })).toEqual([]);
  });

  test('prices numbers sent as decimal strings are kept as sent', async () => {
    const { prices } = await setPrices(env.api, 'pro', [{ ...flatPrice(0), chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ priceData: { amount: '29.00' } }] }] }]);
    expect(prices[0].chargeCatalogPrice[0].charges[0].priceData.amount).toBe('29.00');
  });
});
