import { afterEach, beforeEach, expect, test } from 'vitest';
import { loadCatalog } from '../../src/schema/index.js';
import { startHarness, type Harness } from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test.each([
  ['drafts only', {}],
  ['with --publish', { publish: true }],
])('examples/catalog: apply (%s), then plan shows no changes', async (_name, decisions) => {
  const loaded = await loadCatalog('examples/catalog');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const catalog = loaded.catalog!;
  const { computed, result } = await h.apply(catalog, decisions);
  expect(result.failed).toEqual([]);
  expect(computed.plan.actions.length).toBeGreaterThan(20);
  const again = await h.plan(catalog, decisions);
  expect(again.plan.actions).toEqual([]);
  expect(again.plan.messages.filter((m) => m.severity === 'error')).toEqual([]);
  expect((await h.client.listPlans()).map((p) => p.identifier).sort()).toEqual(catalog.plans.map((p) => p.identifier).sort());
});
