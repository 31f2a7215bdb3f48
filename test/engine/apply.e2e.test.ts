import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, sampleCatalog, clone, type Harness } from '../helpers/engine.js';
import type { Action } from '../../src/apply/index.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const kinds = (actions: Action[]) => actions.map((a) => a.kind);
const writes = (h: Harness) => [...h.counter.byEndpoint.entries()].filter(([key]) => !key.startsWith('GET ')).reduce((sum, [, n]) => sum + n, 0);

describe('from an empty account', () => {
  test('creates everything in dependency order, as drafts, and converges', async () => {
    const catalog = sampleCatalog();
    const { computed, result } = await h.apply(catalog);
    expect(result.failed).toEqual([]);
    expect(kinds(computed.plan.actions).sort()).toEqual(
      [
        'create-product', 'update-product-settings',
        'create-feature', 'create-feature', 'create-feature',
        'create-plan', 'add-entitlements', 'replace-prices',
        'create-plan', 'add-entitlements', 'replace-prices',
      ].sort(),
    );
    expect(computed.plan.drafts.map((d) => [d.plan, d.draft.kind])).toEqual([
      ['free', 'new-plan'],
      ['pro', 'new-plan'],
    ]);

    const plans = await h.client.listPlans();
    expect(plans.map((p) => [p.identifier, p.version, p.isLatest])).toEqual(expect.arrayContaining([['free', 1, false], ['pro', 1, false]]));
    expect(plans.every((p) => p.metadata?.['managed-by'] === 'kelviq-catalog')).toBe(true);

    const again = await h.plan(catalog);
    expect(again.plan.actions).toEqual([]);
    expect(again.plan.pendingDrafts.map((d) => d.plan).sort()).toEqual(['free', 'pro']);
  });

  test('--publish publishes the new plans, and a second run has nothing to do', async () => {
    const catalog = sampleCatalog();
    const { result } = await h.apply(catalog, { publish: true });
    expect(result.failed).toEqual([]);
    const plans = await h.client.listPlans();
    expect(plans.map((p) => [p.identifier, p.version, p.isLatest]).sort()).toEqual([
      ['free', 1, true],
      ['pro', 1, true],
    ]);
    const again = await h.plan(catalog, { publish: true });
    expect(again.plan.actions).toEqual([]);
    expect(again.plan.pendingDrafts).toEqual([]);
  });
});

