/**
 * Server defaults (issue 10, item 2): pull and promote leave a value out only when the server is documented to
 * fill in that exact value, and the table of such defaults names a source for each entry. Kelviq documents none
 * today, so every value a server holds for a field the format defines must come back from pull — checked here
 * against the server's raw JSON, field by field, with the format's own schemas as the list of fields.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { FULL_SCOPE, fetchLiveState } from '../../src/diff/live-state.js';
import { liveStateToCatalog } from '../../src/diff/live-catalog.js';
import { DOCUMENTED_DEFAULTS } from '../../src/diff/server-defaults.js';
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';
import { entitlementDetailsInput } from '../../src/schema/format/entitlement.js';
import { chargeCatalogPriceInput, priceInput } from '../../src/schema/format/price.js';
import { licenseInput, planInput } from '../../src/schema/format/plan.js';
import { productSettingsInput } from '../../src/schema/format/product.js';
import type { Catalog } from '../../src/schema/model.js';
import { sampleCatalog, startHarness, type Harness } from '../helpers/engine.js';

describe('the table of documented defaults', () => {
  test('every entry names a source that states the value: a `default` in the spec, or a documentation page', () => {
    const spec = JSON.parse(readFileSync(new URL('../../spec/kelviq-openapi.extract.json', import.meta.url), 'utf8'));
    for (const entry of DOCUMENTED_DEFAULTS) {
      const where = `${entry.resource}.${entry.path.join('.')}`;
      if (entry.source.startsWith('openapi:#/')) {
        const pointer = entry.source.slice('openapi:#/'.length).split('/');
        expect(pointer.at(-1), `${where}: an OpenAPI source points at a "default" keyword`).toBe('default');
        const stated = pointer.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], spec);
        expect(stated, `${where}: ${entry.source} states the value`).toEqual(entry.value);
      } else {
        expect(entry.source, `${where}: a source is openapi:#/... or docs:<folder>/<page>.mdx "<sentence>"`).toMatch(/^docs:[a-z-]+\/[a-z0-9-]+\.mdx ".+"$/);
      }
    }
  });

  test('every `default` the spec declares for what the tool uses is in the table (none today): spec and table agree', () => {
    const spec = JSON.parse(readFileSync(new URL('../../spec/kelviq-openapi.extract.json', import.meta.url), 'utf8'));
    const declared: string[] = [];
    const walk = (node: unknown, pointer: string): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'default' && !pointer.endsWith('/properties')) declared.push(`openapi:${pointer}/default`);
        walk(value, `${pointer}/${key}`);
      }
    };
    walk(spec, '#');
    const tabled = DOCUMENTED_DEFAULTS.map((entry) => entry.source).filter((source) => source.startsWith('openapi:'));
    expect(declared.filter((source) => !tabled.includes(source)), 'spec defaults the table does not list').toEqual([]);
  });
});

/** The keys a format schema defines: the list of fields pull must carry when the server holds a value. */
function formatKeys(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}

describe('pull writes every value the server holds', () => {
  let harness: Harness;
  let pulled: Catalog;
  const raw = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${harness.emulator.url}${path}`, { headers: { authorization: `Bearer ${EMULATOR_DEFAULT_KEY}` } });
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    harness = await startHarness();
    // The sample catalog leaves most optional fields out: what Kelviq stores for them is the server's choice.
    const { result } = await harness.apply(sampleCatalog(), { publish: true });
    expect(result.failed).toEqual([]);
    pulled = liveStateToCatalog(await fetchLiveState(harness.client, FULL_SCOPE)).catalog;
  });
  afterAll(async () => {
    await harness.close();
  });

  test('product settings', async () => {
    const products = await raw<{ results: Array<{ id: string; identifier: string }> }>('/catalog/products/');
    for (const product of products.results) {
      const settings = await raw<Record<string, unknown>>(`/catalog/products/${product.id}/settings/`);
      const written = pulled.products.find((p) => p.identifier === product.identifier)!.settings as Record<string, unknown>;
      for (const key of formatKeys(productSettingsInput)) {
        if (settings[key] != null && settings[key] !== '') expect(written[key], `${product.identifier} settings.${key}`).toEqual(settings[key]);
      }
    }
  });

  test('plans, their license, every entitlement and every price down to charge-catalog prices', async () => {
    const plans = await raw<{ results: Array<Record<string, unknown> & { identifier: string }> }>('/catalog/plans/');
    expect(plans.results.length).toBeGreaterThan(0);
    for (const plan of plans.results) {
      const written = pulled.plans.find((p) => p.identifier === plan.identifier)! as unknown as Record<string, unknown>;
      for (const key of ['isVisible', 'ordering', 'description']) {
        if (plan[key] != null && key in planInput.shape) expect(written[key], `${plan.identifier}.${key}`).toEqual(plan[key]);
      }
      const license = (plan.license ?? {}) as Record<string, unknown>;
      for (const key of formatKeys(licenseInput)) {
        if (license[key] != null) expect((written.license as Record<string, unknown>)[key], `${plan.identifier}.license.${key}`).toEqual(license[key]);
      }

      const entitlements = await raw<{ results: Array<{ feature: { identifier: string }; details: Record<string, unknown> }> }>(`/catalog/plans/${plan.identifier}/features/`);
      for (const { feature, details } of entitlements.results) {
        const held = (written.entitlements as Record<string, Record<string, unknown>>)[feature.identifier]!;
        for (const key of formatKeys(entitlementDetailsInput)) {
          if (details[key] === undefined || (details[key] === null && key !== 'resetTime')) continue;
          const expected = isEmptyObject(details[key]) ? undefined : details[key];
          expect(held[key], `${plan.identifier} entitlement ${feature.identifier}.${key}`).toEqual(expected);
        }
      }

      const prices = await raw<{ results: Array<Record<string, unknown>> }>(`/catalog/plans/${plan.identifier}/prices/`);
      const writtenPrices = written.prices as Array<Record<string, unknown>>;
      expect(writtenPrices).toHaveLength(prices.results.length);
      prices.results.forEach((price) => {
        const match = writtenPrices.find((p) => p.priceType === price.priceType && p.currency === price.currency)!;
        for (const key of formatKeys(priceInput)) {
          if (key === 'chargeCatalogPrice' || price[key] == null) continue;
          expect(match[key], `${plan.identifier} ${String(price.priceType)} ${String(price.currency)}.${key}`).toEqual(price[key]);
        }
        const items = (price.chargeCatalogPrice ?? []) as Array<Record<string, unknown>>;
        items.forEach((item, index) => {
          const writtenItem = (match.chargeCatalogPrice as Array<Record<string, unknown>>)[index]!;
          for (const key of formatKeys(chargeCatalogPriceInput)) {
            if (key === 'feature' || key === 'charges' || item[key] === undefined || (item[key] === null && key !== 'resetTime')) continue;
            const expected = isEmptyObject(item[key]) ? undefined : item[key];
            expect(writtenItem[key], `${plan.identifier} charge-catalog price ${index}.${key}`).toEqual(expected);
          }
        });
      });
    }
  });
});

/** `{}` sets nothing (an empty object of a format-defined shape compares as absent), so pull may leave it out. */
function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
