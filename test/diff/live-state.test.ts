import { afterEach, expect, test } from 'vitest';
import { fetchLiveState, scopeOf } from '../../src/diff/index.js';
import type { KelviqClient } from '../../src/client/index.js';
import { generateCatalog } from '../../bench/generate-catalog.js';
import { startHarness, type Harness } from '../helpers/engine.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

test('the snapshot uses the minimum requests: lists, settings of managed products, two lists per managed plan', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 250, entitlementsPerPlan: 3, pricesPerPlan: 1 });
  await h.apply(catalog);
  h.counter.byEndpoint.clear();
  const live = await fetchLiveState(h.client, scopeOf(catalog));
  expect(live.plans.size).toBe(250);
  expect(h.counter.toJSON()).toEqual({
    'GET /catalog/features/': 1,
    'GET /catalog/plans/': 3,
    'GET /catalog/plans/{identifier}/features/': 250,
    'GET /catalog/plans/{identifier}/prices/': 250,
    'GET /catalog/products/': 1,
    'GET /catalog/products/{pk}/settings/': 1,
  });
});

test('a list that fails after its first page rejects with that error, leaving no stray rejections behind', async () => {
  const plan = { identifier: 'pro', name: 'Pro', product: 'p', version: 1, isLatest: true };
  const failLater = () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('per-plan request failed')), 20));
  const client = {
    listProducts: async () => [],
    listFeatures: async () => [],
    listPlans: async (options: { onPage?: (items: unknown[]) => void }) => {
      options.onPage?.([plan]);
      throw new Error('page 2 of plans failed');
    },
    listEntitlements: failLater,
    listPrices: failLater,
  } as unknown as KelviqClient;
  await expect(fetchLiveState(client, { productSettings: [], planEntitlements: ['pro'], planPrices: ['pro'] })).rejects.toThrow('page 2 of plans failed');
  // Give the per-plan requests time to fail: vitest fails the run on an unhandled rejection.
  await new Promise((resolve) => setTimeout(resolve, 50));
});
