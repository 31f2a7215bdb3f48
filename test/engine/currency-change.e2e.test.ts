/**
 * Changing a product's `settings.currency` re-enables the disabled prices in the new currency on the product's
 * latest plans (the spec's PATCH /catalog/products/{pk}/settings/). The plan warns about it before anything is
 * written, naming the plans, and only when it will happen.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { clone, sampleCatalog, startHarness, type Harness } from '../helpers/engine.js';
import type { Catalog } from '../../src/schema/model.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The sample catalog with pro's EUR price taken off sale. */
function withDisabledEuroPrice(): Catalog {
  const catalog = clone(sampleCatalog());
  const pro = catalog.plans.find((plan) => plan.identifier === 'pro')!;
  pro.prices!.find((price) => price.currency === 'EUR')!.enabled = false;
  return catalog;
}

const warnings = (messages: Array<{ severity: string; message: string }>) => messages.filter((m) => m.severity === 'warning').map((m) => m.message);

test('switching the currency to one with a disabled price warns, names the plan, and the apply does re-enable it', async () => {
  const catalog = withDisabledEuroPrice();
  await h.apply(catalog, { publish: true });

  catalog.products[0]!.settings!.currency = 'EUR';
  const computed = await h.plan(catalog);
  expect(warnings(computed.plan.messages)).toEqual([
    expect.stringMatching(/^changing the currency of product acme from USD to EUR re-enables its disabled EUR prices .*: plan pro; .*enabled: false/),
  ]);

  const { result } = await h.apply(catalog);
  expect(result.failed).toEqual([]);
  const euro = (await h.client.listPrices('pro')).find((price) => price.currency === 'EUR')!;
  expect(euro.enabled).toBe(true);
  // What the warning announced: the catalog, which keeps EUR off sale, now differs from the live plan.
  const after = await h.plan(catalog);
  expect(after.plan.actions.map((action) => action.kind)).toEqual(['replace-prices']);
});

test('no warning when the currency stays, or when no price in the new currency is disabled', async () => {
  const catalog = withDisabledEuroPrice();
  await h.apply(catalog, { publish: true });
  expect(warnings((await h.plan(catalog)).plan.messages)).toEqual([]);

  // GBP has no disabled price anywhere: changing to it re-enables nothing.
  const toPounds = clone(catalog);
  toPounds.products[0]!.settings!.currency = 'GBP';
  for (const plan of toPounds.plans) plan.prices = plan.prices!.map((price) => (price.currency === 'USD' ? { ...price, currency: 'GBP' } : price));
  expect(warnings((await h.plan(toPounds)).plan.messages)).toEqual([]);
});

test('a price replace waits for the currency change, so a price the catalog keeps off sale stays off sale', async () => {
  const catalog = withDisabledEuroPrice();
  await h.apply(catalog, { publish: true });

  // One run: the currency becomes EUR and pro's prices change (EUR still enabled: false). Had the prices been
  // written first, the settings write would re-enable the EUR price the run had just written as disabled.
  catalog.products[0]!.settings!.currency = 'EUR';
  const pro = catalog.plans.find((plan) => plan.identifier === 'pro')!;
  const euroPrice = pro.prices!.find((price) => price.currency === 'EUR')!;
  euroPrice.chargeCatalogPrice![0]!.charges[0]!.priceData = { amount: 26 };
  // The settings write is slowed (one 503, retried): without the ordering, the prices would land first.
  h.emulator.injectFaults({ kind: 'error-before', method: 'PATCH', pathTemplate: '/catalog/products/{pk}/settings/', status: 503 });
  const computed = await h.plan(catalog);
  expect(computed.plan.actions.find((action) => action.kind === 'replace-prices')?.dependsOn).toContain('update-product-settings:acme');
  const { result } = await h.apply(catalog);
  expect(result.failed).toEqual([]);
  const euro = (await h.client.listPrices('pro')).find((price) => price.currency === 'EUR')!;
  expect(euro.enabled).toBe(false);
  expect((await h.plan(catalog)).plan.actions).toEqual([]);
});
