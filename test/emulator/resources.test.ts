/** Products, settings, features and plan creation: the HTTP surface, auth, and the validation rules. */
import { getResponse, http } from 'msw';
import { describe, expect, test } from 'vitest';
import { createFeature, createPlan, createProduct, expectStatus, flatPrice, setPrices, useEmulator } from './fixtures.js';

const env = useEmulator();

describe('HTTP surface', () => {
  test('401 without a key and with a wrong key, DRF style, with a Bearer challenge', async () => {
    const missing = await env.api.get('/catalog/products/', { key: null });
    expect([missing.status, missing.body]).toEqual([401, { detail: 'Authentication credentials were not provided.' }]);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await env.api.get('/catalog/products/', { key: 'kvq_someone_else' });
    expect([wrong.status, wrong.body]).toEqual([401, { detail: 'Invalid API key.' }]);
    // Writes are refused too, and change nothing.
    expect((await env.api.post('/catalog/products/', { name: 'X', taxCode: 'saas' }, { key: 'nope' })).status).toBe(401);
    expect(env.emulator.store.products.size).toBe(0);
  });

  test('a path without its trailing slash is 404, for reads and writes', async () => {
    for (const [method, path] of [['GET', '/catalog/products'], ['POST', '/catalog/plans'], ['GET', '/catalog/plans/pro/prices']] as const) {
      const response = await env.api.send(method, path, { body: method === 'POST' ? {} : undefined });
      expect([method, path, response.status, response.body]).toEqual([method, path, 404, { detail: 'Not found.' }]);
    }
  });

  test('unknown paths are 404 JSON; paths are case-sensitive', async () => {
    expect((await env.api.get('/catalog/nothing-here/')).body).toEqual({ detail: 'Not found.' });
    expect((await env.api.get('/CATALOG/products/')).status).toBe(404);
    expect((await env.api.get('/catalog/Products/')).status).toBe(404);
    expect((await env.api.get(`${env.emulator.origin}/elsewhere`)).status).toBe(404);
  });

  test('the Fetch handler answers the same way without the HTTP server, through msw too (for setupServer users)', async () => {
    const handlers = [http.all('*', ({ request }) => env.emulator.handle(request))];
    const answer = async (path: string, init: RequestInit = {}) => {
      const headers = { authorization: `Bearer ${env.emulator.apiKey}`, ...init.headers };
      const response = await getResponse(handlers, new Request(`https://sandboxapi.kelviq.com/api/v1${path}`, { ...init, headers }));
      return response ? [response.status, await response.json()] : 'unhandled';
    };
    expect(await answer('/catalog/products/')).toEqual([200, { count: 0, next: null, previous: null, results: [] }]);
    expect(await answer('/catalog/products')).toEqual([404, { detail: 'Not found.' }]);
    expect(await answer('/catalog/products/', { headers: { authorization: 'Bearer wrong' } })).toEqual([401, { detail: 'Invalid API key.' }]);
    const created = await answer('/catalog/products/', { method: 'POST', body: JSON.stringify({ name: 'Acme', taxCode: 'saas' }), headers: { 'content-type': 'application/json' } });
    expect(created).toEqual([201, expect.objectContaining({ identifier: 'acme' })]);
    expect(env.emulator.store.products.size).toBe(1);
  });

  test('features have no update endpoint: PATCH is 405 like DRF, with Allow', async () => {
    const feature = await createFeature(env.api, 'seats');
    const response = await env.api.patch(`/catalog/features/${feature.id}/`, { name: 'Team seats' });
    expect([response.status, response.body]).toEqual([405, { detail: 'Method "PATCH" not allowed.' }]);
    expect(response.headers.allow).toBe('GET, DELETE, OPTIONS');
    expect(env.emulator.store.features.get(feature.id)?.name).toBe('seats');
  });

  test('malformed JSON is 400, a non-JSON body 415', async () => {
    const parse = await env.api.send('POST', '/catalog/products/', { raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect([parse.status, parse.body.detail]).toEqual([400, expect.stringMatching(/^JSON parse error/)]);
    const media = await env.api.send('POST', '/catalog/products/', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([media.status, media.body.detail]).toEqual([415, 'Unsupported media type "application/x-www-form-urlencoded" in request.']);
  });

  test('DELETE answers 204 with no body at all', async () => {
    const product = await createProduct(env.api);
    const response = await env.api.delete(`/catalog/products/${product.id}/`);
    expect([response.status, response.text, response.headers['content-length'], response.headers['content-type']]).toEqual([204, '', undefined, undefined]);
  });
});

describe('products', () => {
  test('create needs name and a taxCode from the enum; field errors are DRF-shaped', async () => {
    const missing = await env.api.post('/catalog/products/', {});
    expect([missing.status, missing.body]).toEqual([400, { name: ['This field is required.'], taxCode: ['This field is required.'] }]);
    const badCode = await env.api.post('/catalog/products/', { name: 'Acme', taxCode: 'food' });
    expect([badCode.status, badCode.body]).toEqual([400, { taxCode: ['"food" is not a valid choice.'] }]);
  });

  test('the identifier is slugged from the name when omitted; a duplicate is a field error', async () => {
    const created = await expectStatus(env.api.post('/catalog/products/', { name: 'Acme Cloud Pro!', taxCode: 'saas' }), 201);
    expect(created).toMatchObject({ identifier: 'acme-cloud-pro', description: '', images: [], createdBy: expect.any(String) });
    const duplicate = await env.api.post('/catalog/products/', { name: 'Other', identifier: 'acme-cloud-pro', taxCode: 'saas' });
    expect([duplicate.status, duplicate.body]).toEqual([400, { identifier: ['product with this identifier already exists.'] }]);
  });

  test('PATCH updates the writable fields and refuses the identifier', async () => {
    const product = await createProduct(env.api);
    const updated = await expectStatus(env.api.patch(`/catalog/products/${product.id}/`, { name: 'Acme 2', description: 'd', taxCode: 'software' }), 200);
    expect(updated).toMatchObject({ id: product.id, identifier: 'acme', name: 'Acme 2', description: 'd', taxCode: 'software' });
    expect((await env.api.patch(`/catalog/products/${product.id}/`, { identifier: 'new' })).body).toEqual({ identifier: ['This field cannot be changed.'] });
  });

  test('archive: out of the list, still retrievable, DELETE again is 400, unknown id 404', async () => {
    const product = await createProduct(env.api);
    await createProduct(env.api, { identifier: 'other', name: 'Other' });
    expect((await env.api.delete(`/catalog/products/${product.id}/`)).status).toBe(204);
    const list = await expectStatus(env.api.get('/catalog/products/'), 200);
    expect(list.results.map((p: any) => p.identifier)).toEqual(['other']);
    expect((await env.api.get(`/catalog/products/${product.id}/`)).status).toBe(200);
    const again = await env.api.delete(`/catalog/products/${product.id}/`);
    expect([again.status, again.body]).toEqual([400, { status: 'Bad request', message: expect.stringMatching(/already archived/) }]);
    expect((await env.api.get('/catalog/products/3f1b7a6e-0000-4000-8000-000000000000/')).status).toBe(404);
  });

  test('search filters by name, identifier and description', async () => {
    await createProduct(env.api);
    await createProduct(env.api, { identifier: 'zeta', name: 'Zeta', description: 'Analytics suite' });
    const found = await expectStatus(env.api.get('/catalog/products/?search=analytics'), 200);
    expect(found.results.map((p: any) => p.identifier)).toEqual(['zeta']);
  });
});

describe('product settings', () => {
  test('auto-created with defaults on first read', async () => {
    const product = await createProduct(env.api);
    expect(env.emulator.store.products.get(product.id)?.settings).toBeNull();
    expect(await expectStatus(env.api.get(`/catalog/products/${product.id}/settings/`), 200)).toEqual({
      vpn: true,
      tor: true,
      proxy: true,
      currency: 'USD',
      productUrl: null,
    });
  });

  test('PATCH changes only what it is given and validates the URL and currency', async () => {
    const product = await createProduct(env.api);
    const path = `/catalog/products/${product.id}/settings/`;
    expect(await expectStatus(env.api.patch(path, { vpn: false, productUrl: 'https://acme.example' }), 200)).toEqual({
      vpn: false,
      tor: true,
      proxy: true,
      currency: 'USD',
      productUrl: 'https://acme.example',
    });
    expect((await env.api.patch(path, { productUrl: 'not a url', currency: 'dollars' })).body).toEqual({
      productUrl: ['Enter a valid URL.'],
      currency: ['Enter a valid ISO 4217 currency code.'],
    });
  });

  test("changing currency re-enables that currency's prices on the newest versions of the product's plans", async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    await setPrices(env.api, 'pro', [flatPrice(10, 'USD'), { ...flatPrice(9, 'EUR'), enabled: false }]);
    await expectStatus(env.api.patch(`/catalog/products/${product.id}/settings/`, { currency: 'EUR' }), 200);
    const prices = (await expectStatus(env.api.get('/catalog/plans/pro/prices/'), 200)).results;
    expect(prices.map((p: any) => [p.currency, p.enabled])).toEqual([
      ['USD', true],
      ['EUR', true],
    ]);
  });
});

describe('features', () => {
  test('create needs name and featureType', async () => {
    const response = await env.api.post('/catalog/features/', { featureType: 'GAUGE' });
    expect([response.status, response.body]).toEqual([400, { name: ['This field is required.'], featureType: ['"GAUGE" is not a valid choice.'] }]);
  });

  test('METER needs featureDetails.featureSubType from the enum and featureDetails.units', async () => {
    const none = await env.api.post('/catalog/features/', { name: 'Calls', featureType: 'METER' });
    expect([none.status, none.body]).toEqual([
      400,
      { featureDetails: { featureSubType: ['This field is required for METER features.'], units: ['This field is required for METER features.'] } },
    ]);
    const badSubType = await env.api.post('/catalog/features/', {
      name: 'Calls',
      featureType: 'METER',
      featureDetails: { featureSubType: 'GAUGE', units: { singular: 'call', plural: 'calls' } },
    });
    expect(badSubType.body).toEqual({ featureDetails: { featureSubType: ['"GAUGE" is not a valid choice.'] } });
    const ok = await env.api.post('/catalog/features/', {
      name: 'Calls',
      featureType: 'METER',
      featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } },
    });
    expect([ok.status, ok.body.identifier, ok.body.meter]).toEqual([201, 'calls', {}]);
  });

  // docs product-catalog/create-a-feature.mdx, "Common problems": "A Meter feature cannot be created | Enter both
  // the singular and plural unit names"; its API example sends units as { singular, plural }.
  test.each([
    ['a string', 'calls', { singular: ['This field is required for METER features.'], plural: ['This field is required for METER features.'] }],
    ['no plural', { singular: 'call' }, { plural: ['This field is required for METER features.'] }],
    ['a blank singular', { singular: ' ', plural: 'calls' }, { singular: ['This field is required for METER features.'] }],
  ])('METER units need both a singular and a plural name: %s is 400', async (_name, units, errors) => {
    const response = await env.api.post('/catalog/features/', { name: 'Calls', featureType: 'METER', featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units } });
    expect([response.status, response.body]).toEqual([400, { featureDetails: { units: errors } }]);
    expect((await expectStatus(env.api.get('/catalog/features/'), 200)).count).toBe(0);
  });

  test('RAW_EVENTS also needs a meter with aggregation and filters', async () => {
    const featureDetails = { featureSubType: 'RAW_EVENTS', units: { singular: 'event', plural: 'events' } };
    const noMeter = await env.api.post('/catalog/features/', { name: 'Events', featureType: 'METER', featureDetails });
    expect([noMeter.status, noMeter.body]).toEqual([400, { meter: ['This field is required for RAW_EVENTS meters.'] }]);
    const partial = await env.api.post('/catalog/features/', { name: 'Events', featureType: 'METER', featureDetails, meter: { aggregation: { function: 'COUNT' } } });
    expect(partial.body).toEqual({ meter: { filters: ['This field is required for RAW_EVENTS meters.'] } });
    const ok = await env.api.post('/catalog/features/', { name: 'Events', featureType: 'METER', featureDetails, meter: { aggregation: { function: 'COUNT' }, filters: [] } });
    expect([ok.status, ok.body.meter]).toEqual([201, { aggregation: { function: 'COUNT' }, filters: [] }]);
  });

  test('a duplicate identifier is a field error', async () => {
    await createFeature(env.api, 'seats');
    const duplicate = await env.api.post('/catalog/features/', { name: 'Seats', featureType: 'BOOLEAN' });
    expect([duplicate.status, duplicate.body]).toEqual([400, { identifier: ['feature with this identifier already exists.'] }]);
  });

  test('archive: out of the list, retrievable with isArchived, DELETE again is 400', async () => {
    const seats = await createFeature(env.api, 'seats');
    await createFeature(env.api, 'sso', 'BOOLEAN');
    expect((await env.api.delete(`/catalog/features/${seats.id}/`)).status).toBe(204);
    expect((await expectStatus(env.api.get('/catalog/features/'), 200)).results.map((f: any) => f.identifier)).toEqual(['sso']);
    expect((await expectStatus(env.api.get(`/catalog/features/${seats.id}/`), 200)).isArchived).toBe(true);
    expect((await env.api.delete(`/catalog/features/${seats.id}/`)).status).toBe(400);
  });
});

