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
import { compareDocuments } from '../../src/diff/compare.js';
import { alignPrices, comparableFeature, comparablePlan, comparableProduct } from '../../src/diff/normalize.js';
import type { Plan } from '../../src/schema/model.js';
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
  // Nothing to write. Exit 0 only when customers see it all too: pulled unpublished drafts equal the files but
  // are not what customers see, which the plan says with exit 2.
  const planned = await cli(['plan', '--catalog', out, '--detailed-exitcode', '--concurrency', concurrency], env);
  if (planned.code === 0) expect(planned.stdout).toContain('No changes. Kelviq matches the catalog.');
  else expect(planned.stdout).toMatch(/No changes to write, but customers do not see the catalog yet: \d+ plan\(s\) with an unpublished draft that equals it/);
  expect([0, 2]).toContain(planned.code);

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

  test('published; the pulled catalog holds every value of the examples, and every value the server filled in', async () => {
    emulator.reset();
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish'], env())).code).toBe(0);
    await roundTrip(emulator, 'examples-published');
    const pulled = (await loadCatalog(join(root, 'examples-published'))).catalog!;
    const examples = (await loadCatalog('examples/catalog')).catalog!;
    // Every value the examples write comes back as written (nothing left out for equalling a presumed default).
    const comparables = { products: comparableProduct, features: comparableFeature, plans: comparablePlan } as const;
    for (const kind of ['products', 'features', 'plans'] as const) {
      expect(pulled[kind].map((item) => item.identifier).sort()).toEqual(examples[kind].map((item) => item.identifier).sort());
      for (const item of examples[kind]) {
        const comparable = comparables[kind] as (value: unknown) => Record<string, unknown>;
        let back: unknown = pulled[kind].find((candidate) => candidate.identifier === item.identifier)!;
        // A price the examples declare without a currency does not manage it; the server filled in the product's.
        if (kind === 'plans') back = { ...(back as Plan), prices: alignPrices((item as Plan).prices ?? [], (back as Plan).prices ?? []) };
        expect(compareDocuments(comparable(back), comparable(item)), `${kind} ${item.identifier}`).toEqual([]);
      }
    }
    // And what the server stored for fields the examples leave out is written too, as the server holds it:
    // Kelviq documents no default, so a pulled file states the value rather than trusting a server to refill it.
    const raw = (await (await fetch(`${emulator.url}/catalog/plans/analytics-free/prices/`, { headers: { authorization: `Bearer ${CANARY}` } })).json()) as { results: Array<Record<string, unknown>> };
    const freePrice = pulled.plans.find((plan) => plan.identifier === 'analytics-free')!.prices![0]!;
    for (const key of ['currency', 'enabled', 'freeTrial', 'trialPeriod', 'taxBehavior'] as const) {
      expect(freePrice[key], key).toEqual(raw.results[0]![key]);
    }
    const text = await readFile(join(root, 'examples-published', 'products', 'acme-analytics.yaml'), 'utf8');
    expect(text).toMatch(/hardLimit: false/);
    expect(text).toMatch(/isVisible: true/);
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
    // Visible in the test output when run with --reporter=verbose; the budget is the test timeout. A pulled file
    // states every value Kelviq holds (no documented default lets it leave one out), about 4x the bytes of a
    // defaults-omitting pull: 1.8 MB of YAML here, parsed by validate, fmt --check and plan in turn.
    console.info(`500-plan round trip: apply ${Math.round(applied - started)} ms, pull + validate + fmt --check + plan ${Math.round(done - applied)} ms`);
  } finally {
    await harness.close();
  }
}, 120_000);
