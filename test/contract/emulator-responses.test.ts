/**
 * The emulator against the official spec, in each of its modes: every endpoint is exercised over HTTP, every
 * response body is validated against the spec's response schema (what it returns is allowed) and against the
 * spec's examples (what the spec shows is returned), and parsed with the client's wire schemas; every request
 * body the test sends is validated against the spec's request schema (readOnly-aware, undeclared fields refused).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import {
  EntitlementPatchResponseWire,
  EntitlementWire,
  FeatureWire,
  PlanWire,
  PriceBulkResponseWire,
  PriceWire,
  ProductRetrieveWire,
  ProductSettingsWire,
  ProductWire,
  PublishResponseWire,
  SubscriptionWire,
  paginated,
} from '../../src/client/wire.js';
import { EMULATOR_DEFAULT_KEY, EXTRA_FIELDS, ROUTES, matchTemplate, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { emulatorHttp, type EmulatorHttp } from '../helpers/emulator-http.js';
import { loadOpenApi, type OpenApiValidator } from '../helpers/openapi.js';

/** What the client parses each successful answer with. */
const WIRE: Record<string, z.ZodType> = {
  'GET /catalog/products/': paginated(ProductWire),
  'POST /catalog/products/': ProductWire,
  'GET /catalog/products/{pk}/': ProductRetrieveWire,
  'PATCH /catalog/products/{pk}/': ProductWire,
  'GET /catalog/products/{pk}/settings/': ProductSettingsWire,
  'PATCH /catalog/products/{pk}/settings/': ProductSettingsWire,
  'GET /catalog/features/': paginated(FeatureWire),
  'POST /catalog/features/': FeatureWire,
  'GET /catalog/features/{pk}/': FeatureWire,
  'GET /catalog/plans/': paginated(PlanWire),
  'POST /catalog/plans/': PlanWire,
  'GET /catalog/plans/{identifier}/': PlanWire,
  'PATCH /catalog/plans/{identifier}/': PlanWire,
  'POST /catalog/plans/{identifier}/publish/': PublishResponseWire,
  'GET /catalog/plans/{identifier}/features/': paginated(EntitlementWire),
  'POST /catalog/plans/{identifier}/features/': PlanWire,
  'PATCH /catalog/plans/{identifier}/features/{feature_id}/': EntitlementPatchResponseWire,
  'GET /catalog/plans/{identifier}/prices/': paginated(PriceWire),
  'POST /catalog/plans/{identifier}/prices/bulk/': PriceBulkResponseWire,
  'GET /subscriptions/': paginated(SubscriptionWire),
};

/**
 * What the emulator's own defaults leave out although the spec shows it: values a client did not set where the
 * spec allows no null, so leaving the key out is the only "not set" the emulator can answer with. Each entry must
 * still occur (a stale entry fails), and nothing else may be missing. With `spec-examples` nothing is missing.
 */
const DEFAULTS_MODE_OMISSIONS: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /\/license\/(activationLimit|durationUnit|durationValue)$/, why: 'a license limit or duration never set (integers with minimum 1, not nullable)' },
  { pattern: /\/charges\/\d+\/tiers$/, why: 'a FLAT or PACKAGE charge sent without tiers' },
  { pattern: /\/tiers\/\d+\/(flatAmount|unitAmount)$/, why: 'a tier sent without that amount (numbers, not nullable)' },
];

const MODES: Array<{ name: string; options: EmulatorOptions; omissions: typeof DEFAULTS_MODE_OMISSIONS }> = [
  { name: 'emulator defaults', options: {}, omissions: DEFAULTS_MODE_OMISSIONS },
  { name: 'spec examples', options: { serverValues: 'spec-examples' }, omissions: [] },
  { name: 'extra fields', options: { extraFields: true }, omissions: DEFAULTS_MODE_OMISSIONS },
  { name: 'spec examples with extra fields', options: { serverValues: 'spec-examples', extraFields: true }, omissions: [] },
];

interface Exchange {
  key: string;
  status: number;
  requestErrors: string[];
  responseErrors: string[];
  /** What the spec's examples show and the response lacks (successful answers only). */
  missingFields: string[];
  wireErrors: string[];
}

