/** The draft/publish rules of NOTES.md, one test per rule, over HTTP. */
import { describe, expect, test } from 'vitest';
import type { EmulatorHttp } from '../helpers/emulator-http.js';
import {
  createFeature,
  createPlan,
  createProduct,
  expectStatus,
  flatPrice,
  planVersion,
  publish,
  publishedPlan,
  setPrices,
  useEmulator,
  type Feature,
} from './fixtures.js';

const env = useEmulator();

const entitlements = async (api: EmulatorHttp, version?: number) =>
  (await expectStatus(api.get(`/catalog/plans/pro/features/${version ? `?version=${version}` : ''}`), 200)).results;
const prices = async (api: EmulatorHttp, version?: number) =>
  (await expectStatus(api.get(`/catalog/plans/pro/prices/${version ? `?version=${version}` : ''}`), 200)).results;

describe('new plans', () => {
  test('a new plan is version 1, an unpublished draft', async () => {
    const product = await createProduct(env.api);
    const created = await createPlan(env.api, product);
    expect(created).toMatchObject({ identifier: 'pro', version: 1, isLatest: false, product: product.id });
    expect(await planVersion(env.api, 'pro')).toMatchObject({ version: 1, isLatest: false });
  });

  test('publishing makes the version isLatest and gives it a billing provider id', async () => {
    await publishedPlan(env.api);
    const plan = await planVersion(env.api, 'pro');
    expect(plan).toMatchObject({ version: 1, isLatest: true });
    expect(plan.details.stripeProductId).toMatch(/^prod_/);
  });

  test('writes to a never-published draft change version 1 in place', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro v1' }), 200);
    await setPrices(env.api, 'pro', [flatPrice(10)]);
    expect(await planVersion(env.api, 'pro')).toMatchObject({ version: 1, isLatest: false, name: 'Pro v1' });
    expect(env.emulator.store.plans.get('pro')?.versions).toHaveLength(1);
  });
});

describe('a write to a published plan creates draft N+1 and lands there', () => {
  const writes: Array<[string, (api: EmulatorHttp, features: { seats: Feature; sso: Feature }) => Promise<unknown>, (api: EmulatorHttp) => Promise<void>]> = [
    [
      'PATCH plan',
      (api) => expectStatus(api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200),
      async (api) => expect((await planVersion(api, 'pro', 2)).name).toBe('Pro 2'),
    ],
    [
      'entitlement add',
      (api, { sso }) => expectStatus(api.post('/catalog/plans/pro/features/', { planEntitlements: [{ feature: sso.id, details: { value: true } }] }), 201),
      async (api) => expect((await entitlements(api, 2)).map((e: any) => e.feature.identifier)).toEqual(['seats', 'sso']),
    ],
    [
      'entitlement patch',
      (api) => expectStatus(api.patch('/catalog/plans/pro/features/seats/', { details: { value: 50 } }), 200),
      async (api) => expect((await entitlements(api, 2))[0].details.value).toBe(50),
    ],
    [
      'entitlement delete',
      (api) => expectStatus(api.delete('/catalog/plans/pro/features/seats/'), 204),
      async (api) => expect(await entitlements(api, 2)).toEqual([]),
    ],
    [
      'prices bulk',
      (api) => setPrices(api, 'pro', [flatPrice(49)]),
      async (api) => expect((await prices(api, 2))[0].chargeCatalogPrice[0].charges[0].priceData.amount).toBe(49),
    ],
  ];

  test.each(writes)('%s', async (_name, write, check) => {
    const { seats } = await publishedPlan(env.api);
    const sso = await createFeature(env.api, 'sso', 'BOOLEAN');
    const before = { plan: await planVersion(env.api, 'pro'), entitlements: await entitlements(env.api), prices: await prices(env.api) };

    await write(env.api, { seats, sso });

    expect(await planVersion(env.api, 'pro')).toMatchObject({ version: 2, isLatest: false });
    await check(env.api);
    // Customers still see version 1, untouched.
    expect(await planVersion(env.api, 'pro', 1)).toEqual(before.plan);
    expect(await entitlements(env.api, 1)).toEqual(before.entitlements);
    expect(await prices(env.api, 1)).toEqual(before.prices);
  });

  test('the draft is a copy: entitlements and prices carried over, with fresh server ids', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { description: 'changed' }), 200);
    const [v1] = await prices(env.api, 1);
    const [v2] = await prices(env.api, 2);
    expect(v2.id).not.toBe(v1.id);
    expect(v2.chargeCatalogPrice[0].id).not.toBe(v1.chargeCatalogPrice[0].id);
    expect(v2.chargeCatalogPrice[0].charges[0].id).not.toBe(v1.chargeCatalogPrice[0].charges[0].id);
    const withoutIds = (price: any) => JSON.parse(JSON.stringify(price, (key, value) => (key === 'id' ? undefined : value)));
    expect(withoutIds(v2)).toEqual(withoutIds(v1));
    expect(await entitlements(env.api, 2)).toEqual(await entitlements(env.api, 1));
  });

  test('a second write mutates the same draft', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    await expectStatus(env.api.patch('/catalog/plans/pro/features/seats/', { details: { value: 9 } }), 200);
    await setPrices(env.api, 'pro', [flatPrice(99)]);
    const newest = await planVersion(env.api, 'pro');
    expect(newest).toMatchObject({ version: 2, name: 'Pro 2', isLatest: false });
    expect((await entitlements(env.api))[0].details.value).toBe(9);
    expect(env.emulator.store.plans.get('pro')?.versions.map((v) => v.version)).toEqual([1, 2]);
  });

  test('a rejected write to a published plan leaves no draft behind', async () => {
    await publishedPlan(env.api);
    const rejected = await env.api.post('/catalog/plans/pro/prices/bulk/', { prices: [flatPrice(1), flatPrice(2)] });
    expect(rejected.status).toBe(400);
    expect(await planVersion(env.api, 'pro')).toMatchObject({ version: 1, isLatest: true });
  });
});

