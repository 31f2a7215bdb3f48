/**
 * Issue 11, item 3: customer impact. The emulator is seeded with subscriptions across statuses and more than one
 * page; plan, drift and promote --dry-run say, per changed published plan, how many customers are on it and what
 * the run does to them, in text, Markdown and JSON. A key that may not list subscriptions (403) or a failed read
 * makes the impact unknown, with the reason, and never fails the command. Over loopback HTTP.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KelviqClient } from '../../src/client/index.js';
import { computePlan } from '../../src/apply/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import { forbidSubscriptions } from '../helpers/forbid-subscriptions.js';
import { runCli, type Ran } from '../helpers/run-cli.js';
import { subscriptionRows } from '../helpers/subscriptions.js';
import { unwrapped } from '../helpers/unwrap.js';

const CANARY = 'kvq_canary_0e6a4f92c1d7b358';

let emulator: RunningEmulator;
let dir: string;
let catalog: string;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY, ...env }, [CANARY]);
}

/** 150 active, 30 trialing, 40 canceled and 10 past_due on the monthly Pro plan; 5 active on Free: 235 rows, 3 pages. */
function subscriptions() {
  return subscriptionRows([
    ['analytics-pro-monthly', 'canceled', 40],
    ['analytics-pro-monthly', 'active', 150],
    ['analytics-free', 'active', 5],
    ['analytics-pro-monthly', 'past_due', 10],
    ['analytics-pro-monthly', 'trialing', 30],
  ]);
}

const subscriptionReads = () => emulator.requestLog.entries.filter((entry) => entry.template === '/subscriptions/');

/** Renames both analytics plans in the catalog copy: two published plans changed. */
async function renamePlans(): Promise<void> {
  const file = join(catalog, 'plans/acme-analytics.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('    name: Pro\n', '    name: Pro monthly\n').replace('    name: Free\n', '    name: Free forever\n'));
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: CANARY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-impact-'));
  catalog = join(dir, 'catalog');
  await cp('examples/catalog', catalog, { recursive: true });
  expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'])).code).toBe(0);
  emulator.loadSeed({ ...emulator.exportSeed(), subscriptions: subscriptions() });
  await renamePlans();
  emulator.requestLog.clear();
});
afterEach(async () => {
  await emulator.close();
});

