import { afterEach, describe, expect, test } from 'vitest';
import { fetchLiveState, fingerprintLiveState, scopeOf } from '../../src/diff/index.js';
import { startLiveReads, type LiveState } from '../../src/diff/live-state.js';
import type { KelviqClient } from '../../src/client/index.js';
import { generateCatalog, mutateCatalog } from '../../bench/generate-catalog.js';
import { computePlan, planAgainst } from '../../src/apply/index.js';
import { startHarness, type Harness } from '../helpers/engine.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * Waits until `count` requests were made since the counter was last cleared, or `timeoutMs` passed.
 * (counter.total is not reset by clearing byEndpoint: what was read since the clear is counted here.)
 */
async function requestsSinceClear(count: number, timeoutMs: number): Promise<void> {
  const since = () => [...h!.counter.byEndpoint.values()].reduce((sum, n) => sum + n, 0);
  for (let waited = 0; since() < count && waited < timeoutMs; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The minimum read of 250 managed plans of one product: the three lists (plans in 3 pages of 100), settings, two lists per plan. */
const MINIMUM_FOR_250_PLANS = {
  'GET /catalog/features/': 1,
  'GET /catalog/plans/': 3,
  'GET /catalog/plans/{identifier}/features/': 250,
  'GET /catalog/plans/{identifier}/prices/': 250,
  'GET /catalog/products/': 1,
  'GET /catalog/products/{pk}/settings/': 1,
};

test('the snapshot uses the minimum requests: lists, settings of managed products, two lists per managed plan', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 250, entitlementsPerPlan: 3, pricesPerPlan: 1 });
  await h.apply(catalog);
  h.counter.byEndpoint.clear();
  const live = await fetchLiveState(h.client, scopeOf(catalog));
  expect(live.plans.size).toBe(250);
  expect(h.counter.toJSON()).toEqual(MINIMUM_FOR_250_PLANS);

  // A plan the catalog would create costs one GET by identifier (the list hides archived plans, whose
  // identifiers stay taken); plans that exist cost nothing extra.
  h.counter.byEndpoint.clear();
  const product = catalog.plans[0]!.product;
  const withNew = { ...catalog, plans: [...catalog.plans, { identifier: 'new-a', product, name: 'A' }, { identifier: 'new-b', product, name: 'B' }] };
  await fetchLiveState(h.client, scopeOf(withNew));
  expect(h.counter.count('GET', '/catalog/plans/{identifier}/')).toBe(2);
}, 60_000);

test('lists started before the catalog is known: the same snapshot and the same minimum requests, pages read early replayed', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 250, entitlementsPerPlan: 3, pricesPerPlan: 1 });
  await h.apply(catalog);
  const reference = await fetchLiveState(h.client, scopeOf(catalog));
  h.counter.byEndpoint.clear();
  const lists = startLiveReads(h.client);
  // As while the CLI parses the catalog: every list page arrives before anyone asks for it.
  await requestsSinceClear(5, 10_000);
  // A moment more, in which a request beyond the lists would show up.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(h.counter.toJSON()).toEqual({ 'GET /catalog/features/': 1, 'GET /catalog/plans/': 3, 'GET /catalog/products/': 1 });
  const live = await fetchLiveState(h.client, scopeOf(catalog), { early: lists });
  expect(fingerprintLiveState(live, { baseUrl: 'http://x', environment: 'sandbox' })).toBe(fingerprintLiveState(reference, { baseUrl: 'http://x', environment: 'sandbox' }));
  expect(h.counter.toJSON()).toEqual(MINIMUM_FOR_250_PLANS);
}, 60_000);