describe('changes to a published catalog', () => {
  beforeEach(async () => {
    await h.apply(sampleCatalog(), { publish: true });
    h.counter.byEndpoint.clear();
  });

  test('one field of each kind: exact changes, a single new draft per plan, then no changes', async () => {
    const catalog = clone(sampleCatalog());
    const [product] = catalog.products;
    const pro = catalog.plans.find((p) => p.identifier === 'pro');
    if (!product || !pro?.entitlements || !pro.prices?.[0]?.chargeCatalogPrice?.[0]?.charges[0]) throw new Error('fixture');
    product.name = 'Acme Cloud';
    product.settings = { ...product.settings, vpn: true };
    pro.name = 'Pro Plan';
    pro.license = { enabled: true, activationLimit: 5 };
    pro.entitlements.seats = { value: 20 };
    pro.prices[0].chargeCatalogPrice[0].charges[0].priceData = { amount: 39 };

    const computed = await h.plan(catalog);
    expect(kinds(computed.plan.actions).sort()).toEqual(['replace-prices', 'update-entitlement', 'update-plan', 'update-product', 'update-product-settings']);
    const updatePlan = computed.plan.actions.find((a) => a.kind === 'update-plan');
    expect(updatePlan && 'changes' in updatePlan ? updatePlan.changes : []).toEqual([
      { path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro Plan' },
      { path: ['license', 'activationLimit'], kind: 'replace', before: 3, after: 5 },
    ]);
    expect(computed.plan.drafts).toEqual([{ plan: 'pro', status: 'published', draft: { kind: 'new-draft', publishedVersion: 1, creates: 2 } }]);

    const { result } = await h.apply(catalog);
    expect(result.failed).toEqual([]);
    const pro2 = await h.client.getPlan('pro');
    expect([pro2.version, pro2.isLatest, pro2.name]).toEqual([2, false, 'Pro Plan']);
    // Customers still see version 1.
    const published = await h.client.getPlan('pro', { version: 1 });
    expect([published.isLatest, published.name]).toEqual([true, 'Pro']);
    // Prices were replaced whole but fields the catalog does not manage kept their live values.
    const [usd] = (await h.client.listPrices('pro')).filter((p) => p.currency === 'USD');
    expect([usd?.freeTrial, usd?.trialPeriod]).toEqual([true, 14]);

    const again = await h.plan(catalog);
    expect(again.plan.actions).toEqual([]);
  });

  test('removing entitlements and prices', async () => {
    const catalog = clone(sampleCatalog());
    const pro = catalog.plans.find((p) => p.identifier === 'pro');
    if (!pro?.entitlements || !pro.prices) throw new Error('fixture');
    delete pro.entitlements.sso;
    pro.prices = pro.prices.filter((p) => p.currency === 'USD');
    const computed = await h.plan(catalog);
    expect(kinds(computed.plan.actions)).toEqual(['remove-entitlement', 'replace-prices']);
    await h.apply(catalog);
    expect((await h.client.listEntitlements('pro')).map((e) => e.feature.identifier).sort()).toEqual(['api-calls', 'seats']);
    expect((await h.client.listPrices('pro')).map((p) => p.currency)).toEqual(['USD']);
    expect((await h.plan(catalog)).plan.actions).toEqual([]);
  });

  test('--publish with migrate flags publishes the new draft and passes the migration choice', async () => {
    const catalog = clone(sampleCatalog());
    const pro = catalog.plans.find((p) => p.identifier === 'pro');
    if (!pro) throw new Error('fixture');
    pro.name = 'Pro 2';
    const { computed, result } = await h.apply(catalog, { publish: true, migrateFeatures: true });
    expect(result.failed).toEqual([]);
    const publish = computed.plan.actions.find((a) => a.kind === 'publish-plan');
    expect(publish).toMatchObject({ plan: 'pro', reason: 'changed', updateFeatures: true, updatePricing: false });
    const live = await h.client.getPlan('pro');
    expect([live.version, live.isLatest, live.name]).toEqual([2, true, 'Pro 2']);
    expect(h.emulator.publishLog.at(-1)).toMatchObject({ identifier: 'pro', updateFeatures: true, updatePricing: false });
  });

  test('a pending draft made outside the tool: the plan says so, writes modify it, --publish publishes it', async () => {
    await h.client.updatePlan('pro', { description: 'Edited in the dashboard' });
    const catalog = clone(sampleCatalog());
    const pro = catalog.plans.find((p) => p.identifier === 'pro');
    if (!pro) throw new Error('fixture');
    pro.description = 'Edited in the dashboard';
    const unchanged = await h.plan(catalog);
    expect(unchanged.plan.actions).toEqual([]);
    expect(unchanged.plan.pendingDrafts).toEqual([{ plan: 'pro', version: 2, publishedVersion: 1, matchesCatalog: true }]);

    pro.name = 'Pro (renamed)';
    const computed = await h.plan(catalog);
    expect(computed.plan.drafts).toEqual([{ plan: 'pro', status: 'pending-draft', draft: { kind: 'pending-draft', version: 2, publishedVersion: 1 } }]);
    await h.apply(catalog);
    expect((await h.client.getPlan('pro')).version).toBe(2);

    const published = await h.apply(catalog, { publish: true });
    expect(kinds(published.computed.plan.actions)).toEqual(['publish-plan']);
    expect(published.computed.plan.actions[0]).toMatchObject({ reason: 'pending-draft' });
    expect((await h.client.getPlan('pro')).isLatest).toBe(true);
  });

  test('a feature changed in the catalog is an error at plan time, and nothing is written', async () => {
    const catalog = clone(sampleCatalog());
    const seats = catalog.features.find((f) => f.identifier === 'seats');
    if (!seats) throw new Error('fixture');
    seats.name = 'Team seats';
    catalog.plans[0]!.name = 'Free forever';
    h.counter.byEndpoint.clear();
    await expect(h.apply(catalog)).rejects.toThrow(/feature seats: name differ.*no feature update endpoint/);
    expect(writes(h)).toBe(0);
  });

  test('a plan that cannot be published is refused at plan time with --publish', async () => {
    const catalog = clone(sampleCatalog());
    const pro = catalog.plans.find((p) => p.identifier === 'pro');
    if (!pro) throw new Error('fixture');
    pro.prices = pro.prices?.filter((p) => p.currency === 'EUR');
    const computed = await h.plan(catalog, { publish: true });
    expect(computed.plan.messages).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/plan pro cannot be published: it has PAID prices but none in USD/) }),
    ]);
  });
});

describe('prune', () => {
  test('archives only resources carrying the managed-by marker, and only with --prune', async () => {
    const catalog = sampleCatalog();
    await h.apply(catalog);
    const product = (await h.client.listProducts())[0];
    await h.client.createPlan({ name: 'Hand made', identifier: 'hand-made', product: product!.id });

    const smaller = clone(catalog);
    smaller.plans = smaller.plans.filter((p) => p.identifier !== 'free');

    const withoutPrune = await h.plan(smaller);
    expect(withoutPrune.plan.actions).toEqual([]);
    expect(withoutPrune.plan.messages.map((m) => m.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^plan free exists in Kelviq but not in the catalog \(created by kelviq-catalog; --prune would archive it\)/), expect.stringMatching(/^plan hand-made exists/)]),
    );

    const { computed } = await h.apply(smaller, { prune: true });
    expect(kinds(computed.plan.actions)).toEqual(['archive-plan']);
    expect(computed.plan.messages.map((m) => m.message)).toEqual(expect.arrayContaining([expect.stringMatching(/plan hand-made .*not archived because it was not created by kelviq-catalog/)]));
    expect((await h.client.listPlans()).map((p) => p.identifier).sort()).toEqual(['hand-made', 'pro']);
  });

  test('pruning production needs --allow-prod-prune', async () => {
    const catalog = sampleCatalog();
    await h.apply(catalog);
    const smaller = clone(catalog);
    smaller.plans = smaller.plans.filter((p) => p.identifier !== 'free');
    const { computePlan } = await import('../../src/apply/index.js');
    const computed = await computePlan({ client: h.client, catalog: smaller, environment: 'production', decisions: { prune: true } });
    expect(computed.plan.messages).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/--allow-prod-prune/) })]));
  });
});