describe('reading versions', () => {
  test('the list shows one row per plan: its newest version, draft or published', async () => {
    const { product } = await publishedPlan(env.api);
    await createPlan(env.api, product, 'basic', { name: 'Basic' });
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    const list = await expectStatus(env.api.get('/catalog/plans/'), 200);
    expect(list.results.map((p: any) => [p.identifier, p.version, p.isLatest, p.name])).toEqual([
      ['pro', 2, false, 'Pro 2'],
      ['basic', 1, false, 'Basic'],
    ]);
  });

  test('?version=N reaches a version on the plan, entitlement and price endpoints; an unknown one is 404', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/features/seats/', { details: { value: 7 } }), 200);
    await setPrices(env.api, 'pro', [flatPrice(35)]);
    expect((await planVersion(env.api, 'pro', 1)).version).toBe(1);
    expect((await planVersion(env.api, 'pro', 2)).version).toBe(2);
    expect((await entitlements(env.api, 1))[0].details.value).toBe(5);
    expect((await entitlements(env.api, 2))[0].details.value).toBe(7);
    expect((await prices(env.api, 1))[0].chargeCatalogPrice[0].charges[0].priceData.amount).toBe(29);
    expect((await prices(env.api, 2))[0].chargeCatalogPrice[0].charges[0].priceData.amount).toBe(35);
    for (const path of ['/catalog/plans/pro/?version=3', '/catalog/plans/pro/features/?version=3', '/catalog/plans/pro/prices/?version=3']) {
      const response = await env.api.get(path);
      expect([path, response.status, response.body]).toEqual([path, 404, { detail: 'Not found.' }]);
    }
  });

  test('publishing version 2 demotes version 1', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    await publish(env.api, 'pro');
    expect(await planVersion(env.api, 'pro', 1)).toMatchObject({ isLatest: false });
    expect(await planVersion(env.api, 'pro', 2)).toMatchObject({ isLatest: true, name: 'Pro 2' });
  });

  test("a product's detail lists its published plans only", async () => {
    const { product } = await publishedPlan(env.api);
    await createPlan(env.api, product, 'draft-only');
    expect((await expectStatus(env.api.get(`/catalog/products/${product.id}/`), 200)).plans).toEqual(['pro']);
  });
});

