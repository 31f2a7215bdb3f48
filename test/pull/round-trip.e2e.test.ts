/**
 * The pull round trip, through the CLI in-process over loopback HTTP: a catalog applied to a fresh emulator,
 * pulled into a new folder, validates with no error and no warning, is fmt-clean, and plans to no changes
 * against the same emulator. For the examples (published, never published, with pending drafts) and for a
 * generated catalog of 500 plans.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateCatalog, mutateCatalog } from '../../bench/generate-catalog.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import { startHarness } from '../helpers/engine.js';
import { sortedCatalog } from './catalog-arbitrary.js';
import { cli, type Ran } from './cli-run.js';

const CANARY = 'kvq_canary_pull_5d8e1a7c3b9f';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-round-trip-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** pull → validate → fmt --check → plan --detailed-exitcode, each through the CLI; returns pull's output. */
async function roundTrip(emulator: RunningEmulator, name: string, concurrency = '8'): Promise<Ran> {
  const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: emulator.apiKey };
  const out = join(root, name);
  const pulled = await cli(['pull', '--out', out, '--concurrency', concurrency], env);
  expect(pulled.code, pulled.stderr).toBe(0);

  const validated = await cli(['validate', '--catalog', out], env);
  expect(validated.stdout, validated.stdout).toMatch(/^Catalog is valid, 0 warning\(s\)/);
  expect(validated.code).toBe(0);
  const formatted = await cli(['fmt', '--check', '--catalog', out]);
  expect(formatted.code, formatted.stdout).toBe(0);
  const planned = await cli(['plan', '--catalog', out, '--detailed-exitcode', '--concurrency', concurrency], env);
  expect(planned.stdout).toContain('No changes. Kelviq matches the catalog.');
  expect(planned.code).toBe(0);

  for (const file of await filesUnder(out)) {
    const text = await readFile(file, 'utf8');
    expect(text, file).not.toMatch(UUID);
    expect(text, file).not.toContain(emulator.apiKey);
  }
  return pulled;
}

describe('examples/catalog', () => {
  let emulator: RunningEmulator;
  const env = () => ({ KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY });
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: CANARY });
  });
  afterAll(async () => {
    await emulator.close();
  });

  test('never published (every plan an unpublished v1 draft)', async () => {
    emulator.reset();
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes'], env())).code).toBe(0);
    const pulled = await roundTrip(emulator, 'examples-drafts');
    expect(pulled.stdout).toMatch(/^Pulled 2 product\(s\), 8 feature\(s\) and 6 plan\(s\) from sandbox into .*examples-drafts \(3 file\(s\)\)\.\n$/);
    expect(pulled.stderr).toBe('');
  });

  test('published; the pulled catalog is the examples, less the server defaults they spell out', async () => {
    emulator.reset();
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish'], env())).code).toBe(0);
    await roundTrip(emulator, 'examples-published');
    const pulled = (await loadCatalog(join(root, 'examples-published'))).catalog!;
    const expected = structuredClone((await loadCatalog('examples/catalog')).catalog!);
    const find = <T extends { identifier: string }>(items: T[], id: string) => items.find((item) => item.identifier === id)!;
    // Kelviq's defaults, which the examples write out and a pull leaves out...
    delete find(expected.products, 'acme-analytics').settings!.vpn;
    delete find(expected.products, 'acme-analytics').settings!.proxy;
    delete find(expected.plans, 'desktop-team').license!.hasExpiry;
    for (const item of expected.plans.flatMap((p) => p.prices ?? []).flatMap((p) => p.chargeCatalogPrice ?? [])) {
      // Metered usage is priced per month (the METER features' charges here), and bought up front, unless told otherwise.
      if (item.reset === 'EVERY_MONTH') delete item.reset;
      if (item.paymentType === 'ADVANCE_COMMITMENT') delete item.paymentType;
    }
    // ...and what the server filled in: a FREE price sent without a currency gets the product's.
    find(expected.plans, 'analytics-free').prices![0]!.currency = 'USD';
    expect(sortedCatalog(pulled)).toEqual(sortedCatalog(expected));
  });

  test('with pending drafts over published versions: the drafts are pulled, and said so', async () => {
    emulator.reset();
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish'], env())).code).toBe(0);
    // Someone edits two plans in the dashboard: each edit creates a draft over the published version.
    for (const plan of ['analytics-free', 'desktop-team']) {
      const response = await fetch(`${emulator.url}/catalog/plans/${plan}/`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${CANARY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${plan} (edited)` }),
      });
      expect(response.status).toBe(200);
    }
    const pulled = await roundTrip(emulator, 'examples-pending');
    expect(pulled.stderr).toContain('warning  plan analytics-free has an unpublished draft (version 2) over published version 1');
    expect(pulled.stderr).toContain('warning  plan desktop-team has an unpublished draft (version 2)');
    expect(await readFile(join(root, 'examples-pending', 'products', 'acme-analytics.yaml'), 'utf8')).toContain('name: analytics-free (edited)');
    expect(pulled.stdout + pulled.stderr).not.toContain(CANARY);
  });
});

test('a generated catalog of 500 plans', async () => {
  const catalog = generateCatalog({ plans: 500, entitlementsPerPlan: 10, pricesPerPlan: 2 });
  const harness = await startHarness({}, { concurrency: 48 });
  try {
    const started = performance.now();
    const { result } = await harness.apply(catalog, { publish: true });
    expect(result.failed).toEqual([]);
    // A tenth of the plans changed again without publishing: published versions and pending drafts mixed.
    const second = await harness.apply(mutateCatalog(catalog, 0.1));
    expect(second.result.failed).toEqual([]);
    const applied = performance.now();
    const pulled = await roundTrip(harness.emulator, 'generated-500', '32');
    expect(pulled.stdout).toMatch(/^Pulled 2 product\(s\), 10 feature\(s\) and 500 plan\(s\) from sandbox into .* \(3 file\(s\)\)\./);
    expect(pulled.stderr.match(/has an unpublished draft/g)).toHaveLength(50);
    const done = performance.now();
    // Visible in the test output when run with --reporter=verbose; the budget is the test timeout.
    console.info(`500-plan round trip: apply ${Math.round(applied - started)} ms, pull + validate + fmt --check + plan ${Math.round(done - applied)} ms`);
  } finally {
    await harness.close();
  }
}, 60_000);
