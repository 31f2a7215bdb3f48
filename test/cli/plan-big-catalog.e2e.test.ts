/**
 * `plan` on a catalog big enough to be parsed in a worker thread while every live read of its outlined scope
 * runs (src/cli/actions/plan-early.ts): the same outcome as ever, at the same minimum of requests; an invalid
 * catalog still reports each problem at its file:line:column and writes nothing; a message about a plan still
 * points at its line, through the locator rebuilt from the worker's answer. In-process CLI, loopback HTTP.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateCatalog } from '../../bench/generate-catalog.js';
import { WORKER_LOAD_MIN_BYTES } from '../../src/cli/actions/plan-early.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { catalogToFiles } from '../../src/schema/write/index.js';
import { runCli } from '../helpers/run-cli.js';
import { unwrapped } from '../helpers/unwrap.js';

const KEY = 'kvq_test_big_catalog_0f3a';
const PLANS = 150;
let emulator: RunningEmulator;
let dir: string;
let catalogDir: string;
let planFile: string;

const cli = (args: string[]) => runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
const byTemplate = () => {
  const counts: Record<string, number> = {};
  for (const entry of emulator.requestLog.entries) counts[`${entry.method} ${entry.template}`] = (counts[`${entry.method} ${entry.template}`] ?? 0) + 1;
  return counts;
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-big-catalog-'));
  catalogDir = join(dir, 'catalog');
  let bytes = 0;
  for (const file of catalogToFiles(generateCatalog({ plans: PLANS, entitlementsPerPlan: 15, pricesPerPlan: 3, features: 100 }), { directory: catalogDir })) {
    await mkdir(dirname(join(catalogDir, file.path)), { recursive: true });
    await writeFile(join(catalogDir, file.path), file.text);
    bytes += Buffer.byteLength(file.text);
    if (file.text.includes('plans:')) planFile = join(catalogDir, file.path);
  }
  // Above the size from which the catalog is parsed in a worker: this is the path under test.
  expect(bytes).toBeGreaterThan(WORKER_LOAD_MIN_BYTES);
  expect((await cli(['apply', '--catalog', catalogDir, '--yes', '--publish'])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

test('no changes: exit 0 with --detailed-exitcode, at exactly the minimum of requests', async () => {
  emulator.requestLog.clear();
  const ran = await cli(['plan', '--catalog', catalogDir, '--detailed-exitcode']);
  expect(ran.stderr).not.toMatch(/error/i);
  expect(ran.code).toBe(0);
  const products = new Set(generateCatalog({ plans: PLANS, entitlementsPerPlan: 15, pricesPerPlan: 3, features: 100 }).products.map((p) => p.identifier)).size;
  expect(byTemplate()).toEqual({
    'GET /catalog/products/': 1,
    'GET /catalog/features/': 1,
    'GET /catalog/plans/': Math.ceil(PLANS / 100),
    'GET /catalog/products/{pk}/settings/': products,
    'GET /catalog/plans/{identifier}/features/': PLANS,
    'GET /catalog/plans/{identifier}/prices/': PLANS,
    'GET /subscriptions/': 1,
  });
}, 60_000);

test('a change is planned in full, and exit 2', async () => {
  const original = await readFile(planFile, 'utf8');
  try {
    await writeFile(planFile, original.replace('    name: Plan 1\n', '    name: Plan One\n'));
    const ran = await cli(['plan', '--catalog', catalogDir, '--detailed-exitcode']);
    expect(ran.code).toBe(2);
    expect(unwrapped(ran.stdout)).toMatch(/Plan 1.*→.*Plan One/s);
  } finally {
    await writeFile(planFile, original);
  }
}, 60_000);

test('an invalid catalog: each error at its file:line:column, exit 1, nothing written', async () => {
  const original = await readFile(planFile, 'utf8');
  const lines = original.split('\n');
  const at = lines.findLastIndex((line) => line.includes('currency: USD'));
  lines[at] = lines[at]!.replace('currency: USD', 'currency: usd');
  try {
    await writeFile(planFile, lines.join('\n'));
    emulator.requestLog.clear();
    const ran = await cli(['plan', '--catalog', catalogDir]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`${planFile}:${at + 1}:`);
    expect(ran.stderr).toContain('nothing was written to Kelviq');
    expect(emulator.requestLog.entries.filter((entry) => entry.method !== 'GET')).toEqual([]);
  } finally {
    await writeFile(planFile, original);
  }
}, 60_000);