describe.each(MODES)('emulator responses against the official spec: $name', ({ options, omissions }) => {
  let spec: OpenApiValidator;
  let emulator: RunningEmulator;
  let api: EmulatorHttp;
  const exchanges: Exchange[] = [];

  /** Sends, validates request and response, records the outcome; returns the body for the next step. */
  async function call(method: string, path: string, body?: unknown): Promise<any> {
    const template = matchTemplate(path.split('?')[0]!)?.template;
    if (!template) throw new Error(`no emulator route for ${path}`);
    const key = `${method} ${template}`;
    const response = await api.send(method, path, { body });
    const wire = WIRE[key];
    const parsed = response.status < 300 && wire ? wire.safeParse(response.body) : undefined;
    exchanges.push({
      key,
      status: response.status,
      requestErrors: body === undefined ? [] : spec.validateRequestBody(method, template, body),
      responseErrors: spec.validateResponse(method, template, response.status, response.body),
      missingFields: response.status < 300 ? spec.missingShownFields(method, template, response.status, response.body) : [],
      wireErrors: parsed && !parsed.success ? parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) : [],
    });
    if (response.status >= 300) throw new Error(`${key} answered ${response.status}: ${response.text}`);
    return response.body;
  }

  beforeAll(async () => {
    spec = loadOpenApi();
    emulator = await startEmulator(options);
    api = emulatorHttp(emulator.url, EMULATOR_DEFAULT_KEY);

    // Products and settings.
    const product = await call('POST', '/catalog/products/', { name: 'Acme', identifier: 'acme', description: 'Acme cloud', taxCode: 'saas' });
    await call('GET', '/catalog/products/?page=1&page_size=100');
    await call('PATCH', `/catalog/products/${product.id}/`, { name: 'Acme Cloud', taxCode: 'software' });
    await call('GET', `/catalog/products/${product.id}/settings/`);
    await call('PATCH', `/catalog/products/${product.id}/settings/`, { vpn: false, currency: 'USD', productUrl: 'https://acme.example' });

    // Features of every kind.
    const sso = await call('POST', '/catalog/features/', { name: 'SSO', identifier: 'sso', featureType: 'BOOLEAN', metadata: { tier: 'pro' } });
    const seats = await call('POST', '/catalog/features/', { name: 'Seats', featureType: 'CUSTOMIZABLE', description: 'Team seats' });
    const calls = await call('POST', '/catalog/features/', {
      name: 'API calls',
      featureType: 'METER',
      featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } },
    });
    await call('POST', '/catalog/features/', {
      name: 'Events',
      featureType: 'METER',
      featureDetails: { featureSubType: 'RAW_EVENTS', units: { singular: 'event', plural: 'events' } },
      meter: { aggregation: { function: 'COUNT' }, filters: [] },
    });
    await call('GET', '/catalog/features/');
    await call('GET', `/catalog/features/${seats.id}/`);

    // A plan, its entitlements and prices, published, then a draft over it.
    await call('POST', '/catalog/plans/', {
      name: 'Pro',
      identifier: 'pro',
      product: product.id,
      metadata: { 'managed-by': 'kelviq-catalog' },
      isVisible: true,
      license: { enabled: true, activationLimit: 3, durationUnit: 'YEAR', durationValue: 1 },
      links: [{ name: 'Docs', url: 'https://acme.example/docs' }],
      ordering: 1,
    });
    await call('POST', '/catalog/plans/', { name: 'Basic', product: product.id });
    await call('GET', '/catalog/plans/');
    await call('PATCH', '/catalog/plans/pro/', { description: 'For teams', license: { hasExpiry: true } });
    await call('POST', '/catalog/plans/pro/features/', {
      planEntitlements: [
        { feature: sso.id, details: { value: true } },
        { feature: seats.id, details: { value: 10, hardLimit: true } },
        { feature: calls.id, details: { value: 1000, reset: 'EVERY_MONTH', usageAlerts: { enabled: true, thresholds: [75, 90], thresholdType: 'PERCENTAGE' } } },
      ],
    });
    await call('PATCH', '/catalog/plans/pro/features/seats/', { details: { value: 20 } });
    await call('GET', '/catalog/plans/pro/features/');
    await call('POST', '/catalog/plans/pro/prices/bulk/', {
      prices: [
        {
          priceType: 'PAID',
          currency: 'USD',
          freeTrial: true,
          trialPeriod: 14,
          taxBehavior: 'EXCLUSIVE',
          chargeCatalogPrice: [
            { feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 29 } }] },
            {
              feature: calls.id,
              priceModel: 'TIERED',
              paymentType: 'PAY_AS_YOU_GO',
              rollover: { enabled: false },
              charges: [{ chargePeriod: 'MONTHLY', priceData: { currency: 'USD' }, tiers: [{ upTo: 1000, unitAmount: 0 }, { upTo: null, flatAmount: 5 }, { upTo: 'inf', unitAmount: 0.002 }] }],
            },
            { feature: seats.id, priceModel: 'PACKAGE', charges: [{ chargePeriod: 'YEARLY', priceData: { amount: 100, block_size: 5 } }] },
          ],
        },
        { priceType: 'FREE' },
      ],
    });
    await call('GET', '/catalog/plans/pro/prices/');
    await call('POST', '/catalog/plans/pro/publish/', { updateFeatures: false, updatePricing: false });
    // Subscriptions (seeded: the public API has no write for them), with the spec's filters.
    emulator.loadSeed({ ...emulator.exportSeed(), subscriptions: [
      { customerId: 'c-1', plan: 'pro', status: 'active', amount: '29.00', currency: 'usd', startDate: '2025-07-28' },
      { customerId: 'c-2', plan: 'pro', status: 'trialing' },
      { customerId: 'c-3', plan: 'pro', status: 'canceled', endDate: '2025-09-01' },
    ] });
    await call('GET', '/subscriptions/');
    expect((await call('GET', '/subscriptions/?status=active,trialing&page=1&page_size=100')).count).toBe(2);
    expect((await call('GET', '/subscriptions/?customer_id=c-3')).results).toEqual([expect.objectContaining({ customerId: 'c-3', status: 'canceled', plan: expect.objectContaining({ identifier: 'pro', name: 'Pro' }) })]);
    await call('GET', `/catalog/products/${product.id}/`);
    await call('PATCH', '/catalog/plans/pro/', { name: 'Pro 2', links: [] });
    await call('GET', '/catalog/plans/pro/?version=1');
    await call('GET', '/catalog/plans/pro/');
    await call('GET', '/catalog/plans/pro/features/?version=1');
    await call('GET', '/catalog/plans/pro/prices/?version=2');
    await call('DELETE', '/catalog/plans/pro/features/sso/');
    await call('DELETE', '/catalog/plans/pro/discard/');
    await call('POST', '/catalog/plans/pro/publish/').catch(() => undefined); // 400: already published
    await call('DELETE', '/catalog/plans/basic/discard/');
    await call('DELETE', '/catalog/plans/pro/');
    await call('DELETE', `/catalog/features/${sso.id}/`);
    await call('DELETE', `/catalog/products/${product.id}/`);
  });

  afterAll(async () => {
    await api?.close();
    await emulator?.close();
  });

  test('every emulator endpoint exists in the spec, and every catalog endpoint a sync engine uses is emulated', () => {
    const emulated = ROUTES.map((route) => `${route.method} ${route.template}`).sort();
    const documented = [...spec.operations('/catalog/'), ...spec.operations('/subscriptions/')].filter((operation) => !/\/(image|file)\//.test(operation)).sort();
    expect(emulated).toEqual(documented);
  });

  test('the scenario reached every endpoint with a successful answer', () => {
    const reached = new Set(exchanges.filter((e) => e.status < 300).map((e) => e.key));
    expect(ROUTES.map((route) => `${route.method} ${route.template}`).filter((key) => !reached.has(key))).toEqual([]);
  });

  test('every response body matches the spec (204s carry no body)', () => {
    expect(exchanges.filter((e) => e.responseErrors.length).map((e) => [e.key, e.status, e.responseErrors])).toEqual([]);
    expect(exchanges.length).toBeGreaterThanOrEqual(ROUTES.length);
  });

  test('every successful response carries every field the spec shows (its examples, and its property examples)', () => {
    const missing = exchanges.flatMap((e) => e.missingFields.map((path) => `${e.key} ${path}`));
    expect(missing.filter((line) => !omissions.some(({ pattern }) => pattern.test(line)))).toEqual([]);
    // Each known omission still happens: an entry the emulator outgrew is removed, not kept as a blanket excuse.
    expect(omissions.filter(({ pattern }) => !missing.some((line) => pattern.test(line))).map(({ why }) => why)).toEqual([]);
  });

  test("every successful response parses with the client's wire schemas", () => {
    expect(exchanges.filter((e) => e.wireErrors.length).map((e) => [e.key, e.wireErrors])).toEqual([]);
    const covered = new Set(exchanges.filter((e) => e.status < 300 && WIRE[e.key]).map((e) => e.key));
    expect(Object.keys(WIRE).filter((key) => !covered.has(key))).toEqual([]);
  });

  test('every request body the scenario sent matches the spec', () => {
    expect(exchanges.filter((e) => e.requestErrors.length).map((e) => [e.key, e.requestErrors])).toEqual([]);
  });

  test('the entitlement PATCH answer (documented by example only) carries spec-valid details', async () => {
    expect(spec.hasResponseSchema('PATCH', '/catalog/plans/{identifier}/features/{feature_id}/', 200)).toBe(false);
    const fresh = await startEmulator({
      ...options,
      seed: {
        products: [{ identifier: 'p', name: 'P', taxCode: 'saas' }],
        features: [{ identifier: 'calls', name: 'Calls', featureType: 'CUSTOMIZABLE' }],
        plans: [{ identifier: 'x', product: 'p', versions: [{ name: 'X', entitlements: { calls: { value: 1 } } }] }],
      },
    });
    const client = emulatorHttp(fresh.url, EMULATOR_DEFAULT_KEY);
    try {
      const response = await client.patch('/catalog/plans/x/features/calls/', { details: { value: 20000, hasUnlimitedUsage: false } });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['details', ...(options.extraFields ? Object.keys(EXTRA_FIELDS) : [])].sort());
      expect(spec.validateSchema('PlanEntitlementDetails', response.body.details)).toEqual([]);
    } finally {
      await client.close();
      await fresh.close();
    }
  });

  test('error bodies take one of the documented error shapes', async () => {
    const bodies = [
      (await api.get('/catalog/products/', { key: null })).body,
      (await api.get('/catalog/plans/nope/')).body,
      (await api.patch(`/catalog/features/${emulator.store.featureByIdentifier('seats')!.id}/`, {})).body,
      (await api.get('/catalog/products/?page=9')).body,
      (await api.post('/catalog/plans/pro/publish/')).body,
    ];
    for (const body of bodies) {
      const asDetail = spec.validateSchema('DetailErrorResponse', body);
      const asStatus = spec.validateSchema('ErrorResponse', body);
      expect(Object.keys(body).length === 1 ? asDetail : asStatus).toEqual([]);
    }
    const fieldErrors = (await api.post('/catalog/products/', { taxCode: 'food' })).body;
    expect(Object.values(fieldErrors).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'))).toBe(true);
  });
});

