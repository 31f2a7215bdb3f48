/**
 * promote between two emulator instances over loopback HTTP: one plays the sandbox, the other production.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KelviqClient } from '../../src/client/index.js';
import { computePlan, applyPlan } from '../../src/apply/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { generateCatalog } from '../../bench/generate-catalog.js';
import { emulatorHttp, type EmulatorHttp } from '../helpers/emulator-http.js';
import { runCli } from '../helpers/run-cli.js';

const SANDBOX_KEY = 'kvq_canary_sandbox_5d1e8a2f7c';
const PRODUCTION_KEY = 'kvq_canary_production_9b3c6e1a4d';

let sandbox: RunningEmulator;
let production: RunningEmulator;
let sandboxHttp: EmulatorHttp;
let productionHttp: EmulatorHttp;

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    KELVIQ_SANDBOX_BASE_URL: sandbox.url,
    KELVIQ_SANDBOX_SERVER_API_KEY: SANDBOX_KEY,
    KELVIQ_BASE_URL: production.url,
    KELVIQ_SERVER_API_KEY: PRODUCTION_KEY,
    ...overrides,
  };
}

const cli = (args: string[], overrides?: Record<string, string | undefined>) =>
  runCli(args, env(overrides), [SANDBOX_KEY, PRODUCTION_KEY]);

function writesTo(emulator: RunningEmulator): number {
  return emulator.requestLog.entries.filter((entry) => entry.method !== 'GET').length;
}

async function planRow(http: EmulatorHttp, identifier: string) {
  const response = await http.get(`/catalog/plans/${identifier}/`);
  expect(response.status).toBe(200);
  return response.body as { version: number; isLatest: boolean; name: string };
}

beforeEach(async () => {
  [sandbox, production] = await Promise.all([
    startEmulator({ port: 0, apiKey: SANDBOX_KEY }),
    startEmulator({ port: 0, apiKey: PRODUCTION_KEY }),
  ]);
  sandboxHttp = emulatorHttp(sandbox.url, SANDBOX_KEY);
  productionHttp = emulatorHttp(production.url, PRODUCTION_KEY);
  const seeded = await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']);
  expect(seeded.code).toBe(0);
});

afterEach(async () => {
  await Promise.all([sandboxHttp.close(), productionHttp.close()]);
  await Promise.all([sandbox.close(), production.close()]);
});

describe('promote', () => {
  test('an empty production converges to the sandbox: drafts first, then published with --publish', async () => {
    const before = await cli(['promote', '--dry-run', '--detailed-exitcode', '--no-color']);
    expect(before.code).toBe(2);
    expect(before.stdout).toContain(`Kelviq sandbox (${sandbox.url}) -> production`);
    expect(before.stdout).toContain('+ create plan analytics-pro-monthly');
    // How to publish is said as promote's own flag: `apply --publish` would apply ./catalog to the sandbox.
    expect(before.stdout).toContain('(promote --publish publishes it)');
    expect(before.stdout).not.toContain('apply --publish');
    const markdown = await cli(['promote', '--dry-run', '--markdown']);
    expect(markdown.stdout).toContain('(promote --publish publishes it)');
    expect(markdown.stdout).not.toContain('apply --publish');
    expect(writesTo(production)).toBe(0);
    expect(writesTo(sandbox) > 0).toBe(true);
    const sandboxWrites = writesTo(sandbox);

    // Without a terminal it needs --yes and writes nothing otherwise.
    const unconfirmed = await cli(['promote']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('error  promote needs confirmation: run it in a terminal, or pass --yes (for CI).');
    expect(writesTo(production)).toBe(0);

    const promoted = await cli(['promote', '--yes']);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/Apply complete: \d+ applied/);
    expect((await planRow(productionHttp, 'analytics-pro-monthly')).isLatest).toBe(false);

    const published = await cli(['promote', '--yes', '--publish']);
    expect(published.code).toBe(0);
    const row = await planRow(productionHttp, 'analytics-pro-monthly');
    expect(row).toMatchObject({ isLatest: true, version: 1 });

    const after = await cli(['promote', '--dry-run', '--detailed-exitcode']);
    expect(after.code).toBe(0);
    // Production now matches the catalog the sandbox was built from, and the sandbox was only ever read.
    expect((await cli(['plan', '--prod', '--catalog', 'examples/catalog', '--detailed-exitcode'])).code).toBe(0);
    expect(writesTo(sandbox)).toBe(sandboxWrites);
  });

  test('production-only edits are reverted, hand-made production plans are left alone, sandbox drafts wait unless --include-drafts', async () => {
    expect((await cli(['promote', '--yes', '--publish'])).code).toBe(0);

    // Someone sets a hard limit in production only (the sandbox has the server default, false) ...
    const patched = await productionHttp.patch('/catalog/plans/analytics-free/features/seats/', { details: { value: 1, hardLimit: true } });
    expect(patched.status).toBe(200);
    // ... and makes a plan by hand in production ...
    const products = await productionHttp.get('/catalog/products/');
    const productId = (products.body.results as Array<{ id: string; identifier: string }>).find((p) => p.identifier === 'acme-analytics')!.id;
    expect((await productionHttp.post('/catalog/plans/', { name: 'Partner deal', identifier: 'partner-deal', product: productId })).status).toBe(201);
    // ... while the sandbox has an unpublished rename in progress.
    expect((await sandboxHttp.patch('/catalog/plans/analytics-pro-yearly/', { name: 'Pro (annual, draft)' })).status).toBe(200);

    const dry = await cli(['promote', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const document = JSON.parse(dry.stdout) as { environment: string; actions: Array<{ kind: string; plan?: string; identifier?: string }> };
    expect(document.environment).toBe('production');
    const targets = document.actions.map((action) => `${action.kind} ${action.plan ?? action.identifier ?? ''}`);
    expect(targets).toEqual(['update-entitlement analytics-free']);
    expect(dry.stderr).toContain('plan analytics-pro-yearly has an unpublished draft (version 2); the published version 1 is used.');

    expect((await cli(['promote', '--yes'])).code).toBe(0);
    const seats = (await productionHttp.get('/catalog/plans/analytics-free/features/')).body.results as Array<{ feature: { identifier: string }; details: { hardLimit: boolean } }>;
    expect(seats.find((entry) => entry.feature.identifier === 'seats')?.details.hardLimit).toBe(false);
    expect((await planRow(productionHttp, 'partner-deal')).name).toBe('Partner deal');
    expect((await planRow(productionHttp, 'analytics-pro-yearly')).name).not.toBe('Pro (annual, draft)');

    const withDrafts = await cli(['promote', '--dry-run', '--include-drafts', '--detailed-exitcode', '--no-color']);
    expect(withDrafts.code).toBe(2);
    expect(withDrafts.stdout).toContain('~ update plan analytics-pro-yearly\n      name: "Pro (yearly)" → "Pro (annual, draft)"');
  });

  test('a feature that differs in production stops promote before any write', async () => {
    const created = await productionHttp.post('/catalog/features/', { identifier: 'seats', name: 'Licensed users', featureType: 'CUSTOMIZABLE' });
    expect(created.status).toBe(201);
    const writesBefore = writesTo(production);
    const ran = await cli(['promote', '--yes', '--no-color']);
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).toMatch(/error {2}feature seats: description, name differ from Kelviq, and Kelviq has no feature update endpoint/);
    expect(ran.stderr).toContain('nothing was promoted');
    expect(writesTo(production)).toBe(writesBefore);
  });

  test('--markdown and --detailed-exitcode without --dry-run are refused before any request, not ignored while promoting', async () => {
    const writesBefore = writesTo(production);
    const readsBefore = production.requestLog.entries.length;
    const markdown = await cli(['promote', '--markdown', '--yes']);
    expect(markdown.code).toBe(1);
    expect(markdown.stderr).toBe(
      'error  --markdown needs --dry-run; without it promote writes to production: add --dry-run to preview, or leave --markdown out to promote.\n',
    );
    const json = await cli(['promote', '--detailed-exitcode', '--yes', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ formatVersion: 1, error: { code: 'usage', message: expect.stringContaining('--detailed-exitcode needs --dry-run') } });
    expect(writesTo(production)).toBe(writesBefore);
    expect(production.requestLog.entries.length).toBe(readsBefore);
  });

  test('needs both keys and two different environments', async () => {
    const noProductionKey = await cli(['promote', '--dry-run'], { KELVIQ_SERVER_API_KEY: undefined });
    expect(noProductionKey.code).toBe(1);
    expect(noProductionKey.stderr).toContain('KELVIQ_SERVER_API_KEY is not set: promote reads the sandbox and writes production, so it needs both keys');
    // promote takes no --prod: the message must not send the user to it.
    expect(noProductionKey.stderr).not.toContain('--prod');
    const noSandboxKey = await cli(['promote', '--dry-run'], { KELVIQ_SANDBOX_SERVER_API_KEY: undefined });
    expect(noSandboxKey.code).toBe(1);
    expect(noSandboxKey.stderr).toContain('KELVIQ_SANDBOX_SERVER_API_KEY is not set');
    expect(noSandboxKey.stderr).not.toContain('--prod');
    const same = await cli(['promote', '--dry-run'], { KELVIQ_BASE_URL: sandbox.url });
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('promote needs two environments');
    expect(writesTo(production)).toBe(0);
  });

  test('a generated catalog of 150 plans over several list pages converges in one promote', async () => {
    const client = new KelviqClient({ baseUrl: sandbox.url, apiKey: SANDBOX_KEY, concurrency: 16 });
    try {
      const computed = await computePlan({ client, catalog: generateCatalog({ plans: 150, entitlementsPerPlan: 6, pricesPerPlan: 3 }), environment: 'sandbox', decisions: { publish: true } });
      const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox', concurrency: 16 });
      expect(result.failed).toEqual([]);
    } finally {
      await client.close();
    }
    const promoted = await cli(['promote', '--yes', '--publish', '--concurrency', '16']);
    expect(promoted.code).toBe(0);
    const after = await cli(['promote', '--dry-run', '--detailed-exitcode', '--no-color']);
    expect(after.stdout).toContain('No changes');
    expect(after.code).toBe(0);
    const rows = await productionHttp.get('/catalog/plans/?page_size=100');
    expect(rows.body.count).toBe(156);
    // Two full snapshots and 150 plans written with every value the sandbox holds: 5 s on a quiet machine,
    // several times that when the machine is shared.
  }, 90_000);
});
