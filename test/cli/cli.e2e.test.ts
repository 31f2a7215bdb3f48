import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

/** A key that must never show up anywhere: the emulator is configured to accept it. */
const CANARY = 'kvq_canary_7c1f2e9a4b8d3e6f';

let emulator: RunningEmulator;
let dir: string;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY, ...env }, [CANARY]);
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: CANARY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-cli-'));
});
afterEach(async () => {
  await emulator.close();
});

describe('validate', () => {
  test('exit 0 for the examples', async () => {
    const ran = await cli(['validate', '--catalog', 'examples/catalog']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/Catalog is valid, 0 warning\(s\) in 5 file\(s\)/);
    // Its policy's offline rules hold; the others are plan's to check.
    expect(ran.stdout).toContain('Policy: 0 violation(s), 0 waived, 0 not evaluated; 2 of 5 rule(s) checked');
  });

  test('exit 1 with file:line:col for an invalid catalog, and --json diagnostics', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'products:\n  - identifier: acme\n    name: Acme\n    taxCode: sass\n');
    const ran = await cli(['validate', '--catalog', file, '--no-color']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(`${file}:4:14`);
    expect(ran.stdout).toMatch(/did you mean "saas"/);
    const json = await cli(['validate', '--catalog', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, errors: 1, diagnostics: [expect.objectContaining({ line: 4, column: 14 })] });
  });
});

describe('plan and apply', () => {
  test('plan --detailed-exitcode: 2 with changes, 0 once applied and published', async () => {
    const first = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode']);
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/Plan: \d+ to create/);
    // Published: until then customers see none of it, and the plan says so with exit 2 (honest-status.e2e.test.ts).
    const applied = await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: \d+ applied/);
    const second = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes. Kelviq matches the catalog.');
  });

  test('without a terminal, apply needs --yes and writes nothing otherwise', async () => {
    const ran = await cli(['apply', '--catalog', 'examples/catalog']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/apply needs confirmation: run it in a terminal, or pass --yes/);
    expect(emulator.requestLog.entries.filter((e) => e.method !== 'GET')).toEqual([]);
  });

  test('plan --json is a versioned document; --markdown is a PR comment', async () => {
    const json = await cli(['plan', '--catalog', 'examples/catalog', '--json']);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({ formatVersion: 1, environment: 'sandbox', changes: true, errors: [], warnings: [] });
    expect(document.summary.total).toBe(document.actions.length);
    expect(document.actions[0]).toMatchObject({ id: expect.any(String), kind: expect.any(String), dependsOn: expect.any(Array), description: expect.any(String) });
    const markdown = await cli(['plan', '--catalog', 'examples/catalog', '--markdown']);
    expect(markdown.stdout).toMatch(/^### kelviq-catalog plan: sandbox\n\n\*\*Plan: \d+ to create/);
    expect(markdown.stdout).toContain('```diff');
  });

  test('GITHUB_STEP_SUMMARY receives the Markdown plan', async () => {
    const summary = join(dir, 'summary.md');
    await cli(['plan', '--catalog', 'examples/catalog'], { GITHUB_STEP_SUMMARY: summary });
    expect(await readFile(summary, 'utf8')).toMatch(/^### kelviq-catalog plan: sandbox/);
  });

  test('a saved plan applies when nothing moved, and is refused when the live state changed', async () => {
    const planFile = join(dir, 'plan.json');
    expect((await cli(['plan', '--catalog', 'examples/catalog', '--out', planFile])).code).toBe(0);
    const saved = await readFile(planFile, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ format: 'kelviq-catalog-plan', formatVersion: 2, fingerprint: expect.stringMatching(/^sha256:/) });
    // Decisions belong to the saved plan: a flag that would change them is refused, not silently ignored.
    const redecided = await cli(['apply', planFile, '--yes', '--publish', '--prune']);
    expect(redecided.code).toBe(1);
    expect(redecided.stderr).toContain(`--publish, --prune cannot change a saved plan`);
    expect(redecided.stderr).toContain(`kelviq-catalog plan --out ${planFile}`);
    const applied = await cli(['apply', planFile, '--yes']);
    expect(applied.code).toBe(0);

    // A second plan, then somebody edits a plan in the dashboard before it is applied.
    const stalePlan = join(dir, 'stale.json');
    await cli(['plan', '--catalog', 'examples/catalog', '--out', stalePlan]);
    const edited = (await (await fetch(`${emulator.url}/catalog/plans/analytics-free/`, { method: 'PATCH', headers: { authorization: `Bearer ${CANARY}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Edited live' }) })).json()) as { name: string };
    expect(edited.name).toBe('Edited live');
    const refused = await cli(['apply', stalePlan, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the live catalog changed since the plan was made .*refusing to apply a stale plan/);
  });

  test('a plan for the sandbox is refused against production', async () => {
    const planFile = join(dir, 'plan.json');
    await cli(['plan', '--catalog', 'examples/catalog', '--out', planFile]);
    const ran = await cli(['apply', planFile, '--yes', '--prod'], { KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/the plan was made for sandbox but this run targets production/);
  });
});

describe('keys', () => {
  test('a missing key names the variable; --prod never falls back to the sandbox key', async () => {
    const ran = await cli(['plan', '--catalog', 'examples/catalog', '--prod']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/KELVIQ_SERVER_API_KEY is not set/);
  });

  test('a rejected key (401) explains itself and never echoes the key, in text, JSON or saved plans', async () => {
    const wrong = await cli(['plan', '--catalog', 'examples/catalog', '--json'], { KELVIQ_SANDBOX_SERVER_API_KEY: `${CANARY}-wrong` });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/GET \/catalog\/\w+\/\?page=1&page_size=100 failed with 401: .*hint: check the API key/);
    expect(wrong.stderr).not.toContain(`${CANARY}-wrong`);
    await cli(['plan', '--catalog', 'examples/catalog', '--out', join(dir, 'p.json')]);
    await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--json']);
    for (const file of await readdir(dir)) expect(await readFile(join(dir, file), 'utf8')).not.toContain(CANARY);
  });
});
