/**
 * The convergence property, shared by the fast run in `npm test` and the long run (`npm run test:long`):
 *
 *   for a random valid catalog × a random starting live state (empty, partly applied, pending drafts, dashboard
 *   edits) × a random fault schedule (errors and resets before processing, commits whose answer is lost, a rate
 *   limit), running apply — again on failure, up to a bound — ends with: plan shows no changes; no duplicate
 *   resources live; no plan with more than one pending draft; nothing outside the catalog modified unless pruned
 *   under the marker rule.
 *
 * Catalogs draw from a fixed universe (features keep their definition, plans their product) because a feature
 * cannot be changed through the API and a plan cannot move product: those are plan-time errors by design, not
 * convergence failures.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { computePlan, applyPlan, type PlanDecisions } from '../../src/apply/index.js';
import { KelviqClient } from '../../src/client/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator, type FaultKind } from '../../src/emulator/index.js';
import type { Catalog, EntitlementDetails, Feature, Plan, Price } from '../../src/schema/model.js';

const FEATURES: Feature[] = [
  { identifier: 'sso', name: 'SSO', featureType: 'BOOLEAN' },
  { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
  { identifier: 'projects', name: 'Projects', featureType: 'CUSTOMIZABLE' },
  { identifier: 'api-calls', name: 'API calls', featureType: 'METER', featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } } },
];
const PLAN_IDS = ['free', 'starter', 'pro', 'team', 'enterprise'];
const productOf = (plan: string) => (plan === 'enterprise' ? 'beta' : 'alpha');

const entitlementArb = (feature: Feature): fc.Arbitrary<EntitlementDetails> => {
  if (feature.featureType === 'BOOLEAN') return fc.boolean().map((value) => ({ value }));
  if (feature.featureType === 'CUSTOMIZABLE') return fc.integer({ min: 1, max: 100 }).map((value) => ({ value }));
  return fc.oneof(
    fc.integer({ min: 100, max: 10_000 }).map((value): EntitlementDetails => ({ value, reset: 'EVERY_MONTH' })),
    fc.constant<EntitlementDetails>({ hasUnlimitedUsage: true }),
  );
};

const flatPrice = (currency: string, amount: number): Price => ({
  priceType: 'PAID',
  currency,
  chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount } }] }],
});

/** PAID prices always include USD, the products' currency, so every plan can be published. */
const pricesArb: fc.Arbitrary<Price[]> = fc.oneof(
  fc.constant<Price[]>([{ priceType: 'FREE' }]),
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.boolean(), fc.boolean()).map(([amount, eur, trial]) => {
    const usd: Price = { ...flatPrice('USD', amount), ...(trial ? { freeTrial: true, trialPeriod: 14 } : {}) };
    return eur ? [usd, flatPrice('EUR', amount + 1)] : [usd];
  }),
);

const planArb = (identifier: string): fc.Arbitrary<Plan> =>
  fc
    .record({
      name: fc.constantFrom('Basic', 'Plus', 'Premium', 'Gold'),
      description: fc.option(fc.constantFrom('For individuals', 'For teams'), { nil: undefined }),
      features: fc.subarray(FEATURES),
      prices: pricesArb,
      manageEntitlements: fc.boolean(),
    })
    .chain(({ name, description, features, prices, manageEntitlements }) =>
      fc.tuple(...features.map(entitlementArb)).map((details) => {
        const plan: Plan = { identifier, product: productOf(identifier), name, prices };
        if (description !== undefined) plan.description = description;
        if (manageEntitlements) plan.entitlements = Object.fromEntries(features.map((f, i) => [f.identifier, details[i] ?? {}]));
        return plan;
      }),
    );

export const catalogArb: fc.Arbitrary<Catalog> = fc
  .subarray(PLAN_IDS, { minLength: 1 })
  .chain((ids) => fc.tuple(...ids.map(planArb)))
  .map((plans) => {
    const products = [...new Set(plans.map((p) => p.product))].map((identifier) => ({
      identifier,
      name: identifier === 'alpha' ? 'Alpha' : 'Beta',
      taxCode: 'saas' as const,
      settings: { currency: 'USD' },
    }));
    // Every feature a plan grants must be declared; declare the whole universe so removals are exercised too.
    return { products, features: FEATURES, plans };
  });

export type StartingState = 'empty' | 'partly-applied' | 'published-with-pending-drafts' | 'dashboard-edits';
export const startingStateArb = fc.constantFrom<StartingState>('empty', 'partly-applied', 'published-with-pending-drafts', 'dashboard-edits');

export interface FaultPlan {
  seed: number;
  probability: number;
  kinds: FaultKind[];
  rateLimit: number | null;
}
export const faultsArb: fc.Arbitrary<FaultPlan> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  probability: fc.constantFrom(0, 0.05, 0.15, 0.3),
  kinds: fc.subarray(['error-before', 'reset-before', 'commit-then-error', 'commit-then-reset'] as FaultKind[], { minLength: 1 }),
  rateLimit: fc.constantFrom(null, null, 200),
});

