/**
 * Property tests of the loader: whatever the file holds (text, bytes, any YAML value, catalog-shaped data with
 * random mistakes), loadCatalog returns registered diagnostics at valid positions and a catalog exactly when
 * there is no error; it never throws and never returns a cyclic model. ~200 loader runs keep `npm test` fast.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  CHARGE_PERIODS,
  FEATURE_SUB_TYPES,
  FEATURE_TYPES,
  LICENSE_DURATION_UNITS,
  PAYMENT_TYPES,
  PRICE_MODELS,
  PRICE_TYPES,
  RESETS,
} from '../../src/client/wire.js';
import { catalogFileInput, DIAGNOSTIC_CODES, loadCatalog, type LoadResult } from '../../src/schema/index.js';
import { compileCatalogSchema } from './ajv.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kelviq-catalog-fuzz-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function assertWellFormed(result: LoadResult): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(result.catalog === undefined).toBe(errors.length > 0);
  for (const d of result.diagnostics) {
    const registered = DIAGNOSTIC_CODES[d.code as keyof typeof DIAGNOSTIC_CODES];
    expect(registered, d.code).toBeDefined();
    expect(d.severity).toBe(registered.severity);
    expect(d.file).toBeDefined();
    if (d.line !== undefined) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  }
  if (result.catalog) {
    expect(() => JSON.stringify(result.catalog)).not.toThrow();
    for (const plan of result.catalog.plans) expect(result.locations.locate(`/plans/${plan.identifier}`)).toBeDefined();
  }
}

async function loadText(text: string | Uint8Array): Promise<LoadResult> {
  const file = join(folder, 'catalog.yaml');
  await writeFile(file, text);
  return loadCatalog(file);
}

const yamlChars = fc.constantFrom(...'ab:- []{},&*!|>\'"#%@`?~.0\n\t\r\\\u00e9\u{1F600}'.split(''), 'plans', 'products', 'features', 'identifier', '\n  - ', '\n    ');

test('arbitrary YAML-ish text', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: yamlChars, maxLength: 120 }), async (text) => assertWellFormed(await loadText(text))),
    { numRuns: 50 },
  );
});

test('arbitrary bytes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => assertWellFormed(await loadText(bytes))),
    { numRuns: 30 },
  );
});

test('arbitrary YAML values', async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (value) => assertWellFormed(await loadText(stringify(value)))),
    { numRuns: 50 },
  );
});

// Catalog-shaped data in which any field may be wrong: drives the rules with partly valid catalogs (about one
// run in seven yields a valid catalog, so both outcomes are exercised).
const slug = fc.constantFrom('acme', 'pro', 'seats', 'sso', 'api-calls', 'Bad Id', 'x');
const oneOf = (values: readonly string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const optional = <T>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(shape, { requiredKeys: [] });
const money = fc.oneof(fc.nat({ max: 1000 }), fc.double({ min: -1, max: 100, noNaN: true }));
const entitlement = fc.oneof(
  fc.boolean(),
  fc.integer({ min: -2, max: 100 }),
  fc.constant('unlimited'),
  optional({ value: fc.oneof(fc.boolean(), fc.nat(50)), reset: oneOf(RESETS), hasUnlimitedUsage: fc.boolean(), usageAlerts: optional({ thresholds: fc.array(fc.integer({ min: -10, max: 200 }), { maxLength: 3 }) }) }),
);
const tier = optional({ upTo: fc.oneof(fc.integer({ min: -1, max: 5000 }), fc.constant('inf')), unitAmount: money, flatAmount: money });
const charge = optional({
  chargePeriod: oneOf(CHARGE_PERIODS),
  priceData: optional({ amount: money, currency: oneOf(['USD', 'EUR']) }),
  tiers: fc.array(tier, { maxLength: 4 }),
  advanced: optional({ min_quantity: fc.nat(5) }),
});
const chargeCatalogPrice = fc.record(
  { feature: fc.option(slug), priceModel: oneOf(PRICE_MODELS), paymentType: oneOf(PAYMENT_TYPES), charges: fc.array(charge, { maxLength: 3 }) },
  { requiredKeys: ['priceModel'] },
);
const price = fc.record(
  {
    priceType: oneOf(PRICE_TYPES),
    currency: oneOf(['USD', 'EUR', 'GBP', 'usd']),
    freeTrial: fc.boolean(),
    trialPeriod: fc.integer({ min: -1, max: 30 }),
    chargeCatalogPrice: fc.array(chargeCatalogPrice, { maxLength: 3 }),
  },
  { requiredKeys: ['priceType'] },
);
const plan = fc.record(
  {
    identifier: slug,
    product: slug,
    name: fc.string({ maxLength: 4 }),
    entitlements: fc.dictionary(slug, entitlement, { maxKeys: 4 }),
    prices: fc.array(price, { maxLength: 3 }),
    license: optional({ hasExpiry: fc.boolean(), activationLimitEnabled: fc.boolean(), durationUnit: oneOf(LICENSE_DURATION_UNITS) }),
  },
  { requiredKeys: ['identifier'] },
);
const feature = fc.record(
  {
    identifier: slug,
    name: fc.constant('F'),
    featureType: oneOf(FEATURE_TYPES),
    featureDetails: optional({ featureSubType: oneOf(FEATURE_SUB_TYPES), units: fc.constant({ singular: 'u', plural: 'us' }) }),
    meter: optional({ aggregation: fc.constant({ function: 'COUNT' }), filters: fc.constant([]) }),
  },
  { requiredKeys: ['identifier', 'featureType'] },
);
const product = fc.record(
  { identifier: slug, name: fc.constant('P'), taxCode: oneOf(['saas', 'software']), settings: optional({ currency: oneOf(['USD', 'EUR']) }) },
  { requiredKeys: ['identifier'] },
);
const catalogValue = optional({
  products: fc.array(product, { maxLength: 2 }),
  features: fc.array(feature, { maxLength: 4 }),
  plans: fc.array(plan, { maxLength: 3 }),
});

test('catalog-shaped data with random mistakes, in one file or split in two', async () => {
  await fc.assert(
    fc.asyncProperty(catalogValue, fc.boolean(), async (value, split) => {
      const catalog = join(folder, 'split');
      await rm(catalog, { recursive: true, force: true });
      const { plans, ...rest } = value;
      await writeFile(join(folder, 'one.yaml'), stringify(value));
      if (split) {
        await mkdir(catalog, { recursive: true });
        await writeFile(join(catalog, 'a.yaml'), stringify(rest));
        await writeFile(join(catalog, 'b.yaml'), stringify({ plans: plans ?? [] }));
      }
      assertWellFormed(await loadCatalog(split ? catalog : join(folder, 'one.yaml')));
    }),
    { numRuns: 70 },
  );
});

test('the JSON Schema and the zod file schema agree on catalog-shaped data', () => {
  const { validate } = compileCatalogSchema();
  fc.assert(
    fc.property(catalogValue, (value) => {
      expect(validate(value)).toBe(catalogFileInput.safeParse(value).success);
    }),
    { numRuns: 150 },
  );
});