describe('publish', () => {
  test('records the migration choice in the publish log', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    expect(await publish(env.api, 'pro', { updateFeatures: true, updatePricing: false })).toEqual({ status: 'published' });
    expect(env.emulator.publishLog.map(({ at: _at, ...entry }) => entry)).toEqual([
      { identifier: 'pro', version: 1, updateFeatures: false, updatePricing: false },
      { identifier: 'pro', version: 2, updateFeatures: true, updatePricing: false },
    ]);
  });

  test('400 when the newest version is already published', async () => {
    await publishedPlan(env.api);
    const response = await env.api.post('/catalog/plans/pro/publish/');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ status: 'Bad request', message: expect.stringMatching(/already published/) });
  });

  test('400 when the newest version has no price', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    const response = await env.api.post('/catalog/plans/pro/publish/');
    expect([response.status, response.body.message]).toEqual([400, expect.stringMatching(/no price/)]);
    expect(env.emulator.publishLog).toEqual([]);
  });

  test("400 naming the currency when PAID prices miss the product's settings currency", async () => {
    const product = await createProduct(env.api);
    await expectStatus(env.api.patch(`/catalog/products/${product.id}/settings/`, { currency: 'GBP' }), 200);
    await createPlan(env.api, product);
    await setPrices(env.api, 'pro', [flatPrice(10, 'USD'), flatPrice(9, 'EUR')]);
    const response = await env.api.post('/catalog/plans/pro/publish/');
    expect([response.status, response.body.message]).toEqual([400, expect.stringMatching(/PAID prices but none in GBP/)]);
    await setPrices(env.api, 'pro', [flatPrice(10, 'USD'), flatPrice(8, 'GBP')]);
    await publish(env.api, 'pro');
  });

  test('428 while the billing provider is not connected', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    await setPrices(env.api, 'pro', [flatPrice(10)]);
    env.emulator.setBillingProviderConnected(false);
    const response = await env.api.post('/catalog/plans/pro/publish/');
    expect([response.status, response.body]).toEqual([428, { status: 'Precondition required', message: expect.stringMatching(/Billing provider/) }]);
    expect((await planVersion(env.api, 'pro')).isLatest).toBe(false);
    env.emulator.setBillingProviderConnected(true);
    await publish(env.api, 'pro');
  });
});

describe('discard and archive', () => {
  test('discard deletes the newest draft; the published version stays', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    const response = await env.api.delete('/catalog/plans/pro/discard/');
    expect([response.status, response.text]).toEqual([204, '']);
    expect(await planVersion(env.api, 'pro')).toMatchObject({ version: 1, isLatest: true, name: 'Pro' });
    expect((await env.api.get('/catalog/plans/pro/?version=2')).status).toBe(404);
  });

  test('discarding a never-published version 1 removes the plan', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    expect((await env.api.delete('/catalog/plans/pro/discard/')).status).toBe(204);
    expect((await env.api.get('/catalog/plans/pro/')).status).toBe(404);
    expect((await expectStatus(env.api.get('/catalog/plans/'), 200)).count).toBe(0);
    await createPlan(env.api, product);
  });

  test('discard answers 400 when the newest version is published', async () => {
    await publishedPlan(env.api);
    const response = await env.api.delete('/catalog/plans/pro/discard/');
    expect([response.status, response.body.message]).toEqual([400, expect.stringMatching(/no draft to discard/)]);
    expect((await planVersion(env.api, 'pro')).isLatest).toBe(true);
  });

  test('DELETE archives every version: gone from the list and every read but the GET by identifier (marked isArchived), a second DELETE is 400', async () => {
    await publishedPlan(env.api);
    await expectStatus(env.api.patch('/catalog/plans/pro/', { name: 'Pro 2' }), 200);
    const response = await env.api.delete('/catalog/plans/pro/');
    expect([response.status, response.text]).toEqual([204, '']);
    for (const path of ['/catalog/plans/pro/prices/', '/catalog/plans/pro/features/']) {
      expect([path, (await env.api.get(path)).status]).toEqual([path, 404]);
    }
    // NOTES.md: "a GET by identifier may still return the archived record".
    for (const [path, version] of [['/catalog/plans/pro/', 2], ['/catalog/plans/pro/?version=1', 1]] as const) {
      expect(await expectStatus(env.api.get(path), 200)).toMatchObject({ identifier: 'pro', version, isArchived: true });
    }
    expect((await env.api.patch('/catalog/plans/pro/', { name: 'Pro 3' })).status).toBe(404);
    expect((await expectStatus(env.api.get('/catalog/plans/'), 200)).results).toEqual([]);
    expect(env.emulator.store.plans.get('pro')?.archived).toBe(true);
    expect((await env.api.delete('/catalog/plans/pro/')).status).toBe(400);
    // An archived plan keeps its identifier.
    expect((await env.api.post('/catalog/plans/', { name: 'Pro', identifier: 'pro', product: env.emulator.store.productByIdentifier('acme')!.id })).status).toBe(400);
  });

  test('plans of an archived product leave the list', async () => {
    const { product } = await publishedPlan(env.api);
    expect((await env.api.delete(`/catalog/products/${product.id}/`)).status).toBe(204);
    expect((await expectStatus(env.api.get('/catalog/plans/'), 200)).count).toBe(0);
  });
});
