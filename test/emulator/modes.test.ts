/**
 * The emulator's fidelity modes over loopback HTTP: `serverValues: 'spec-examples'` stores the spec's examples
 * for what a client leaves out, `extraFields` adds what the spec does not list. Expected values are read from the
 * committed spec extract, the same source the emulator uses, so a regenerated spec moves both together.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EXTRA_FIELDS } from '../../src/emulator/index.js';
import { SPEC_PATH } from '../helpers/openapi.js';
import { createFeature, createPlan, createProduct, expectStatus, flatPrice, setPrices, useEmulator } from './fixtures.js';

const schemas = JSON.parse(readFileSync(SPEC_PATH, 'utf8')).components.schemas as Record<string, any>;
const example = (schema: string, property: string) => schemas[schema].properties[property].example;
const examplesOf = (schema: string) =>
  Object.fromEntries(Object.entries(schemas[schema].properties as Record<string, any>).map(([name, property]) => [name, property.example]));

describe("serverValues 'spec-examples'", () => {
  const env = useEmulator({ serverValues: 'spec-examples' });

  test('a product and its settings: what the client left out is the spec example; what it sent is kept', async () => {
    const product = await createProduct(env.api);
    expect(product).toMatchObject({ name: 'Acme', identifier: 'acme', description: example('Product', 'description'), createdBy: example('Product', 'createdBy'), images: [] });
    expect(await expectStatus(env.api.get(`/catalog/products/${product.id}/settings/`), 200)).toEqual(examplesOf('ProductSettings'));
    const described = await expectStatus(env.api.post('/catalog/products/', { name: 'Other', taxCode: 'saas', description: '' }), 201);
    expect(described.description).toBe('');
  });

  test('features: description and metadata from the examples; featureDetails only from the client (its example is a METER one)', async () => {
    const seats = await expectStatus(env.api.get(`/catalog/features/${(await createFeature(env.api, 'seats')).id}/`), 200);
    expect(seats).toMatchObject({ description: example('CatalogFeature', 'description'), metadata: example('CatalogFeature', 'metadata'), featureDetails: {}, meter: {} });
    const calls = await createFeature(env.api, 'calls', 'METER');
    expect((await expectStatus(env.api.get(`/catalog/features/${calls.id}/`), 200)).featureDetails).toEqual({
      featureSubType: 'PRE_AGGREGATED_USAGE',
      units: { singular: 'call', plural: 'calls' },
    });
  });

  test('a plan: every field the spec shows, from the examples; a license sent in part is completed; lists without an example are empty', async () => {
    const product = await createProduct(env.api);
    const plan = await createPlan(env.api, product, 'pro', { license: { enabled: false } });
    const shown = examplesOf('CatalogPlan');
    expect(plan).toMatchObject({
      description: shown.description,
      metadata: shown.metadata,
      isVisible: shown.isVisible,
      isImported: shown.isImported,
      countries: shown.countries,
      details: shown.details,
      ordering: shown.ordering,
      links: [],
      files: [],
      license: { ...examplesOf('LicenseConfig'), enabled: false },
      version: 1,
      isLatest: false,
    });
    const ordered = await createPlan(env.api, product, 'basic', { ordering: 7 });
    expect(ordered.ordering).toBe(7);
  });

  test('entitlement details and prices completed from the examples, amounts excepted', async () => {
    const product = await createProduct(env.api);
    const seats = await createFeature(env.api, 'seats');
    await createPlan(env.api, product);
    await expectStatus(env.api.post('/catalog/plans/pro/features/', { planEntitlements: [{ feature: seats.id, details: { value: 5, usageAlerts: { enabled: false } } }] }), 201);
    const [entitlement] = (await expectStatus(env.api.get('/catalog/plans/pro/features/'), 200)).results;
    expect(entitlement.details).toEqual({
      ...examplesOf('PlanEntitlementDetails'),
      value: 5,
      usageAlerts: { ...example('PlanEntitlementDetails', 'usageAlerts'), enabled: false },
    });

    const tiered = { feature: seats.id, priceModel: 'VOLUME', charges: [{ chargePeriod: 'YEARLY', tiers: [{ upTo: 'inf', unitAmount: 2 }] }] };
    const { prices } = await setPrices(env.api, 'pro', [{ ...flatPrice(29), chargeCatalogPrice: [...flatPrice(29).chargeCatalogPrice, tiered] }]);
    const [price] = prices;
    const shownPrice = examplesOf('PlanPrice');
    expect(price).toMatchObject({ enabled: shownPrice.enabled, freeTrial: shownPrice.freeTrial, trialPeriod: shownPrice.trialPeriod, taxBehavior: shownPrice.taxBehavior });
    const [flat, volume] = price.chargeCatalogPrice;
    const item = examplesOf('PlanChargeCatalogPrice');
    expect(flat).toMatchObject({ feature: null, reset: item.reset, resetTime: item.resetTime, paymentType: item.paymentType, usageAlerts: item.usageAlerts });
    expect(flat.charges[0]).toMatchObject({ chargePeriod: 'MONTHLY', priceData: { amount: 29 }, tiers: example('PlanCharge', 'tiers'), advanced: example('PlanCharge', 'advanced') });
    // The examples' sample prices (29.99, 0.001 a unit) are never charged: a tier's missing amount is 0.
    expect(volume.charges[0].tiers).toEqual([{ upTo: 'inf', unitAmount: 2, flatAmount: 0 }]);
    expect(volume.charges[0].priceData).toEqual({});
    expect(example('PlanCharge', 'priceData')).toEqual({ amount: 29.99 });
  });
});

/**
 * Where an object lacks the extra fields. Skipped: client-owned maps (the server does not write into them) and a
 * charge's `details`, which is `{}` exactly as the spec's Charge example shows it.
 */
