/**
 * Diff exactness through the CLI in-process over loopback HTTP: a catalog applied (and published) to a fresh
 * emulator then plans to no changes (`plan --detailed-exitcode` exits 0), and a real change shows.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cli } from '../pull/cli-run.js';

let root: string;
let emulator: RunningEmulator;
const env = () => ({ KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: emulator.apiKey });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-exactness-'));
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

async function catalogFile(name: string, text: string): Promise<string> {
  const file = join(root, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

async function applyThenPlan(file: string) {
  emulator.reset();
  const applied = await cli(['apply', '--catalog', file, '--yes', '--publish'], env());
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  return cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
}

const PRODUCT = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
`;
/** A METER feature `calls` (the `features:` section), its unit's plural given. */
const CALLS_FEATURE = (plural = 'calls') => `features:
  - identifier: calls
    name: Calls
    featureType: METER
    featureDetails: { featureSubType: PRE_AGGREGATED_USAGE, units: { singular: call, plural: ${plural} } }
`;
const FREE_PLAN = (extra: string) => `plans:
  - identifier: free
    product: acme
    name: Free
${extra}    prices:
      - priceType: FREE
`;

describe('metadata: {} (README "What a file means": a key present is managed; {} is the empty record)', () => {
  test('on a feature and a plan, plans to no changes after apply', async () => {
    const file = await catalogFile(
      'empty-metadata',
      `${PRODUCT}features:
  - identifier: flag
    name: Flag
    featureType: BOOLEAN
    metadata: {}
${FREE_PLAN('    metadata: {}\n')}`,
    );
    const planned = await applyThenPlan(file);
    expect(planned.stdout).not.toContain('metadata');
    expect(planned.stdout).toContain('No changes. Kelviq matches the catalog.');
    expect(planned.code).toBe(0);
  });

  test('live metadata a file empties still shows as removed', async () => {
    const file = await catalogFile('metadata-removed', PRODUCT + FREE_PLAN('    metadata: { team: billing }\n'));
    await applyThenPlan(file);
    await writeFile(file, PRODUCT + FREE_PLAN('    metadata: {}\n'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(planned.stdout).toMatch(/metadata\.team: "billing" \(removed\)|metadata[^\n]*team[^\n]*removed/);
    expect(planned.code).toBe(2);
  });
});

describe('links: [] (README "Plans": links is a list; [] is no links)', () => {
  test('plans to no changes after apply', async () => {
    const file = await catalogFile('empty-links', PRODUCT + FREE_PLAN('    links: []\n'));
    const planned = await applyThenPlan(file);
    expect(planned.stdout).not.toContain('links');
    expect(planned.stdout).toContain('No changes. Kelviq matches the catalog.');
    expect(planned.code).toBe(0);
  });

  test('live links a file empties still show as removed', async () => {
    const file = await catalogFile('links-removed', PRODUCT + FREE_PLAN("    links: [ { name: Docs, url: 'https://docs.example' } ]\n"));
    await applyThenPlan(file);
    await writeFile(file, PRODUCT + FREE_PLAN('    links: []\n'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(planned.stdout).toContain('https://docs.example');
    expect(planned.code).toBe(2);
  });
});

describe('a change the charge summary leaves out (README "Prices": priceData.currency for tier models)', () => {
  const tiered = (priceData: string) => `${PRODUCT}${CALLS_FEATURE()}plans:
  - identifier: usage
    product: acme
    name: Usage
    prices:
      - priceType: PAID
        currency: USD
        chargeCatalogPrice:
          - feature: calls
            priceModel: TIERED
            reset: EVERY_MONTH
            charges:
              - chargePeriod: MONTHLY
${priceData}                tiers:
                  - { upTo: 100, unitAmount: 0 }
                  - { upTo: inf, unitAmount: 0.5 }
`;
  test('is named in the plan, not shown as the same cost before and after', async () => {
    const file = await catalogFile('tier-currency', tiered(''));
    await applyThenPlan(file);
    await writeFile(file, tiered('                priceData: { currency: USD }\n'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    const text = planned.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('monthly calls: up to 100: 0 per unit; above 100: 0.5 per unit, priceData currency: (unset) → "USD"');
    expect(text).not.toContain('0.5 per unit → up to');
    expect(planned.code).toBe(2);
  });
});

describe('a feature that differs from Kelviq (README "Features": no update endpoint)', () => {
  test('the plan does not close with "Kelviq matches the catalog"', async () => {
    const feature = (plural: string) => `${PRODUCT}${CALLS_FEATURE(plural)}`;
    const file = await catalogFile('feature-differs', feature('calls'));
    await applyThenPlan(file);
    await writeFile(file, feature('requests'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(planned.stdout).toContain('feature calls: featureDetails.units.plural differs from Kelviq');
    expect(planned.stdout).not.toContain('Kelviq matches the catalog');
    expect(planned.stdout).toContain('No changes to write, but the plan has 1 error(s) (above): Kelviq may not match the catalog.');
    expect(planned.code).toBe(1);
  });
});

describe('resetTime: null (README "Entitlements": resetTime is a string or null)', () => {
  const catalog = (resetTime: string) => `${PRODUCT}${CALLS_FEATURE()}plans:
  - identifier: usage
    product: acme
    name: Usage
    entitlements:
      calls: { value: 100, reset: EVERY_MONTH, resetTime: ${resetTime} }
    prices:
      - priceType: PAID
        currency: USD
        chargeCatalogPrice:
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 10 }
          - feature: calls
            priceModel: PACKAGE
            reset: EVERY_MONTH
            resetTime: ${resetTime}
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 1, block_size: 100 }
`;
  test('clearing a live reset time shows, applies, then plans to no changes', async () => {
    const file = await catalogFile('reset-time-null', catalog('BEGINNING_OF_PERIOD'));
    await applyThenPlan(file);
    await writeFile(file, catalog('null'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    const text = planned.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('~ update entitlement calls on plan usage reset time: "BEGINNING_OF_PERIOD" → null');
    expect(text).toContain('reset time "BEGINNING_OF_PERIOD"');
    expect(planned.code).toBe(2);
    const applied = await cli(['apply', '--catalog', file, '--yes', '--publish'], env());
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const again = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(again.stdout).toContain('No changes. Kelviq matches the catalog.');
    expect(again.code).toBe(0);
  });
});

describe('an ordering the API cannot change (README "Plans": Kelviq sets ordering only at creation)', () => {
  test('the warning is not followed by "Kelviq matches the catalog"', async () => {
    const file = await catalogFile('ordering', PRODUCT + FREE_PLAN('    ordering: 1\n'));
    await applyThenPlan(file);
    await writeFile(file, PRODUCT + FREE_PLAN('    ordering: 5\n'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(planned.stdout).toContain('plan free: ordering 1 -> 5 cannot be applied');
    expect(planned.stdout).not.toContain('Kelviq matches the catalog');
    expect(planned.stdout).toContain('No changes to write, but 1 warning(s) (above) leave Kelviq as it is: it may not match the catalog.');
  });
});

describe('a removed entitlement (README "Plans as data": entitlements is the complete set)', () => {
  test('the plan shows the grant it removes', async () => {
    const catalog = (entitlements: string) => `${PRODUCT}${CALLS_FEATURE()}${FREE_PLAN(`    entitlements: ${entitlements}\n`)}`;
    const file = await catalogFile('removed-grant', catalog('{ calls: { value: 100, reset: EVERY_MONTH, hardLimit: true } }'));
    await applyThenPlan(file);
    await writeFile(file, catalog('{}'));
    const planned = await cli(['plan', '--catalog', file, '--detailed-exitcode'], env());
    expect(planned.stdout).toMatch(/- remove entitlement calls from plan free\n {6}was: 100, resets every month, hard limit\b/);
    expect(planned.code).toBe(2);
  });
});

describe('meter filters and customerUnit, passed to Kelviq as is (README "Features")', () => {
  test('a null or a numeric string inside them plans to no changes, after apply and after pull', async () => {
    const file = await catalogFile(
      'as-is',
      `${PRODUCT}features:
  - identifier: uploads
    name: Uploads
    featureType: METER
    featureDetails:
      featureSubType: RAW_EVENTS
      units: { singular: GB, plural: GB }
      customerUnit: { unit: MB, factor: 1024, note: null }
    meter:
      aggregation: { function: COUNT }
      filters:
        - { property: region, operator: equals, value: null }
        - { property: size, operator: equals, value: "10" }
`,
    );
    const planned = await applyThenPlan(file);
    expect(planned.stdout).not.toContain('differ');
    expect(planned.code).toBe(0);
    const out = join(root, 'as-is-pulled');
    expect((await cli(['pull', '--out', out], env())).code).toBe(0);
    const again = await cli(['plan', '--catalog', out, '--detailed-exitcode'], env());
    expect(again.stdout).toContain('No changes. Kelviq matches the catalog.');
    expect(again.code).toBe(0);
  });
});
