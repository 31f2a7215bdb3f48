/**
 * examples/catalog: valid with zero diagnostics, covers what it is there to show, points editors at the
 * committed schema, and loads into the canonical model with shorthands expanded and locations that resolve.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/schema/index.js';
import { EXAMPLE_CATALOG, yamlFilesUnder } from './fixtures.js';

const result = await loadCatalog(EXAMPLE_CATALOG);
const catalog = result.catalog!;
const plan = (id: string) => catalog.plans.find((p) => p.identifier === id)!;

/** 1-based line and column of the first line containing `text` in an example file. */
function position(file: string, text: string): { file: string; line: number; column: number } {
  const lines = readFileSync(join(EXAMPLE_CATALOG, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  expect(index, `"${text}" in ${file}`).toBeGreaterThanOrEqual(0);
  return { file: join(EXAMPLE_CATALOG, file), line: index + 1, column: lines[index]!.indexOf(text) + 1 };
}

describe('examples/catalog', () => {
  test('has no errors and no warnings', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.catalog).toBeDefined();
  });

  test('every file names the committed JSON Schema for editors', () => {
    for (const file of yamlFilesUnder(EXAMPLE_CATALOG)) {
      const first = readFileSync(file, 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, file).not.toBeNull();
      const target = resolve(dirname(file), match![1]!);
      expect(target).toBe(resolve(EXAMPLE_CATALOG, '../../schema/catalog.schema.json'));
      expect(existsSync(target)).toBe(true);
    }
  });

  test('shows what it is meant to show', () => {
    expect(catalog.products).toHaveLength(2);
    expect(catalog.products.every((p) => p.settings !== undefined)).toBe(true);
    expect(new Set(catalog.features.map((f) => f.featureType))).toEqual(new Set(['BOOLEAN', 'CUSTOMIZABLE', 'METER']));
    expect(new Set(catalog.features.map((f) => f.featureDetails?.featureSubType).filter(Boolean))).toEqual(new Set(['RAW_EVENTS', 'PRE_AGGREGATED_USAGE']));
    const prices = catalog.plans.flatMap((p) => p.prices ?? []);
    expect(prices.some((p) => p.priceType === 'FREE')).toBe(true);
    expect(new Set(prices.map((p) => p.currency).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
    expect(prices.some((p) => p.freeTrial && p.trialPeriod)).toBe(true);
    const charges = prices.flatMap((p) => p.chargeCatalogPrice ?? []);
    expect(charges.some((c) => c.priceModel === 'TIERED')).toBe(true);
    expect(charges.some((c) => c.paymentType === 'PAY_AS_YOU_GO')).toBe(true);
    const periods = new Set(charges.flatMap((c) => c.charges.map((charge) => charge.chargePeriod)));
    expect(periods).toEqual(new Set(['MONTHLY', 'YEARLY']));
    expect(catalog.plans.some((p) => p.license?.enabled)).toBe(true);
    expect(catalog.plans.some((p) => p.links?.length)).toBe(true);
  });

  test('shorthands are expanded into the canonical model', () => {
    expect(plan('analytics-usage').entitlements).toEqual({
      seats: { value: 5 },
      projects: { hasUnlimitedUsage: true },
      sso: { value: true },
      'api-calls': { value: 100000, reset: 'EVERY_MONTH' },
      'events-ingested': { hasUnlimitedUsage: true },
    });
    const [fee, tiered] = plan('analytics-usage').prices![0]!.chargeCatalogPrice!;
    expect(fee!.feature).toBeNull();
    expect(tiered!.charges[0]!.tiers!.map((tier) => tier.upTo)).toEqual([100000, 1000000, 'inf']);
    // The yearly plan aliases the monthly plan's entitlements: equal, but separate objects.
    expect(plan('analytics-pro-yearly').entitlements).toEqual(plan('analytics-pro-monthly').entitlements);
    expect(plan('analytics-pro-yearly').entitlements).not.toBe(plan('analytics-pro-monthly').entitlements);
    // Fields left out stay out: not managed.
    expect('isVisible' in plan('analytics-free')).toBe(false);
    expect('description' in catalog.features.find((f) => f.identifier === 'priority-support')!).toBe(false);
  });

  test('files merge in sorted order', () => {
    expect(result.files.map((file) => file.slice(EXAMPLE_CATALOG.length))).toEqual([
      'features.yaml',
      'plans/acme-analytics.yaml',
      'plans/acme-desktop.yaml',
      'policy.yaml',
      'products.yaml',
    ]);
  });

  test('its policy is read, and its plans satisfy the rules validate checks', () => {
    expect(result.policy?.rules.map((rule) => `${rule.rule} ${rule.severity}`)).toEqual([
      'max-price-change error',
      'keep-grants-with-customers error',
      'migrate-needs-approval error',
      'required-currencies error',
      'trial-days warning',
    ]);
  });
});

describe('SourceLocator on the example', () => {
  const locate = (pointer: string) => result.locations.locate(pointer);

  test('items and their fields', () => {
    expect(locate('/plans/analytics-usage')).toEqual(position('plans/acme-analytics.yaml', 'identifier: analytics-usage'));
    expect(locate('/plans/analytics-usage/name')).toEqual(position('plans/acme-analytics.yaml', 'name: Usage'));
    expect(locate('/features/api-calls/featureType')).toEqual(position('features.yaml', 'featureType: METER'));
    expect(locate('/products/acme-desktop/settings/currency')).toEqual(position('products.yaml', 'currency: EUR'));
  });

  test('entitlements, through aliases to where they were written', () => {
    expect(locate('/plans/analytics-usage/entitlements/events-ingested')).toEqual(position('plans/acme-analytics.yaml', 'events-ingested: unlimited'));
    // analytics-pro-yearly writes `entitlements: *pro-entitlements`: its sso is the monthly plan's line.
    expect(locate('/plans/analytics-pro-yearly/entitlements/sso')).toEqual(locate('/plans/analytics-pro-monthly/entitlements/sso'));
    expect(locate('/plans/analytics-pro-monthly/entitlements/sso')).toEqual(position('plans/acme-analytics.yaml', 'sso: true'));
  });

  test('list indexes, and undefined for what does not exist', () => {
    expect(locate('/plans/desktop-team/links/0')).toEqual(position('plans/acme-desktop.yaml', '{ name: Volume licensing'));
    expect(locate('/plans/nope')).toBeUndefined();
    expect(locate('/plans/analytics-usage/nope')).toBeUndefined();
    expect(locate('/widgets/x')).toBeUndefined();
    expect(locate('plans/analytics-usage')).toBeUndefined();
    expect(locate('')).toBeUndefined();
  });
});
