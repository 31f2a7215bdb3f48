/**
 * The catalog writer: whatever it writes loads back (loadCatalog) into the catalog it was given, with no
 * diagnostic; its files are already fmt-clean; shorthands only where they mean exactly the same; deterministic.
 */
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateCatalog } from '../../bench/generate-catalog.js';
import { loadCatalog } from '../../src/schema/index.js';
import { formatCatalogText } from '../../src/schema/fmt/index.js';
import { catalogToFiles, type CatalogFileText } from '../../src/schema/write/index.js';
import type { Catalog } from '../../src/schema/model.js';
import { sortedCatalog as sorted, validCatalogArb } from './catalog-arbitrary.js';

let root: string;
let runs = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-writer-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});


async function writeAndLoad(catalog: Catalog) {
  const directory = join(root, `catalog-${++runs}`);
  const files = catalogToFiles(catalog, { directory });
  for (const file of files) {
    await mkdir(dirname(join(directory, file.path)), { recursive: true });
    await writeFile(join(directory, file.path), file.text);
  }
  return { files, directory, loaded: await loadCatalog(directory) };
}

function expectFmtClean(files: CatalogFileText[]): void {
  for (const file of files) expect(formatCatalogText(file.path, file.text).text, file.path).toBe(file.text);
}

describe('round trip through loadCatalog', () => {
  test('the examples: same catalog, no diagnostic, fmt-clean', async () => {
    const example = (await loadCatalog('examples/catalog')).catalog!;
    const { files, loaded } = await writeAndLoad(example);
    expect(loaded.diagnostics).toEqual([]);
    expect(sorted(loaded.catalog!)).toEqual(sorted(example));
    expect(files.map((f) => f.path)).toEqual(['features.yaml', 'products/acme-analytics.yaml', 'products/acme-desktop.yaml']);
    expectFmtClean(files);
  });

  test('a metadata key "<<" is written quoted: printed plain it would read back as a YAML merge key', async () => {
    const example = (await loadCatalog('examples/catalog')).catalog!;
    const [first, ...rest] = example.plans;
    const catalog: Catalog = { ...example, plans: [{ ...first!, metadata: { '<<': 'kept', tier: 1 } }, ...rest] };
    const { files, loaded } = await writeAndLoad(catalog);
    expect(files.map((f) => f.text).join('')).toContain('"<<": kept');
    expect(loaded.diagnostics).toEqual([]);
    expect(sorted(loaded.catalog!)).toEqual(sorted(catalog));
    expectFmtClean(files);
  });

  test('a generated catalog of 500 plans', async () => {
    const catalog = generateCatalog({ plans: 500, entitlementsPerPlan: 6, pricesPerPlan: 3, products: 3 });
    const { files, loaded } = await writeAndLoad(catalog);
    expect(loaded.diagnostics).toEqual([]);
    expect(sorted(loaded.catalog!)).toEqual(sorted(catalog));
    expect(files).toHaveLength(4);
  });

  test('property: any valid catalog (all of the format, awkward text) loads back equal, and is fmt-clean', async () => {
    await fc.assert(
      fc.asyncProperty(validCatalogArb, async (catalog) => {
        const before = await writeAndLoad(catalog);
        expect(before.loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(sorted(before.loaded.catalog!)).toEqual(sorted(catalog));
        expectFmtClean(before.files);
      }),
      { numRuns: 60 },
    );
  });
});

describe('what the files look like', () => {
  const catalog: Catalog = {
    products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas', description: 'true' }],
    features: [
      { identifier: 'sso', name: 'SSO', featureType: 'BOOLEAN' },
      { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
      { identifier: 'api-calls', name: 'API calls', featureType: 'METER', featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } } },
    ],
    plans: [
      {
        identifier: 'pro',
        product: 'acme',
        name: 'Pro: the plan',
        entitlements: {
          sso: { value: true },
          seats: { value: 5 },
          'api-calls': { hasUnlimitedUsage: true },
        },
        prices: [{ priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 29 } }] }] }],
      },
      {
        identifier: 'free',
        product: 'acme',
        name: 'Free',
        entitlements: { sso: { value: false, hardLimit: false }, seats: { value: 1, reset: 'NEVER' }, 'api-calls': { value: 100, reset: 'EVERY_MONTH' } },
        prices: [{ priceType: 'FREE' }],
      },
    ],
  };
  const files = catalogToFiles(catalog, { directory: 'catalog' });
  const productText = files.find((f) => f.path === 'products/acme.yaml')!.text;

  test('one file per product with its plans, and features.yaml; the $schema modeline on top, pointing at the schema', async () => {
    expect(files.map((f) => f.path)).toEqual(['features.yaml', 'products/acme.yaml']);
    for (const file of files) {
      const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(file.text);
      expect(modeline, file.path).not.toBeNull();
      const schema = resolve('catalog', dirname(file.path), modeline![1]!);
      expect((await stat(schema)).isFile()).toBe(true);
      expect(await readFile(schema, 'utf8')).toContain('"title": "Kelviq catalog file"');
    }
    // Written into this repository's examples folder, the modeline is exactly the examples'.
    const asExample = catalogToFiles(catalog, { directory: 'examples/catalog' });
    expect(asExample[0]!.text.split('\n')[0]).toBe((await readFile('examples/catalog/features.yaml', 'utf8')).split('\n')[0]);
  });

  test('shorthands exactly when they expand to the same details; canonical key order; items sorted', () => {
    expect(productText).toContain(['    entitlements:', '      api-calls: unlimited', '      seats: 5', '      sso: true'].join('\n'));
    expect(productText).toContain(['      api-calls: { value: 100, reset: EVERY_MONTH }', '      seats: { value: 1, reset: NEVER }', '      sso: { value: false, hardLimit: false }'].join('\n'));
    expect(productText.indexOf('identifier: free')).toBeLessThan(productText.indexOf('identifier: pro'));
    expect(productText).toMatch(/- identifier: pro\n {4}product: acme\n {4}name: "Pro: the plan"\n {4}entitlements:/);
    // The plan fee is written without `feature`; small leaf objects stay on one line.
    expect(productText).toContain(['      - priceType: PAID', '        currency: USD', '        chargeCatalogPrice:', '          - priceModel: FLAT', '            charges:', '              - chargePeriod: MONTHLY', '                priceData: { amount: 29 }'].join('\n'));
  });

  test('quotes only where YAML needs them', () => {
    expect(productText).toContain('description: "true"');
    expect(productText).toContain('name: Acme\n');
    expect(productText).toContain('name: Free\n');
  });

  test('deterministic: the same catalog in another order gives the same bytes', () => {
    const shuffled: Catalog = {
      products: [...catalog.products].reverse(),
      features: [...catalog.features].reverse(),
      plans: [...catalog.plans].reverse().map((plan) => ({ ...plan, entitlements: Object.fromEntries(Object.entries(plan.entitlements!).reverse()) })),
    };
    expect(catalogToFiles(shuffled, { directory: 'catalog' })).toEqual(files);
  });

  test('refuses to write a reference that is not an identifier', () => {
    const broken = { ...catalog, plans: [{ ...catalog.plans[0]!, product: '<unknown product 1b2c>' }] };
    expect(() => catalogToFiles(broken, { directory: 'catalog' })).toThrow(/not an identifier/);
  });
});