describe('counts against seeded subscriptions', () => {
  test('plan: per plan in text, Markdown and JSON; nothing until publish; one paginated read', async () => {
    const text = await cli(['plan', '--catalog', catalog, '--no-color']);
    expect(text.code).toBe(0);
    expect(unwrapped(text.stdout)).toContain('Customers on the published plans this run changes (active and trialing subscriptions)');
    expect(unwrapped(text.stdout)).toContain('  plan analytics-pro-monthly: 180 subscription(s) (150 active, 30 trialing) on published v1; nothing changes for them until the draft is published (apply --publish)');
    expect(unwrapped(text.stdout)).toContain('  plan analytics-free: 5 subscription(s) (5 active, 0 trialing) on published v1; nothing changes for them until the draft is published (apply --publish)');
    // 235 rows at 100 a page: 3 requests, read once per run, without a status filter (see live-state.ts).
    expect(subscriptionReads().map((entry) => entry.status)).toEqual([200, 200, 200]);

    const json = JSON.parse((await cli(['plan', '--catalog', catalog, '--json', '--publish'])).stdout);
    expect(json.impact).toEqual({
      known: true,
      plans: expect.arrayContaining([
        { plan: 'analytics-pro-monthly', publishedVersion: 1, subscriptions: { active: 150, trialing: 30, total: 180 }, effect: 'new-customers-only', migrates: { features: false, pricing: false }, moved: 0 },
        { plan: 'analytics-free', publishedVersion: 1, subscriptions: { active: 5, trialing: 0, total: 5 }, effect: 'new-customers-only', migrates: { features: false, pricing: false }, moved: 0 },
      ]),
    });
    expect(json.impact.plans).toHaveLength(2);

    const markdown = await cli(['plan', '--catalog', catalog, '--markdown', '--publish', '--migrate-features', '--migrate-pricing']);
    expect(markdown.stdout).toContain('**Customers on the published plans this run changes (active and trialing subscriptions)**');
    expect(markdown.stdout).toContain('- plan `analytics-pro-monthly`: 180 subscription(s) (150 active, 30 trialing) on published v1; on publish, new customers get the new version and the 180 existing move to its entitlements and pricing');
    const migrated = JSON.parse((await cli(['plan', '--catalog', catalog, '--json', '--publish', '--migrate-pricing'])).stdout);
    expect(migrated.impact.plans).toContainEqual(expect.objectContaining({ plan: 'analytics-pro-monthly', effect: 'existing-migrated', migrates: { features: false, pricing: true }, moved: 180 }));

    const publishOnly = await cli(['plan', '--catalog', catalog, '--publish', '--no-color']);
    expect(unwrapped(publishOnly.stdout)).toContain('plan analytics-pro-monthly: 180 subscription(s) (150 active, 30 trialing) on published v1; on publish, new customers get the new version and the 180 existing stay on v1');
  });

  test('drift shows the same numbers for the plans it reports', async () => {
    // Applied as drafts: drift reports the plans as pending drafts; customers are on v1.
    expect((await cli(['apply', '--catalog', catalog, '--yes'])).code).toBe(0);
    emulator.requestLog.clear();
    const drift = await cli(['drift', '--catalog', catalog, '--json']);
    expect(drift.code).toBe(2);
    expect(JSON.parse(drift.stdout).impact).toEqual({
      known: true,
      plans: [
        { plan: 'analytics-free', publishedVersion: 1, subscriptions: { active: 5, trialing: 0, total: 5 }, effect: 'none', migrates: { features: false, pricing: false }, moved: 0 },
        { plan: 'analytics-pro-monthly', publishedVersion: 1, subscriptions: { active: 150, trialing: 30, total: 180 }, effect: 'none', migrates: { features: false, pricing: false }, moved: 0 },
      ],
    });
    expect(subscriptionReads()).toHaveLength(3);
    const text = await cli(['drift', '--catalog', catalog, '--no-color']);
    expect(unwrapped(text.stdout)).toContain('Customers on the reported plans (active and trialing subscriptions)\n  plan analytics-free: 5 subscription(s) (5 active, 0 trialing) on published v1\n');
    const markdown = await cli(['drift', '--catalog', catalog, '--markdown']);
    expect(markdown.stdout).toContain('- plan `analytics-pro-monthly`: 180 subscription(s) (150 active, 30 trialing) on published v1');
  });

  test('promote --dry-run shows production customers for the plans it would change', async () => {
    const sandbox = await startEmulator({ port: 0, apiKey: CANARY });
    try {
      const env = { KELVIQ_SANDBOX_BASE_URL: sandbox.url, KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY };
      expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'], env)).code).toBe(0);
      const promoted = await cli(['promote', '--dry-run', '--json', '--publish'], env);
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(JSON.parse(promoted.stdout).impact.plans).toContainEqual(
        expect.objectContaining({ plan: 'analytics-pro-monthly', subscriptions: { active: 150, trialing: 30, total: 180 }, effect: 'new-customers-only' }),
      );
      expect(sandbox.requestLog.entries.filter((entry) => entry.template === '/subscriptions/')).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('when the subscriptions cannot be read', () => {
  test('403 (a key that may not list subscriptions): the impact is unknown, with the reason; the plan succeeds', async () => {
    const proxy = await forbidSubscriptions(emulator.origin);
    try {
      const env = { KELVIQ_SANDBOX_BASE_URL: proxy.url };
      const text = await cli(['plan', '--catalog', catalog, '--no-color', '--detailed-exitcode'], env);
      expect(text.code).toBe(2);
      expect(unwrapped(text.stdout)).toContain('Customers on the published plans this run changes (active and trialing subscriptions): unknown, the API key may not list subscriptions (GET /subscriptions/ answered 403)');
      expect(unwrapped(text.stdout)).toContain('  plan analytics-pro-monthly: an unknown number of subscriptions on published v1; nothing changes for them until the draft is published');
      const json = JSON.parse((await cli(['plan', '--catalog', catalog, '--json', '--publish', '--migrate-features'], env)).stdout);
      expect(json.impact).toMatchObject({ known: false, reason: expect.stringContaining('403') });
      expect(json.impact.plans).toContainEqual(expect.objectContaining({ plan: 'analytics-pro-monthly', subscriptions: null, effect: 'existing-migrated', moved: null }));
      const drift = await cli(['drift', '--catalog', catalog, '--markdown'], env);
      expect(drift.code).toBe(2);
      expect(drift.stdout).toContain('**Customers on the reported plans (active and trialing subscriptions)**: unknown, `the API key may not list subscriptions (GET /subscriptions/ answered 403)`');
    } finally {
      await proxy.close();
    }
  });

  test('a failed read (server errors past every retry): unknown, with the reason; the plan is computed', async () => {
    emulator.injectFaults({ kind: 'error-before', method: 'GET', pathTemplate: '/subscriptions/', status: 503, times: 20 });
    const client = new KelviqClient({ baseUrl: emulator.url, apiKey: CANARY, baseBackoffMs: 1, maxBackoffMs: 5 });
    try {
      const loaded = await loadCatalog(catalog);
      const computed = await computePlan({ client, catalog: loaded.catalog!, environment: 'sandbox' });
      expect(computed.plan.actions.length).toBeGreaterThan(0);
      expect(computed.plan.impact).toMatchObject({ known: false, reason: expect.stringMatching(/^reading subscriptions failed: GET \/subscriptions\/\?page=1&page_size=100 failed with 503/) });
      expect(computed.plan.impact?.plans.every((plan) => plan.subscriptions === null)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