describe('plan create and update', () => {
  test('create needs a name and an existing product UUID', async () => {
    const missing = await env.api.post('/catalog/plans/', {});
    expect(missing.body).toEqual({ name: ['This field is required.'], product: ['This field is required.'] });
    const unknown = await env.api.post('/catalog/plans/', { name: 'Pro', product: '3f1b7a6e-0000-4000-8000-000000000000' });
    expect(unknown.body).toEqual({ product: ['Invalid pk "3f1b7a6e-0000-4000-8000-000000000000" - object does not exist.'] });
  });

  test('a duplicate identifier is a field error; the identifier is slugged from the name', async () => {
    const product = await createProduct(env.api);
    expect((await expectStatus(env.api.post('/catalog/plans/', { name: 'Pro Monthly', product: product.id }), 201)).identifier).toBe('pro-monthly');
    const duplicate = await env.api.post('/catalog/plans/', { name: 'Pro Monthly', product: product.id });
    expect([duplicate.status, duplicate.body]).toEqual([400, { identifier: ['plan with this identifier already exists.'] }]);
  });

  test('server defaults on a new plan', async () => {
    const product = await createProduct(env.api);
    const plan = await createPlan(env.api, product, 'pro', { ordering: 3, license: { enabled: true, activationLimit: 3 } });
    expect(plan).toEqual({
      identifier: 'pro',
      name: 'Pro',
      description: '',
      product: product.id,
      metadata: {},
      version: 1,
      isLatest: false,
      modifiedOn: expect.any(String),
      createdOn: expect.any(String),
      details: {},
      isVisible: true,
      isImported: false,
      countries: [],
      license: { enabled: true, activationLimit: 3, activationLimitEnabled: false, hasExpiry: false },
      links: [],
      files: [],
      ordering: 3,
    });
    expect((await createPlan(env.api, product, 'basic')).ordering).toBeNull();
  });

  test('PATCH refuses ordering and product (not in PlanUpdateRequest) and creates no draft', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product);
    await setPrices(env.api, 'pro', [flatPrice(5)]);
    await expectStatus(env.api.post('/catalog/plans/pro/publish/'), 200);
    const response = await env.api.patch('/catalog/plans/pro/', { ordering: 2, product: product.id });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body).sort()).toEqual(['ordering', 'product']);
    expect(env.emulator.store.plans.get('pro')?.versions).toHaveLength(1);
  });

  test('PATCH merges license keys and validates links', async () => {
    const product = await createProduct(env.api);
    await createPlan(env.api, product, 'pro', { license: { enabled: true, activationLimit: 3 } });
    const updated = await expectStatus(env.api.patch('/catalog/plans/pro/', { license: { activationLimit: 5 } }), 200);
    expect(updated.license).toEqual({ enabled: true, activationLimit: 5, activationLimitEnabled: false, hasExpiry: false });
    const bad = await env.api.patch('/catalog/plans/pro/', { links: [{ name: 'Docs', url: 'docs' }], license: { activationLimit: 0 } });
    expect(bad.body).toEqual({ links: [{ url: ['Enter a valid URL.'] }], license: { activationLimit: ['Ensure this value is greater than or equal to 1.'] } });
  });

  // docs product-catalog/links.mdx, "URL Requirements": "Each link requires both a name and URL to be saved".
  test('a link needs a name: a blank one is 400, on create and on PATCH', async () => {
    const product = await createProduct(env.api);
    const created = await env.api.post('/catalog/plans/', { name: 'Pro', identifier: 'pro', product: product.id, links: [{ name: ' ', url: 'https://acme.example/docs' }] });
    expect([created.status, created.body]).toEqual([400, { links: [{ name: ['This field may not be blank.'] }] }]);
    await createPlan(env.api, product);
    const patched = await env.api.patch('/catalog/plans/pro/', { links: [{ name: 'Docs', url: 'https://acme.example/docs' }, { name: '', url: 'https://acme.example/chat' }] });
    expect([patched.status, patched.body]).toEqual([400, { links: [{}, { name: ['This field may not be blank.'] }] }]);
    expect((await expectStatus(env.api.get('/catalog/plans/pro/'), 200)).links).toEqual([]);
  });
});

