/**
 * Archived resources keep their identifier (NOTES.md): the list endpoints hide them, a create with that
 * identifier is refused, and a GET by identifier may still return the archived record. A catalog identifier held
 * by an archived plan or feature is an error (at plan time whenever the snapshot can see it), never "found", and
 * never reported as something a rerun fixes.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { applyPlan, IdentifierHeldError, renderApplyResultText } from '../../src/apply/index.js';
import { clone, sampleCatalog, startHarness, type Harness } from '../helpers/engine.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const writes = () => h.emulator.requestLog.entries.filter((e) => e.method !== 'GET').length;

test('a plan identifier held by an archived plan is an error at plan time, with one GET by identifier and no write', async () => {
  const catalog = sampleCatalog();
  await h.apply(catalog);
  await h.client.archivePlan('free');
  h.counter.byEndpoint.clear();
  const before = writes();

  const computed = await h.plan(catalog);
  expect(computed.plan.messages).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/^plan free cannot be created: an archived plan in Kelviq still holds that identifier.*another identifier/),
      }),
    ]),
  );
  expect(computed.plan.actions.filter((a) => a.id.endsWith(':free'))).toEqual([]);
  expect(h.counter.count('GET', '/catalog/plans/{identifier}/')).toBe(1);
  await expect(h.apply(catalog)).rejects.toThrow(/plan free cannot be created/);
  expect(writes()).toBe(before);
});

test('a create whose outcome is unknown is not "found" in an archived plan: it fails, and no rerun is promised', async () => {
  await h.apply(sampleCatalog());
  const catalog = clone(sampleCatalog());
  catalog.plans.push({ identifier: 'extra', product: 'acme', name: 'Extra' });
  const computed = await h.plan(catalog);
  expect(computed.plan.actions.map((a) => a.id)).toEqual(['create-plan:extra']);

  // Between plan and apply, somebody creates and archives a plan with that identifier; then the create's answer is lost.
  const [product] = await h.client.listProducts();
  await h.client.createPlan({ name: 'Extra', identifier: 'extra', product: product!.id });
  await h.client.archivePlan('extra');
  h.emulator.injectFaults({ kind: 'error-before', method: 'POST', pathTemplate: '/catalog/plans/', status: 500 });

  const result = await applyPlan(computed.plan, { client: h.client, live: computed.live, environment: 'sandbox' });
  expect(result.applied).toEqual([]);
  expect(result.failed).toHaveLength(1);
  expect(result.failed[0]?.error).toBeInstanceOf(IdentifierHeldError);
  expect(result.failed[0]?.error.message).toMatch(/plan extra: .*archived, so nothing was created/);
  const text = renderApplyResultText(result);
  expect(text).toMatch(/Apply failed: 0 applied, 1 failed/);
  expect(text).not.toMatch(/converges/);
  expect(text).toMatch(/Running apply again will not fix the failure above/);
});

test('a feature identifier held by an archived feature: an error at plan time when a plan still grants it, else a clear refusal', async () => {
  const catalog = clone(sampleCatalog());
  catalog.features.push({ identifier: 'lonely', name: 'Lonely', featureType: 'BOOLEAN' });
  await h.apply(catalog);
  const features = await h.client.listFeatures();
  for (const identifier of ['sso', 'lonely']) await h.client.archiveFeature(features.find((f) => f.identifier === identifier)!.id);

  // sso is still granted by plan pro, so the snapshot shows it archived: refused before any write.
  const computed = await h.plan(catalog);
  expect(computed.plan.messages).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^feature sso cannot be created: an archived feature in Kelviq still holds that identifier/) }),
    ]),
  );
  expect(computed.plan.actions.map((a) => a.id)).not.toContain('create-feature:sso');

  // lonely is granted nowhere: only the refused create shows it, and the report says a rerun will not help.
  const lonely = computed.plan.actions.filter((a) => a.id === 'create-feature:lonely');
  expect(lonely).toHaveLength(1);
  // Run on its own (without the plan's error about sso, which apply would rightly refuse) to see the executor's report.
  const result = await applyPlan({ ...computed.plan, actions: lonely, messages: [] }, { client: h.client, live: computed.live, environment: 'sandbox' });
  expect(result.failed[0]?.error.message).toMatch(/feature lonely: Kelviq refused the create because the identifier is taken, yet no active feature has it, so an archived feature holds it/);
  expect(renderApplyResultText(result)).not.toMatch(/converges/);
});
