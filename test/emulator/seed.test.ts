/** Seed documents: the example file, pinned ids, archived flags, refusal of invalid seeds, export round trip. */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EMULATOR_DEFAULT_KEY, SeedError, parseSeed, startEmulator } from '../../src/emulator/index.js';
import { emulatorHttp } from '../helpers/emulator-http.js';
import { expectStatus, flatPrice, useEmulator } from './fixtures.js';

const EXAMPLE = fileURLToPath(new URL('../../src/emulator/seed.example.json', import.meta.url));
const env = useEmulator();

describe('seed', () => {
  test('the example seed file loads: published plan, draft over a published one, settings, ids resolved', async () => {
    const emulator = await startEmulator({ seedFile: EXAMPLE });
    const api = emulatorHttp(emulator.url, EMULATOR_DEFAULT_KEY);
    try {
      const plans = await expectStatus(api.get('/catalog/plans/'), 200);
      expect(plans.results.map((p: any) => [p.identifier, p.version, p.isLatest, p.ordering])).toEqual([
        ['free', 1, true, 1],
        ['pro', 2, false, 2],
      ]);
      expect(await expectStatus(api.get('/catalog/plans/pro/?version=1'), 200)).toMatchObject({ isLatest: true, description: 'For teams' });
      expect((await expectStatus(api.get('/catalog/plans/pro/'), 200)).details.stripeProductId).toMatch(/^prod_/);

      const product = (await expectStatus(api.get('/catalog/products/'), 200)).results[0];
      expect(await expectStatus(api.get(`/catalog/products/${product.id}/settings/`), 200)).toMatchObject({ currency: 'USD', vpn: false, tor: true });

      const features = (await expectStatus(api.get('/catalog/features/'), 200)).results;
      const apiCalls = features.find((f: any) => f.identifier === 'api-calls');
      const [price] = (await expectStatus(api.get('/catalog/plans/pro/prices/'), 200)).results;
      expect(price.chargeCatalogPrice.map((c: any) => c.feature)).toEqual([null, apiCalls.id]);
      expect(price).toMatchObject({ freeTrial: true, trialPeriod: 14, enabled: true, id: expect.any(String) });
      const entitlements = (await expectStatus(api.get('/catalog/plans/pro/features/'), 200)).results;
      expect(entitlements.map((e: any) => [e.feature.identifier, e.details.value ?? null, e.details.hasUnlimitedUsage])).toEqual([
        ['sso', true, false],
        ['seats', 20, false],
        ['api-calls', null, true],
      ]);
      // A write to the pending draft mutates it; publishing it demotes version 1.
      await expectStatus(api.post('/catalog/plans/pro/publish/'), 200);
      expect((await expectStatus(api.get('/catalog/plans/pro/?version=1'), 200)).isLatest).toBe(false);
    } finally {
      await api.close();
      await emulator.close();
    }
  });

  test('pinned ids and archived flags are honoured; archived things may still be used by plans', async () => {
    const productId = '0d65f7c0-7e91-4f56-9b32-13a9a6a7c1de';
    const featureId = '3a3e92ab-90a3-4f43-8e87-9d4c8c5a9c01';
    env.emulator.loadSeed({
      products: [{ id: productId, identifier: 'acme', name: 'Acme', taxCode: 'saas' }],
      features: [{ id: featureId, identifier: 'old', name: 'Old', featureType: 'BOOLEAN', archived: true }],
      plans: [
        { identifier: 'legacy', product: 'acme', published: true, archived: true, versions: [{ name: 'Legacy', prices: [flatPrice(1)] }] },
        { identifier: 'pro', product: 'acme', versions: [{ name: 'Pro', entitlements: { old: { value: true } } }] },
      ],
    });
    expect((await expectStatus(env.api.get(`/catalog/products/${productId}/`), 200)).identifier).toBe('acme');
    expect((await expectStatus(env.api.get(`/catalog/features/${featureId}/`), 200)).isArchived).toBe(true);
    expect((await expectStatus(env.api.get('/catalog/features/'), 200)).count).toBe(0);
    expect((await expectStatus(env.api.get('/catalog/plans/'), 200)).results.map((p: any) => p.identifier)).toEqual(['pro']);
    expect((await expectStatus(env.api.get('/catalog/plans/pro/features/'), 200)).results[0].feature.id).toBe(featureId);
  });

  test('an invalid seed is refused with every problem located, and leaves the catalog empty', async () => {
    const attempt = () =>
      env.emulator.loadSeed({
        products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas' }],
        features: [{ identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' }],
        plans: [
          { identifier: 'a', product: 'nope', versions: [{ name: 'A' }] },
          { identifier: 'b', product: 'acme', versions: [{ name: 'B', entitlements: { seats: { value: true }, ghost: { value: 1 } } }] },
          { identifier: 'c', product: 'acme', versions: [{ name: 'C', prices: [flatPrice(1), flatPrice(2)] }] },
        ],
      });
    expect(attempt).toThrow(SeedError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as SeedError).problems;
      expect(problems).toEqual([
        'plans[0] (a): product: No product with identifier "nope" in the seed.',
        'plans[1] (b): versions[0].entitlements.seats.details.value: Feature seats is CUSTOMIZABLE: value must be a number (or set hasUnlimitedUsage to true).',
        'plans[1] (b): versions[0].entitlements.ghost.feature: Invalid pk "ghost" - object does not exist.',
        'plans[2] (c): versions[0].prices[1].currency: Duplicate PAID price in USD: one price per currency.',
      ]);
    }
    expect(env.emulator.store.products.size).toBe(0);
    expect(() => parseSeed({ products: [{ identifier: 'x' }] })).toThrow(/products\.0\.name/);
    await expect(startEmulator({ seed: { plans: 'none' } })).rejects.toThrow(SeedError);
  });

  test('export → load reproduces the same API answers', async () => {
    const emulator = await startEmulator({ seedFile: EXAMPLE });
    const api = emulatorHttp(emulator.url, EMULATOR_DEFAULT_KEY);
    const snapshot = async () => {
      const withoutVolatile = (value: unknown) =>
        JSON.parse(JSON.stringify(value, (key, v) => (['id', 'modifiedOn', 'createdOn', 'stripeProductId', 'product', 'feature'].includes(key) && typeof v === 'string' ? '-' : v)));
      const paths = ['/catalog/products/', '/catalog/features/', '/catalog/plans/', '/catalog/plans/pro/?version=1', '/catalog/plans/pro/features/', '/catalog/plans/pro/prices/', '/catalog/plans/free/prices/'];
      return withoutVolatile(await Promise.all(paths.map(async (path) => (await expectStatus(api.get(path), 200)) as unknown)));
    };
    try {
      const before = await snapshot();
      emulator.loadSeed(JSON.parse(JSON.stringify(emulator.exportSeed())));
      expect(await snapshot()).toEqual(before);
      // reset() goes back to the starting seed.
      await expectStatus(api.delete('/catalog/plans/free/'), 204);
      emulator.reset();
      expect(await snapshot()).toEqual(before);
    } finally {
      await api.close();
      await emulator.close();
    }
  });
});