const CLIENT_MAPS = new Set(['metadata', 'featureDetails', 'meter', 'rollover', 'priceData', 'advanced', ...Object.keys(EXTRA_FIELDS)]);
function undecorated(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => undecorated(item, `${path}/${index}`));
  if (!value || typeof value !== 'object') return [];
  const own = Object.keys(EXTRA_FIELDS).every((key) => key in value) ? [] : [path || '/'];
  const skipped = (key: string) => CLIENT_MAPS.has(key) || (key === 'details' && /\/charges\/\d+$/.test(path));
  const nested = Object.entries(value).flatMap(([key, inner]) => (skipped(key) ? [] : undecorated(inner, `${path}/${key}`)));
  return [...own, ...nested];
}

describe('extraFields', () => {
  const env = useEmulator({ extraFields: true });

  test('every object of every answer carries unknown fields, at every level; client-owned maps come back as sent', async () => {
    const product = await createProduct(env.api);
    const seats = await createFeature(env.api, 'seats', 'METER');
    const plan = await createPlan(env.api, product, 'pro', { metadata: { tier: 'gold' }, license: { enabled: true }, links: [{ name: 'Docs', url: 'https://acme.example/docs' }] });
    await expectStatus(env.api.post('/catalog/plans/pro/features/', { planEntitlements: [{ feature: seats.id, details: { value: 5, rollover: { enabled: true } } }] }), 201);
    const tiered = { feature: seats.id, priceModel: 'TIERED', charges: [{ chargePeriod: 'MONTHLY', priceData: { currency: 'USD' }, tiers: [{ upTo: 'inf', unitAmount: 2 }] }] };
    const bulk = await setPrices(env.api, 'pro', [{ ...flatPrice(29), chargeCatalogPrice: [...flatPrice(29).chargeCatalogPrice, tiered] }]);
    const answers = {
      product,
      products: await expectStatus(env.api.get('/catalog/products/'), 200),
      settings: await expectStatus(env.api.get(`/catalog/products/${product.id}/settings/`), 200),
      features: await expectStatus(env.api.get('/catalog/features/'), 200),
      plan,
      plans: await expectStatus(env.api.get('/catalog/plans/'), 200),
      entitlements: await expectStatus(env.api.get('/catalog/plans/pro/features/'), 200),
      patched: await expectStatus(env.api.patch('/catalog/plans/pro/features/seats/', { details: { value: 6 } }), 200),
      bulk,
      prices: await expectStatus(env.api.get('/catalog/plans/pro/prices/'), 200),
      published: await expectStatus(env.api.post('/catalog/plans/pro/publish/'), 200),
    };
    expect(Object.entries(answers).flatMap(([name, body]) => undecorated(body).map((path) => `${name} ${path}`))).toEqual([]);
    expect(answers.plan.metadata).toEqual({ tier: 'gold' });
    expect(answers.plan.license).toMatchObject({ enabled: true, ...EXTRA_FIELDS });
    expect(answers.plan.links[0]).toEqual({ name: 'Docs', url: 'https://acme.example/docs', ...EXTRA_FIELDS });
    expect(answers.entitlements.results[0].details.rollover).toEqual({ enabled: true });
    expect(answers.features.results[0].featureDetails).toEqual({ featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } });
    expect(answers.published).toEqual({ status: 'published', ...EXTRA_FIELDS });
  });

  test("charges carry the server-owned fields of the spec's Charge that PlanCharge lacks, valued as its example shows", async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    const { prices } = await setPrices(env.api, 'pro', [flatPrice(19)]);
    const charge = prices[0].chargeCatalogPrice[0].charges[0];
    const serverOwned = Object.keys(schemas.Charge.properties).filter((name) => !(name in schemas.PlanCharge.properties));
    expect(serverOwned.sort()).toEqual(['details', 'featureQuantityPrice', 'id']);
    expect(charge).toMatchObject({ details: {}, featureQuantityPrice: 19, priceData: { amount: 19 } });
    expect(charge.id).toMatch(/^[0-9a-f-]{36}$/);
    // The same charge read again has the same id: it is the stored charge's.
    const listed = await expectStatus(env.api.get('/catalog/plans/pro/prices/'), 200);
    expect(listed.results[0].chargeCatalogPrice[0].charges[0].id).toBe(charge.id);
  });

  test('error answers stay in their documented shapes', async () => {
    expect((await env.api.get('/catalog/plans/nope/')).body).toEqual({ detail: 'Not found.' });
    expect((await env.api.post('/catalog/products/', { taxCode: 'saas' })).body).toEqual({ name: ['This field is required.'] });
  });
});