export const decisionsArb: fc.Arbitrary<Partial<PlanDecisions>> = fc.record({ publish: fc.boolean(), prune: fc.boolean() });

export interface ScenarioStats {
  runs: number;
  faultsInjected: number;
  rerunsNeeded: number;
}

const MAX_ATTEMPTS = 8;

/** Sets up the starting state (without faults), returns what must stay untouched. */
async function arrange(client: KelviqClient, previous: Catalog, start: StartingState) {
  const converge = async (c: Catalog, decisions: Partial<PlanDecisions>) => {
    const computed = await computePlan({ client, catalog: c, environment: 'sandbox', decisions });
    await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
  };
  const untouched: Array<{ identifier: string; version: number; name: string }> = [];
  if (start === 'empty') return untouched;
  if (start === 'partly-applied') {
    const computed = await computePlan({ client, catalog: previous, environment: 'sandbox' });
    const half = { ...computed.plan, actions: computed.plan.actions.slice(0, Math.ceil(computed.plan.actions.length / 2)) };
    await applyPlan(half, { client, live: computed.live, environment: 'sandbox', concurrency: 1 });
    return untouched;
  }
  await converge(previous, { publish: true });
  const live = await client.listPlans();
  for (const plan of live) await client.updatePlan(plan.identifier, { description: 'edited in the dashboard' });
  if (start === 'dashboard-edits') {
    const product = (await client.listProducts())[0];
    if (product) {
      await client.createPlan({ name: 'Hand made', identifier: 'hand-made', product: product.id });
      untouched.push({ identifier: 'hand-made', version: 1, name: 'Hand made' });
    }
  }
  return untouched;
}

export async function checkConvergence(
  catalog: Catalog,
  previous: Catalog,
  start: StartingState,
  faults: FaultPlan,
  decisions: Partial<PlanDecisions>,
  stats: ScenarioStats,
): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, baseBackoffMs: 1, maxBackoffMs: 5, timeoutMs: 5_000 });
  try {
    const untouched = await arrange(client, previous, start);
    const productsBefore = (await client.listProducts()).map((p) => p.identifier);
    emulator.setRandomFaults(faults.probability ? { seed: faults.seed, probability: faults.probability, kinds: faults.kinds } : null);
    emulator.setRateLimit(faults.rateLimit);

    let converged = false;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !converged; attempt += 1) {
      try {
        const computed = await computePlan({ client, catalog, environment: 'sandbox', decisions });
        const errors = computed.plan.messages.filter((m) => m.severity === 'error');
        expect(errors).toEqual([]);
        const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
        converged = result.failed.length === 0;
      } catch (error) {
        // A read failing under faults: the same command run again is the user's remedy.
        if (!(error instanceof Error) || /plan has errors|expected/.test(error.message)) throw error;
      }
      if (!converged) stats.rerunsNeeded += 1;
    }
    stats.faultsInjected += emulator.requestLog.entries.filter((e) => e.fault !== null).length;
    emulator.setRandomFaults(null);
    emulator.setRateLimit(null);
    expect(converged).toBe(true);

    // 1. plan shows no changes
    const after = await computePlan({ client, catalog, environment: 'sandbox', decisions });
    expect(after.plan.actions).toEqual([]);
    // 2. no duplicates, and 3. at most one pending draft per plan
    const store = emulator.store;
    const liveProducts = [...store.products.values()].filter((p) => !p.archived);
    const liveFeatures = [...store.features.values()].filter((f) => !f.archived);
    expect(new Set(liveProducts.map((p) => p.identifier)).size).toBe(liveProducts.length);
    expect(new Set(liveFeatures.map((f) => f.identifier)).size).toBe(liveFeatures.length);
    // Products are never archived: whatever existed stays, plus the catalog's.
    expect(liveProducts.map((p) => p.identifier).sort()).toEqual([...new Set([...productsBefore, ...catalog.products.map((p) => p.identifier)])].sort());
    for (const plan of store.plans.values()) {
      const pending = plan.versions.filter((v) => plan.publishedVersion === null || v.version > plan.publishedVersion);
      expect(pending.length).toBeLessThanOrEqual(1);
    }
    // 4. nothing outside the catalog modified (the hand-made plan has no marker, so even --prune keeps it)
    for (const { identifier, version, name } of untouched) {
      const record = store.plans.get(identifier);
      expect(record?.archived).toBe(false);
      expect(record?.versions.length).toBe(version);
      expect(record?.versions.at(-1)?.fields.name).toBe(name);
    }
    stats.runs += 1;
  } finally {
    await client.close();
    await emulator.close();
  }
}
