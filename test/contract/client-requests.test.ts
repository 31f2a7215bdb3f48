/**
 * The client against the official spec: a whole engine lifecycle (create everything, change one field of each
 * kind, remove entitlements and prices, publish with migration, prune) is run over HTTP, and every request body
 * the client sent is validated against the spec's request schema (readOnly fields and undeclared fields refused).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KelviqClient, type RequestEvent } from '../../src/client/index.js';
import { computePlan, applyPlan, type PlanDecisions } from '../../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { Catalog } from '../../src/schema/model.js';
import { loadCatalog } from '../../src/schema/index.js';
import { clone, sampleCatalog } from '../helpers/engine.js';
import { SPEC_PATH, loadOpenApi } from '../helpers/openapi.js';

describe(`client request bodies against the official spec (${SPEC_PATH})`, () => {
  let emulator: RunningEmulator;
  let client: KelviqClient;
  const sent: RequestEvent[] = [];

  async function converge(catalog: Catalog, decisions: Partial<PlanDecisions> = {}) {
    const computed = await computePlan({ client, catalog, environment: 'sandbox', decisions });
    const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
    expect(result.failed.map((f) => f.error.message)).toEqual([]);
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, onRequest: (event) => sent.push(event) });

    const examples = (await loadCatalog('examples/catalog')).catalog;
    if (!examples) throw new Error('examples/catalog does not load');
    await converge(examples, { publish: true });

    // Both catalogs declare sso; a feature cannot be changed through the API (apply refuses a plan that would),
    // so the sample takes the examples' definition of it.
    const catalog = sampleCatalog();
    catalog.features = catalog.features.map((feature) => (feature.identifier === 'sso' ? examples.features.find((f) => f.identifier === 'sso')! : feature));
    await converge(catalog, { publish: true });
    const changed = clone(catalog);
    const [product] = changed.products;
    const pro = changed.plans.find((p) => p.identifier === 'pro');
    if (!product || !pro?.entitlements || !pro.prices) throw new Error('fixture');
    product.description = 'Changed';
    product.settings = { currency: 'USD', vpn: true, tor: false, proxy: false, productUrl: 'https://acme.example' };
    pro.name = 'Pro 2';
    pro.metadata = { tier: 'gold' };
    pro.license = { enabled: true, activationLimit: 4, durationUnit: 'YEAR', durationValue: 1, hasExpiry: true };
    pro.links = [{ name: 'Docs', url: 'https://example.com/v2' }];
    pro.entitlements.seats = { value: 25, hardLimit: true };
    delete pro.entitlements.sso;
    pro.prices = pro.prices.filter((price) => price.currency === 'USD');
    await converge(changed, { publish: true, migrateFeatures: true, migratePricing: true });
    const pruned = clone(changed);
    pruned.plans = pruned.plans.filter((p) => p.identifier !== 'free');
    await converge(pruned, { prune: true });
  });

  afterAll(async () => {
    await client?.close();
    await emulator?.close();
  });

  test('every kind of write was exercised', () => {
    const written = new Set(sent.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.template}`));
    expect([...written].sort()).toEqual(
      [
        'DELETE /catalog/features/{pk}/',
        'DELETE /catalog/plans/{identifier}/',
        'DELETE /catalog/plans/{identifier}/features/{feature_id}/',
        'PATCH /catalog/plans/{identifier}/',
        'PATCH /catalog/plans/{identifier}/features/{feature_id}/',
        'PATCH /catalog/products/{pk}/',
        'PATCH /catalog/products/{pk}/settings/',
        'POST /catalog/features/',
        'POST /catalog/plans/',
        'POST /catalog/plans/{identifier}/features/',
        'POST /catalog/plans/{identifier}/prices/bulk/',
        'POST /catalog/plans/{identifier}/publish/',
        'POST /catalog/products/',
      ].sort(),
    );
  });

  test('every request body validates against the spec', () => {
    const spec = loadOpenApi();
    const bodies = sent.filter((event) => event.body !== undefined);
    expect(bodies.length).toBeGreaterThan(40);
    const problems = bodies.flatMap((event) =>
      spec.validateRequestBody(event.method, event.template, event.body).map((error) => `${event.method} ${event.path}: ${error}`),
    );
    expect(problems).toEqual([]);
  });
});