describe('the OpenAPI helper itself', () => {
  const spec = loadOpenApi();

  test('nullable: null is accepted where the spec says nullable, refused elsewhere', () => {
    expect(spec.validateSchema('ProductSettings', { productUrl: null })).toEqual([]);
    expect(spec.validateSchema('PlanChargeCatalogPrice', { feature: null, resetTime: null })).toEqual([]);
    expect(spec.validateSchema('PlanCharge', { tiers: [{ upTo: null }, { upTo: 'inf' }, { upTo: 10 }] })).toEqual([]);
    expect(spec.validateSchema('ProductSettings', { currency: null })).toEqual(['/currency must be string (got null)']);
  });

  test('requests: readOnly fields are refused with a readable reason, and so are undeclared ones unless allowed', () => {
    expect(spec.validateSchema('Product', { id: '0d65f7c0-7e91-4f56-9b32-13a9a6a7c1de', name: 'x' }, 'request')).toEqual(['/id is readOnly and must not be sent']);
    expect(spec.validateSchema('Product', { id: '0d65f7c0-7e91-4f56-9b32-13a9a6a7c1de', name: 'x' }, 'response')).toEqual([]);
    expect(spec.validateRequestBody('PATCH', '/catalog/plans/{identifier}/', { ordering: 2 })).toEqual([
      '(body) has property "ordering", which the schema does not declare',
    ]);
    expect(spec.validateRequestBody('PATCH', '/api/v1/catalog/plans/{identifier}/', { ordering: 2 }, { allowUndeclared: true })).toEqual([]);
    expect(spec.validateRequestBody('POST', '/catalog/products/', { name: 'x' })).toEqual(['/taxCode is required']);
    expect(spec.validateRequestBody('POST', '/catalog/plans/{identifier}/publish/', undefined)).toEqual([]);
  });

  test('responses: wrong types, undocumented statuses, and bodies on 204 are reported', () => {
    expect(spec.validateResponse('GET', '/catalog/plans/', 200, { count: 1, next: null, previous: null, results: [{ version: '1' }] })).toEqual([
      '/results/0/version must be integer (got "1")',
    ]);
    expect(spec.validateResponse('GET', '/catalog/products/', 418, {})).toEqual(['GET /catalog/products/ does not document status 418 (documented: 200, 401)']);
    expect(spec.validateResponse('DELETE', '/catalog/plans/{identifier}/', 204, { message: 'Plan archived successfully.' })).toEqual(['a 204 response must not have a body']);
    expect(spec.validateResponse('PATCH', '/catalog/features/{pk}/', 200, {})).toEqual(['the spec has no PATCH /catalog/features/{pk}/ (it has GET, DELETE)']);
  });
});