describe('request bodies: unknown keys refused wherever the spec lists properties', () => {
  const UNKNOWN = ['Unknown field: the Kelviq API specification does not list it here.'];

  test('at the top level and nested (license, links, prices, charges, tiers, usage alerts), located, with no write', async () => {
    const product = await createProduct(env.api);
    expect((await env.api.post('/catalog/products/', { name: 'B', taxCode: 'saas', currency: 'USD' })).body).toEqual({ currency: UNKNOWN });
    expect((await env.api.patch(`/catalog/products/${product.id}/settings/`, { vpn: true, country: 'US' })).body).toEqual({ country: UNKNOWN });
    const plan = await env.api.post('/catalog/plans/', { name: 'Pro', product: product.id, license: { enabled: true, seats: 3 }, links: [{ name: 'a', url: 'https://a.example', rel: 'x' }] });
    expect(plan.status).toBe(400);
    expect(plan.body).toEqual({ license: { seats: UNKNOWN }, links: [{ rel: UNKNOWN }] });
    expect(env.emulator.store.plans.size).toBe(0);

    await createPlan(env.api, product);
    const seats = await createFeature(env.api, 'seats');
    const price = {
      ...flatPrice(5),
      interval: 'month',
      chargeCatalogPrice: [
        { feature: seats.id, priceModel: 'TIERED', usageAlerts: { enabled: true, level: 1 }, charges: [{ chargePeriod: 'MONTHLY', id: 'x', tiers: [{ upTo: 'inf', unitAmount: 1, currency: 'USD' }] }] },
      ],
    };
    const bulk = await env.api.post('/catalog/plans/pro/prices/bulk/', { prices: [price] });
    expect(bulk.status).toBe(400);
    expect(bulk.body).toEqual({
      prices: [{ interval: UNKNOWN, chargeCatalogPrice: [{ usageAlerts: { level: UNKNOWN }, charges: [{ id: UNKNOWN, tiers: [{ currency: UNKNOWN }] }] }] }],
    });
    expect((await env.api.post('/catalog/plans/pro/publish/', { updateFeatures: true, notify: true })).body).toEqual({ notify: UNKNOWN });
  });

  test('objects the spec leaves open keep unknown keys: entitlement details, metadata, priceData', async () => {
    const product = await createProduct(env.api);
    const seats = await createFeature(env.api, 'seats');
    await createPlan(env.api, product, 'pro', { metadata: { anything: { nested: true } } });
    const added = await env.api.post('/catalog/plans/pro/features/', { planEntitlements: [{ feature: seats.id, details: { value: 5, futureOption: 'kept' } }] });
    expect(added.status).toBe(201);
    const listed = await expectStatus(env.api.get('/catalog/plans/pro/features/'), 200);
    expect(listed.results[0].details.futureOption).toBe('kept');
    const price = { priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 5, note: 'kept' } }] }] };
    const stored = await setPrices(env.api, 'pro', [price]);
    expect(stored.prices[0].chargeCatalogPrice[0].charges[0].priceData).toEqual({ amount: 5, note: 'kept' });
  });
});
