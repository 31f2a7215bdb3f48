/**
 * Issue 11, item 4: the CLI says what customers see. Unpublished drafts are never "no changes"; --migrate-*
 * without --publish is refused, not ignored; and every --json command leaves a JSON document on stdout when it
 * fails, so a CI step piping into jq reads the failure instead of empty input. Over loopback HTTP, in-process.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';
import { unwrapped } from '../helpers/unwrap.js';

const CANARY = 'kvq_canary_5b0d3c7e1a9f2e84';

let emulator: RunningEmulator;
let dir: string;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY, ...env }, [CANARY]);
}

function writes() {
  return emulator.requestLog.entries.filter((entry) => entry.method !== 'GET');
}

/** A loopback port nobody listens on: connections to it are refused. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v1`;
}

/** An invalid catalog: a misspelt tax code. */
async function invalidCatalog(): Promise<string> {
  const file = join(dir, 'bad.yaml');
  await writeFile(file, 'products:\n  - identifier: acme\n    name: Acme\n    taxCode: sass\n');
  return file;
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: CANARY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-honest-'));
});
afterEach(async () => {
  await emulator.close();
});

describe('unpublished drafts are not "no changes"', () => {
  test('a draft that equals the catalog: exit 2, customers still see the published version; --publish publishes it', async () => {
    const catalog = join(dir, 'catalog');
    await cp('examples/catalog', catalog, { recursive: true });
    expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'])).code).toBe(0);
    const file = join(catalog, 'plans/acme-analytics.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: Free\n', 'name: Free forever\n'));
    // Applied without --publish: draft v2 holds the catalog, customers keep v1.
    expect((await cli(['apply', '--catalog', catalog, '--yes'])).code).toBe(0);

    const planned = await cli(['plan', '--catalog', catalog, '--detailed-exitcode', '--no-color']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).not.toContain('No changes. Kelviq matches the catalog.');
    expect(unwrapped(planned.stdout)).toContain('plan analytics-free: draft v2 equals the catalog but is unpublished; customers still see published v1 (apply --publish publishes it)');
    expect(unwrapped(planned.stdout)).toContain('No changes to write, but customers do not see the catalog yet: 1 plan(s) with an unpublished draft that equals it (apply --publish publishes them).');

    const json = JSON.parse((await cli(['plan', '--catalog', catalog, '--json'])).stdout);
    expect(json).toMatchObject({ changes: false, pendingDrafts: [{ plan: 'analytics-free', version: 2, publishedVersion: 1, matchesCatalog: true }] });
    const markdown = await cli(['plan', '--catalog', catalog, '--markdown']);
    expect(markdown.stdout).toContain('- plan `analytics-free`: draft v2 equals the catalog but is unpublished; customers still see published v1');

    const withPublish = await cli(['plan', '--catalog', catalog, '--publish', '--json', '--detailed-exitcode']);
    expect(withPublish.code).toBe(2);
    expect(JSON.parse(withPublish.stdout)).toMatchObject({
      changes: true,
      pendingDrafts: [],
      actions: [{ kind: 'publish-plan', plan: 'analytics-free', reason: 'pending-draft' }],
    });
    expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'])).code).toBe(0);
    const after = await cli(['plan', '--catalog', catalog, '--detailed-exitcode']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No changes. Kelviq matches the catalog.');
  });

  test('plans created and never published: exit 2, customers see no version of them', async () => {
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes'])).code).toBe(0);
    const planned = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode', '--no-color']);
    expect(planned.code).toBe(2);
    expect(unwrapped(planned.stdout)).toContain('plan analytics-free: draft v1 equals the catalog but is unpublished; customers see no version of it: it was never published (apply --publish publishes it)');
  });
});