test('a scope guessed from the catalog text: its reads start before the catalog is known, and the fetch is taken over', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 250, entitlementsPerPlan: 3, pricesPerPlan: 1 });
  await h.apply(catalog);
  const reference = await fetchLiveState(h.client, scopeOf(catalog));
  h.counter.byEndpoint.clear();
  const reads = startLiveReads(h.client);
  reads.guess(scopeOf(catalog));
  // Everything is read before anyone asks for the snapshot (as while the CLI parses the catalog).
  await requestsSinceClear(506, 20_000);
  expect(h.counter.toJSON()).toEqual(MINIMUM_FOR_250_PLANS);
  const completed: string[] = [];
  const live = await fetchLiveState(h.client, scopeOf(catalog), { early: reads, onPlanComplete: (identifier) => completed.push(identifier) });
  expect(fingerprintLiveState(live, { baseUrl: 'http://x', environment: 'sandbox' })).toBe(fingerprintLiveState(reference, { baseUrl: 'http://x', environment: 'sandbox' }));
  // Taken over, not read again; and every plan completed before is handed to the caller.
  expect(h.counter.toJSON()).toEqual(MINIMUM_FOR_250_PLANS);
  expect(completed.sort()).toEqual(catalog.plans.map((p) => p.identifier).sort());
}, 60_000);

test('a wrong guess: the snapshot is the real scope\'s, exactly; only the wrongly guessed reads are extra', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 20, entitlementsPerPlan: 3, pricesPerPlan: 1 });
  await h.apply(catalog);
  const real = scopeOf(catalog);
  const reference = await fetchLiveState(h.client, real);
  h.counter.byEndpoint.clear();
  const reads = startLiveReads(h.client);
  // The guess misses one plan's prices and claims entitlements of a plan the catalog does not manage.
  const [first, second] = catalog.plans.map((p) => p.identifier);
  reads.guess({ ...real, planPrices: real.planPrices.filter((id) => id !== first), planEntitlements: real.planEntitlements });
  const withoutSecondEntitlements = { ...real, planEntitlements: real.planEntitlements.filter((id) => id !== second) };
  const expected = await fetchLiveState(h.client, withoutSecondEntitlements);
  h.counter.byEndpoint.clear();
  const live = await fetchLiveState(h.client, withoutSecondEntitlements, { early: reads });
  const target = { baseUrl: 'http://x', environment: 'sandbox' } as const;
  expect(fingerprintLiveState(live, target)).toBe(fingerprintLiveState(expected, target));
  expect(live.plans.get(second!)?.newest.entitlements).toBeUndefined();
  expect(live.plans.get(first!)?.newest.prices).toEqual(reference.plans.get(first!)?.newest.prices);
  // The real scope's own reads, beside the guess's: the lists are not read again.
  expect(h.counter.count('GET', '/catalog/plans/')).toBe(0);
  expect(h.counter.count('GET', '/catalog/plans/{identifier}/prices/')).toBe(20);
}, 60_000);

test('customer impact costs one paginated subscriptions read per run, and none when no plan of the catalog is published', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 30, entitlementsPerPlan: 1, pricesPerPlan: 1 });
  await h.apply(catalog);
  // Only unpublished drafts: nobody can be on them, so the read is skipped.
  h.counter.byEndpoint.clear();
  expect((await fetchLiveState(h.client, scopeOf(catalog), { subscriptions: true })).subscriptions).toBeUndefined();
  expect(h.counter.count('GET', '/subscriptions/')).toBe(0);

  await h.apply(catalog, { publish: true });
  const plans = catalog.plans.map((plan) => plan.identifier);
  h.emulator.loadSeed({
    ...h.emulator.exportSeed(),
    subscriptions: Array.from({ length: 250 }, (_, index) => ({ customerId: `c-${index}`, plan: plans[index % plans.length]!, status: index % 5 === 0 ? 'canceled' : 'active' })),
  });
  h.counter.byEndpoint.clear();
  const live = await fetchLiveState(h.client, scopeOf(catalog), { subscriptions: true });
  // 250 rows at 100 a page, started with the lists (not after the diff): 3 requests, beside the usual budget.
  expect(h.counter.toJSON()).toEqual({
    'GET /catalog/features/': 1,
    'GET /catalog/plans/': 1,
    'GET /catalog/plans/{identifier}/features/': 30,
    'GET /catalog/plans/{identifier}/prices/': 30,
    'GET /catalog/products/': 1,
    'GET /catalog/products/{pk}/settings/': 1,
    'GET /subscriptions/': 3,
  });
  expect(live.subscriptions?.read && [...live.subscriptions.byPlan.values()].reduce((sum, counts) => sum + counts.active + counts.trialing, 0)).toBe(200);
  // Subscriptions come and go without the catalog changing: they are not part of the fingerprint.
  const target = { baseUrl: h.client.baseUrl, environment: 'sandbox' } as const;
  expect(fingerprintLiveState({ ...live, subscriptions: undefined }, target)).toBe(fingerprintLiveState(live, target));
}, 60_000);

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

