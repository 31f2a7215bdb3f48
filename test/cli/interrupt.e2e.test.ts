/**
 * Interruption and concurrency, with the CLI as a real child process (signals need a real process): SIGINT
 * mid-apply stops scheduling, lets in-flight requests finish, reports, exits 130, and a rerun converges; two
 * applies started at once end without corrupting anything, and a rerun converges.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { generateCatalog } from '../../bench/generate-catalog.js';
import { KelviqClient } from '../../src/client/index.js';
import { computePlan } from '../../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startScriptedServer } from '../helpers/scripted-server.js';

let emulator: RunningEmulator;
let catalogFile: string;
const catalog = generateCatalog({ plans: 40, entitlementsPerPlan: 3, pricesPerPlan: 1 });

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, latencyMs: 15 });
  catalogFile = join(await mkdtemp(join(tmpdir(), 'kelviq-interrupt-')), 'catalog.yaml');
  // The canonical model is also valid file syntax (entitlements as full details objects).
  await writeFile(catalogFile, stringify(catalog));
});
afterEach(async () => {
  await emulator.close();
});

interface Child {
  code: Promise<number | null>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function cli(args: string[], baseUrl = emulator.url): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-entry.ts', ...args], {
    // Only what the child needs (PATH for tsx, HOME for its cache): the runner's own GITHUB_ACTIONS, proxy or
    // Kelviq variables would change what the CLI prints.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KELVIQ_SANDBOX_BASE_URL: baseUrl, KELVIQ_SANDBOX_SERVER_API_KEY: EMULATOR_DEFAULT_KEY, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    code: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    output: () => output,
    kill: (signal) => child.kill(signal),
  };
}

async function planActions(): Promise<number> {
  const client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY });
  try {
    return (await computePlan({ client, catalog, environment: 'sandbox' })).plan.actions.length;
  } finally {
    await client.close();
  }
}

test('SIGINT during apply: in-flight requests finish, the report says what was applied, exit 130, a rerun converges', async () => {
  const apply = cli(['apply', '--catalog', catalogFile, '--yes', '--concurrency', '2']);
  // Wait until the first plans exist, then interrupt.
  while (!emulator.requestLog.entries.some((e) => e.method === 'POST' && e.template === '/catalog/plans/')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  apply.kill('SIGINT');
  expect(await apply.code).toBe(130);
  const output = apply.output();
  expect(output).toMatch(/SIGINT: starting nothing new; waiting for requests in flight to finish/);
  expect(output).toMatch(/Apply interrupted: \d+ applied, 0 failed, \d+ not attempted/);
  const applied = Number(/Apply interrupted: (\d+) applied/.exec(output)?.[1]);
  expect(applied).toBeGreaterThan(0);
  expect(await planActions()).toBeGreaterThan(0);

  const rerun = cli(['apply', '--catalog', catalogFile, '--yes']);
  expect(await rerun.code).toBe(0);
  expect(await planActions()).toBe(0);
}, 60_000);

test('two applies started at once end without duplicates or corruption, and a rerun converges', async () => {
  const first = cli(['apply', '--catalog', catalogFile, '--yes']);
  const second = cli(['apply', '--catalog', catalogFile, '--yes']);
  const codes = await Promise.all([first.code, second.code]);
  // Each either succeeded or failed cleanly (a create losing the race gets a 400 duplicate-identifier): never a crash.
  for (const [index, code] of codes.entries()) {
    expect([0, 1], [first, second][index]?.output()).toContain(code);
  }
  const rerun = cli(['apply', '--catalog', catalogFile, '--yes']);
  expect(await rerun.code).toBe(0);
  expect(await planActions()).toBe(0);
  const store = emulator.store;
  expect([...store.plans.values()].filter((p) => !p.archived).length).toBe(catalog.plans.length);
  expect([...store.features.values()].filter((f) => !f.archived).length).toBe(catalog.features.length);
  expect([...store.products.values()].filter((p) => !p.archived).length).toBe(catalog.products.length);
  for (const plan of store.plans.values()) expect(plan.versions.length).toBe(1);
}, 60_000);

test.each(['SIGINT', 'SIGTERM'] as const)('%s while apply waits out a Retry-After ends the wait at once: report, exit 130', async (signal) => {
  // An empty account whose first write is rate limited for 50 s (under the cap, so the client waits).
  const server = await startScriptedServer((request) =>
    request.method === 'GET'
      ? { status: 200, body: { count: 0, next: null, previous: null, results: [] } }
      : { status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '50' } },
  );
  try {
    const file = join(await mkdtemp(join(tmpdir(), 'kelviq-wait-')), 'catalog.yaml');
    await writeFile(file, stringify({ products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas' }] }));
    const apply = cli(['apply', '--catalog', file, '--yes'], server.url);
    while (!server.requests.some((r) => r.method === 'POST')) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    apply.kill(signal);
    expect(await apply.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(5_000);
    const output = apply.output();
    expect(output).toContain(`${signal}: starting nothing new`);
    expect(output).toMatch(/Apply interrupted: 0 applied, 1 failed, 0 not attempted/);
    expect(output).toMatch(/POST \/catalog\/products\/: not sent, the run was interrupted while it waited/);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  } finally {
    await server.close();
  }
}, 60_000);

test('SIGINT during pull --force: exit 130, the existing catalog exactly as it was, no temporary folder left', async () => {
  expect(await cli(['apply', '--catalog', catalogFile, '--yes']).code).toBe(0);
  const parent = await mkdtemp(join(tmpdir(), 'kelviq-pull-interrupt-'));
  const out = join(parent, 'catalog');
  expect(await cli(['pull', '--out', out]).code).toBe(0);
  const files = async () => {
    const names = (await readdir(out, { recursive: true })).map(String).filter((name) => name.endsWith('.yaml')).sort();
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(out, name), 'utf8')] as const)));
  };
  const before = await files();
  expect(Object.keys(before).length).toBeGreaterThan(1);

  const seen = emulator.requestLog.entries.length;
  const pull = cli(['pull', '--out', out, '--force']);
  // Interrupted while it reads the plans' details (40 plans at 15 ms a request).
  while (!emulator.requestLog.entries.slice(seen).some((e) => e.template === '/catalog/plans/{identifier}/features/')) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  pull.kill('SIGINT');
  expect(await pull.code).toBe(130);
  expect(pull.output()).toContain('SIGINT: stopping; nothing will be written');
  expect(pull.output()).toContain(`pull was interrupted; nothing was written: ${out} is as it was.`);
  expect(await files()).toEqual(before);
  expect(await readdir(parent)).toEqual(['catalog']);
}, 60_000);
