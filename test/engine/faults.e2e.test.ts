import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyPlan } from '../../src/apply/index.js';
import { startHarness, sampleCatalog, type Harness } from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a failure midway', () => {
  test('reports applied, failed and not attempted exactly; a second apply converges', async () => {
    const catalog = sampleCatalog();
    // A validation-style failure the client must not retry: the first prices bulk replace is rejected.
    h.emulator.injectFaults({ kind: 'error-before', method: 'POST', pathTemplate: '/catalog/plans/{identifier}/prices/bulk/', status: 500, times: 6 });
    const computed = await h.plan(catalog);
    const result = await applyPlan(computed.plan, { client: h.client, live: computed.live, environment: 'sandbox', concurrency: 1 });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.action.kind).toBe('replace-prices');
    expect(result.failed[0]?.error.message).toMatch(/^POST \/catalog\/plans\/(free|pro)\/prices\/bulk\/ failed with 500/);
    const accounted = result.applied.length + result.failed.length + result.notAttempted.length;
    expect(accounted).toBe(computed.plan.actions.length);
    expect(result.notAttempted.length).toBeGreaterThan(0);
    // Nothing that was reported applied is missing, nothing reported not attempted exists.
    for (const action of result.notAttempted) {
      if (action.kind === 'create-plan') await expect(h.client.getPlan(action.plan.identifier)).rejects.toMatchObject({ status: 404 });
    }

    h.emulator.clearFaults();
    const rerun = await h.apply(catalog);
    expect(rerun.result.failed).toEqual([]);
    expect((await h.plan(catalog)).plan.actions).toEqual([]);
  });

  test.each(['commit-then-error', 'commit-then-reset'] as const)(
    'creates whose answer is lost (%s) are looked up, never duplicated',
    async (kind) => {
      h.emulator.injectFaults(
        { kind, method: 'POST', pathTemplate: '/catalog/products/' },
        { kind, method: 'POST', pathTemplate: '/catalog/features/' },
        { kind, method: 'POST', pathTemplate: '/catalog/plans/' },
        { kind, method: 'POST', pathTemplate: '/catalog/plans/{identifier}/features/' },
        { kind, method: 'POST', pathTemplate: '/catalog/plans/{identifier}/publish/' },
      );
      const catalog = sampleCatalog();
      const { result } = await h.apply(catalog, { publish: true });
      expect(result.failed).toEqual([]);
      expect((await h.client.listProducts()).map((p) => p.identifier)).toEqual(['acme']);
      expect((await h.client.listFeatures()).map((f) => f.identifier).sort()).toEqual(['api-calls', 'seats', 'sso']);
      const plans = await h.client.listPlans();
      expect(plans.map((p) => [p.identifier, p.version, p.isLatest]).sort()).toEqual([
        ['free', 1, true],
        ['pro', 1, true],
      ]);
      expect((await h.plan(catalog, { publish: true })).plan.actions).toEqual([]);
    },
  );

  test('an abort signal stops scheduling and reports the rest as not attempted', async () => {
    const catalog = sampleCatalog();
    const computed = await h.plan(catalog);
    const controller = new AbortController();
    const result = await applyPlan(computed.plan, {
      client: h.client,
      environment: 'sandbox',
      live: computed.live,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.outcome === 'applied' && event.done === 2) controller.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.applied).toHaveLength(2);
    expect(result.notAttempted).toHaveLength(computed.plan.actions.length - 2);
    const rerun = await h.apply(catalog);
    expect(rerun.result.failed).toEqual([]);
    expect((await h.plan(catalog)).plan.actions).toEqual([]);
  });
});

describe('pruning', () => {
  test('a pruned feature waits for the pruned plan that grants it: when that archive fails, the feature stays', async () => {
    const catalog = sampleCatalog();
    await h.apply(catalog, { publish: true });
    // pro is the only plan granting sso; both leave the catalog.
    const pruned = structuredClone(catalog);
    pruned.plans = pruned.plans.filter((plan) => plan.identifier !== 'pro');
    pruned.features = pruned.features.filter((feature) => feature.identifier !== 'sso');
    h.emulator.injectFaults({ kind: 'error-before', method: 'DELETE', pathTemplate: '/catalog/plans/{identifier}/', status: 503, times: 20 });
    const computed = await h.plan(pruned, { prune: true });
    const result = await applyPlan(computed.plan, { client: h.client, live: computed.live, environment: 'sandbox' });
    expect(result.failed.map((failure) => failure.action.id)).toEqual(['archive-plan:pro']);
    expect(result.applied).toEqual([]);
    expect(result.notAttempted.map((action) => action.id)).toEqual(['archive-feature:sso']);
    // pro is still live and still grants sso, which is therefore not archived.
    expect((await h.client.listFeatures()).map((feature) => feature.identifier)).toContain('sso');

    h.emulator.clearFaults();
    expect((await h.apply(pruned, { prune: true })).result.failed).toEqual([]);
    expect((await h.plan(pruned, { prune: true })).plan.actions).toEqual([]);
  });
});
