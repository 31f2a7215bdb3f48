/**
 * Pull and the policy: Kelviq holds no policy, so pull never writes one; `pull --force` into a catalog that holds
 * one keeps it (a file of its own as it was; one sharing a file with what pull rewrites moved into policy.yaml,
 * comments kept), and the result still loads with that policy and plans to no changes. Against the emulator.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'kvq_canary_pull_policy_81d2';
let emulator: RunningEmulator;
let dir: string;
const env = () => ({ KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY });

const POLICY = `# Pricing guardrails: reviewed by the billing team.
policy:
  rules:
    # Price rises above 10% need a waiver.
    - rule: max-price-change
      increase: 10
    - rule: trial-days
      max: 30
`;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-pull-policy-'));
  expect((await runCli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish'], env())).code).toBe(0);
});
afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  return ((await readdir(folder, { recursive: true })) as string[]).filter((name) => name.endsWith('.yaml')).sort();
}

test('pull writes no policy', async () => {
  const out = join(dir, 'fresh');
  expect((await runCli(['pull', '--out', out], env())).code).toBe(0);
  for (const file of await filesUnder(out)) expect(await readFile(join(out, file), 'utf8')).not.toMatch(/^policy:/m);
  expect((await loadCatalog(out)).policy).toBeUndefined();
});

test('pull --force keeps a policy file of its own byte for byte, and the catalog plans to no changes with it', async () => {
  const out = join(dir, 'catalog');
  await cp('examples/catalog', out, { recursive: true });
  await rm(join(out, 'policy.yaml'), { force: true });
  await writeFile(join(out, 'guardrails.yaml'), POLICY);
  const pulled = await runCli(['pull', '--out', out, '--force', '--json'], env());
  expect(pulled.code).toBe(0);
  expect(JSON.parse(pulled.stdout)).toMatchObject({ keptPolicy: 'guardrails.yaml', files: expect.arrayContaining(['guardrails.yaml']) });
  expect(await readFile(join(out, 'guardrails.yaml'), 'utf8')).toBe(POLICY);
  const loaded = await loadCatalog(out);
  expect(loaded.policy?.rules.map((rule) => rule.rule)).toEqual(['max-price-change', 'trial-days']);
  const plan = await runCli(['plan', '--catalog', out, '--detailed-exitcode', '--no-color'], env());
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('Policy: 0 violation(s), 0 waived, 0 not evaluated; 2 rule(s)');
});

test('pull --force moves a policy that shared a file with products into policy.yaml, with its comments', async () => {
  const out = join(dir, 'catalog');
  await cp('examples/catalog', out, { recursive: true });
  await rm(join(out, 'policy.yaml'), { force: true });
  const products = join(out, 'products.yaml');
  await writeFile(products, `${await readFile(products, 'utf8')}\n${POLICY}`);
  const pulled = await runCli(['pull', '--out', out, '--force'], env());
  expect(pulled.code).toBe(0);
  expect(pulled.stderr).toContain("Kept the catalog's policy in policy.yaml (Kelviq holds no policy; pull never writes one).");
  const kept = await readFile(join(out, 'policy.yaml'), 'utf8');
  expect(kept).toContain('# Price rises above 10% need a waiver.\n    - rule: max-price-change\n      increase: 10\n');
  expect(kept).not.toContain('products:');
  const loaded = await loadCatalog(out);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(loaded.policy?.rules).toEqual([
    expect.objectContaining({ rule: 'max-price-change', increase: 10 }),
    expect.objectContaining({ rule: 'trial-days', max: 30 }),
  ]);
});