describe('--migrate-* without --publish is refused', () => {
  test.each([
    [['plan', '--catalog', 'examples/catalog', '--migrate-features']],
    [['apply', '--catalog', 'examples/catalog', '--yes', '--migrate-pricing']],
    [['promote', '--yes', '--migrate-features', '--migrate-pricing']],
  ])('%j: exit 1, says why, reads and writes nothing', async (args) => {
    const ran = await cli(args, { KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/--migrate-(features|pricing).* existing customers when a plan is published, and without --publish nothing is published: add --publish/);
    expect(emulator.requestLog.entries).toEqual([]);
    const json = await cli([...args, '--json'], { KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ formatVersion: 1, error: { code: 'migrate-without-publish', message: expect.stringContaining('add --publish') } });
  });

  test('with --publish they are publish options', async () => {
    const ran = await cli(['plan', '--catalog', 'examples/catalog', '--publish', '--migrate-features', '--json']);
    expect(ran.code).toBe(0);
    const publishes = JSON.parse(ran.stdout).actions.filter((a: { kind: string }) => a.kind === 'publish-plan');
    expect(publishes.length).toBeGreaterThan(0);
    for (const publish of publishes) expect(publish).toMatchObject({ updateFeatures: true, updatePricing: false });
  });
});

describe('every --json command prints a JSON document when it fails', () => {
  const parse = (ran: Ran) => {
    expect(ran.code).toBe(1);
    return JSON.parse(ran.stdout) as { formatVersion: number; error: { code: string; message: string; [key: string]: unknown } };
  };

  test('invalid catalog: validate, plan, apply, drift', async () => {
    const bad = await invalidCatalog();
    for (const command of ['validate', 'plan', 'apply', 'drift']) {
      const document = parse(await cli([command, '--catalog', bad, '--json', ...(command === 'apply' ? ['--yes'] : [])]));
      expect(document.formatVersion, command).toBe(1);
      expect(document.error, command).toMatchObject({ code: 'invalid-catalog', message: expect.stringMatching(/the catalog has 1 error/) });
      if (command !== 'validate') expect(document.error.diagnostics, command).toEqual([expect.objectContaining({ line: 4, column: 14, severity: 'error' })]);
    }
    // plan and apply start Kelviq's three lists while they parse the catalog (they need no catalog); nothing else
    // is read, and nothing is written.
    const lists = ['/catalog/products/', '/catalog/features/', '/catalog/plans/'];
    expect(emulator.requestLog.entries.filter((entry) => !(entry.method === 'GET' && lists.includes(entry.template ?? '')))).toEqual([]);
  });

  test('refused connection: plan, apply, drift, pull, promote', { timeout: 60_000 }, async () => {
    const url = await refusedUrl();
    const env = { KELVIQ_SANDBOX_BASE_URL: url, KELVIQ_BASE_URL: url.replace('127.0.0.1', 'localhost'), KELVIQ_SERVER_API_KEY: CANARY };
    const runs: Array<[string, string[]]> = [
      ['plan', ['plan', '--catalog', 'examples/catalog', '--json']],
      ['apply', ['apply', '--catalog', 'examples/catalog', '--json', '--yes']],
      ['drift', ['drift', '--catalog', 'examples/catalog', '--json']],
      ['pull', ['pull', '--out', join(dir, 'pulled'), '--json']],
      ['promote', ['promote', '--dry-run', '--json']],
    ];
    const results = await Promise.all(runs.map(([, args]) => cli(args, env)));
    for (const [index, [name]] of runs.entries()) {
      const ran = results[index] as Ran;
      const document = parse(ran);
      expect(document.error, name).toMatchObject({ code: 'network', message: expect.stringContaining('GET /'), request: { method: 'GET' } });
      expect(ran.stderr, name).toMatch(/^error {2}GET \//m);
    }
  });

  test('refusals: apply without --yes, decisions beside a saved plan, a stale saved plan, a missing key', async () => {
    expect(parse(await cli(['apply', '--catalog', 'examples/catalog', '--json'])).error).toMatchObject({ code: 'confirmation-required' });
    const planFile = join(dir, 'plan.json');
    expect((await cli(['plan', '--catalog', 'examples/catalog', '--out', planFile])).code).toBe(0);
    expect(parse(await cli(['apply', planFile, '--publish', '--json', '--yes'])).error).toMatchObject({ code: 'decisions-on-saved-plan' });
    await cli(['apply', '--catalog', 'examples/catalog', '--yes']);
    expect(parse(await cli(['apply', planFile, '--json', '--yes'])).error).toMatchObject({ code: 'plan-refused', message: expect.stringContaining('the live catalog changed') });
    const missing = parse(await cli(['plan', '--catalog', 'examples/catalog', '--prod', '--json']));
    expect(missing.error).toMatchObject({ code: 'config', message: expect.stringContaining('KELVIQ_SERVER_API_KEY is not set') });
  });

  test('usage errors (a bad flag value, an unknown flag) also end in a document, and send nothing', async () => {
    const runs: string[][] = [
      ['plan', '--catalog', 'examples/catalog', '--json', '--concurrency', 'abc'],
      ['drift', '--json', '--concurrency', '0'],
      ['apply', '--json', '--yes', '--bogus'],
      ['pull', '--json', '--concurrency', '65'],
      ['promote', '--dry-run', '--json', '--concurrency', 'x'],
      ['validate', '--format', 'json', '--bogus'],
    ];
    for (const args of runs) {
      const ran = await cli(args);
      expect(parse(ran), args.join(' ')).toEqual({ formatVersion: 1, error: { code: 'usage', message: expect.stringMatching(/--concurrency|--bogus/) } });
      expect(ran.stderr, args.join(' ')).toMatch(/--concurrency|--bogus/);
    }
    // Without --json a usage error is words on stderr only.
    expect((await cli(['plan', '--concurrency', 'abc'])).stdout).toBe('');
    expect(emulator.requestLog.entries).toEqual([]);
  });

  test('a plan with errors: the plan document carries an error member (plan), the refusal one (apply)', async () => {
    const catalog = join(dir, 'catalog');
    await cp('examples/catalog', catalog, { recursive: true });
    expect((await cli(['apply', '--catalog', catalog, '--yes'])).code).toBe(0);
    // Features cannot be updated through the API: a changed feature is an error at plan time.
    const file = join(catalog, 'features.yaml');
    const text = await readFile(file, 'utf8');
    const name = /name: (.+)\n/.exec(text)?.[1] ?? '';
    await writeFile(file, text.replace(`name: ${name}\n`, `name: ${name} renamed\n`));
    const planned = parse(await cli(['plan', '--catalog', catalog, '--json']));
    expect(planned).toMatchObject({ formatVersion: 1, errors: [expect.anything()], error: { code: 'plan-errors' } });
    const applied = parse(await cli(['apply', '--catalog', catalog, '--json', '--yes']));
    expect(applied).toMatchObject({ formatVersion: 1, ok: false, error: { code: 'plan-errors' } });
  });
});