describe('the live-state fingerprint', () => {
  const target = { baseUrl: 'http://127.0.0.1:1/api/v1', environment: 'sandbox' } as const;

  test('is the same for an unchanged account however the responses arrive (latency jitter, concurrency)', async () => {
    // Jitter lets each plan's prices and entitlements answer in either order, and pages in any order.
    h = await startHarness({}, { concurrency: 16 });
    const catalog = generateCatalog({ plans: 30, entitlementsPerPlan: 2, pricesPerPlan: 1 });
    await h.apply(catalog);
    h.emulator.setLatency(0, 15);
    const fingerprints = new Set<string>();
    for (let run = 0; run < 6; run += 1) {
      const live = await fetchLiveState(h.client, scopeOf(catalog));
      fingerprints.add(fingerprintLiveState(live, { baseUrl: h.client.baseUrl, environment: 'sandbox' }));
    }
    expect(fingerprints.size).toBe(1);
  }, 60_000);

  test('does not depend on the order in which keys were set', () => {
    const plan = { identifier: 'pro', name: 'Pro', product: 'p', version: 1, isLatest: true };
    const entitlements: never[] = [];
    const prices: never[] = [];
    const state = (first: 'prices' | 'entitlements'): LiveState => {
      const newest: Record<string, unknown> = { plan };
      if (first === 'prices') Object.assign(newest, { prices, entitlements });
      else Object.assign(newest, { entitlements, prices });
      return { products: new Map(), features: new Map(), plans: new Map([['pro', { newest } as never]]), featureIdentifierById: new Map() };
    };
    expect(fingerprintLiveState(state('prices'), target)).toBe(fingerprintLiveState(state('entitlements'), target));
  });

  test('differs per target, even for an empty account', () => {
    const empty = (): LiveState => ({ products: new Map(), features: new Map(), plans: new Map(), featureIdentifierById: new Map() });
    const sandbox = fingerprintLiveState(empty(), target);
    expect(fingerprintLiveState(empty(), { ...target, environment: 'production' })).not.toBe(sandbox);
    expect(fingerprintLiveState(empty(), { ...target, baseUrl: 'https://api.kelviq.com/api/v1' })).not.toBe(sandbox);
  });
});

test('plans compared while the snapshot is read (onPlanComplete) make the same diff as comparing after it', async () => {
  h = await startHarness();
  const catalog = generateCatalog({ plans: 120, entitlementsPerPlan: 3, pricesPerPlan: 2 });
  await h.apply(catalog, { publish: true });
  // Pending drafts over published versions, and plans the catalog changes: every kind of per-plan comparison.
  await h.apply(mutateCatalog(catalog, 0.2));
  const desired = mutateCatalog(catalog, 0.1);
  const computed = await computePlan({ client: h.client, catalog: desired, environment: 'sandbox' });
  const after = planAgainst({ catalog: desired, live: computed.live, scope: computed.scope, environment: 'sandbox' });
  expect(computed.diff.plans.some((plan) => plan.changes.length > 0)).toBe(true);
  expect(computed.diff.plans.some((plan) => plan.live?.status === 'pending-draft')).toBe(true);
  expect(computed.diff).toEqual(after.diff);
  expect(computed.plan).toEqual(after.plan);
}, 60_000);
