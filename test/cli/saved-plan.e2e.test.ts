/**
 * A saved plan is proof of what was reviewed, not a script: apply recomputes it from the saved catalog against
 * the live state now and refuses anything else (edited actions, another target, a damaged file), over real
 * loopback HTTP against the emulator.
 */
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyPlan, computePlan, InvalidPlanError } from '../../src/apply/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { KelviqClient } from '../../src/client/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';
import { sampleCatalog } from '../helpers/engine.js';

const CANARY = 'kvq_canary_5d2a9e7c1b4f8a3e';

let sandbox: RunningEmulator;
let production: RunningEmulator;
let dir: string;

const sandboxEnv = () => ({ KELVIQ_SANDBOX_BASE_URL: sandbox.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY });
const prodEnv = () => ({ KELVIQ_BASE_URL: production.url, KELVIQ_SERVER_API_KEY: CANARY });
const cli = (args: string[], env: Record<string, string>): Promise<Ran> => runCli(['--no-color', ...args], env, [CANARY]);
const writes = (emulator: RunningEmulator) => emulator.requestLog.entries.filter((e) => e.method !== 'GET');

beforeEach(async () => {
  sandbox = await startEmulator({ port: 0, apiKey: CANARY });
  production = await startEmulator({ port: 0, apiKey: CANARY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-saved-plan-'));
});
afterEach(async () => {
  await Promise.all([sandbox.close(), production.close()]);
});

async function savePlan(file: string, args: string[], env: Record<string, string>): Promise<any> {
  const ran = await cli(['plan', '--catalog', 'examples/catalog', '--out', file, ...args], env);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('apply PLANFILE', () => {
  test('the file carries the catalog it was computed from, and an unedited plan applies and converges', async () => {
    const file = join(dir, 'plan.json');
    const saved = await savePlan(file, [], sandboxEnv());
    expect(saved).toMatchObject({ format: 'kelviq-catalog-plan', formatVersion: 2, environment: 'sandbox', baseUrl: sandbox.url });
    expect(saved.catalog.plans.map((p: { identifier: string }) => p.identifier)).toContain('analytics-free');
    const applied = await cli(['apply', file, '--yes'], sandboxEnv());
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete/);
    // Converged: nothing to write. The plans are drafts nobody sees yet (the plan was made without --publish),
    // which --detailed-exitcode reports as 2 (issue 11, item 4).
    const again = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode', '--json'], sandboxEnv());
    expect(JSON.parse(again.stdout)).toMatchObject({ changes: false, actions: [] });
    expect(again.code).toBe(2);
  });

  test('apply FILE --json with nothing to do still prints its one document (README: "--json always prints a document")', async () => {
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes'], sandboxEnv())).code).toBe(0);
    const file = join(dir, 'plan.json');
    const saved = await savePlan(file, [], sandboxEnv());
    expect(saved.plan.actions).toEqual([]);
    const applied = await cli(['apply', file, '--yes', '--json'], sandboxEnv());
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toEqual({ formatVersion: 1, ok: true, interrupted: false, applied: [], failed: [], notAttempted: [], durationMs: 0 });
  });

  test('plan --out says the apply command that takes the file: with --prod for a production plan, quoted when needed', async () => {
    const file = join(dir, 'production plan.json');
    const ran = await cli(['plan', '--catalog', 'examples/catalog', '--prod', '--out', file], prodEnv());
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain(`apply it with: kelviq-catalog apply '${file}' --prod\n`);
    // What publishes the drafts it leaves is said with --prod too.
    expect(ran.stdout).toContain('(apply --prod --publish publishes it)');
    // The command as printed (plus --yes, there being no terminal) applies it.
    const applied = await cli(['apply', file, '--prod', '--yes'], prodEnv());
    expect(applied.code, applied.stderr).toBe(0);
    const sandboxFile = join(dir, 'plan.json');
    expect((await cli(['plan', '--catalog', 'examples/catalog', '--out', sandboxFile], sandboxEnv())).stderr).toContain(
      `apply it with: kelviq-catalog apply ${sandboxFile}\n`,
    );
  });

  test('a catalog where the plan file goes, a missing file, or --catalog beside a plan: said in words, nothing sent', async () => {
    const folder = await cli(['apply', 'examples/catalog', '--yes'], sandboxEnv());
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(
      'error  examples/catalog is a folder, not a saved plan: apply PLANFILE takes a file written by `kelviq-catalog plan --out FILE`. To apply a catalog folder, pass it as --catalog examples/catalog.\n',
    );
    const json = await cli(['apply', 'examples/catalog', '--yes', '--json'], sandboxEnv());
    expect(JSON.parse(json.stdout)).toEqual({ formatVersion: 1, error: { code: 'plan-refused', message: expect.stringContaining('is a folder, not a saved plan') } });
    const missing = await cli(['apply', join(dir, 'nope.json'), '--yes'], sandboxEnv());
    expect(missing.stderr).toBe(`error  no saved plan at ${join(dir, 'nope.json')}: apply PLANFILE takes a file written by \`kelviq-catalog plan --out FILE\`; to apply a catalog, use --catalog PATH.\n`);
    const yaml = await cli(['apply', 'examples/catalog/features.yaml', '--yes'], sandboxEnv());
    expect(yaml.stderr).toContain('is not a saved plan (not JSON): apply PLANFILE takes a file written by `kelviq-catalog plan --out FILE`; to apply a catalog, use --catalog PATH.');

    const file = join(dir, 'plan.json');
    await savePlan(file, [], sandboxEnv());
    const beside = await cli(['apply', file, '--catalog', 'other/catalog', '--yes'], sandboxEnv());
    expect(beside.code).toBe(1);
    expect(beside.stderr).toContain(`--catalog other/catalog cannot change a saved plan`);
    expect(writes(sandbox)).toEqual([]);
  });

  test('archive actions added to a no-change production plan are refused, and nothing is archived', async () => {
    expect((await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--prod'], prodEnv())).code).toBe(0);
    const file = join(dir, 'plan.json');
    const saved = await savePlan(file, ['--prod'], prodEnv());
    expect(saved.plan.actions).toEqual([]);
    saved.plan.actions.push(
      { id: 'archive-plan:analytics-free', dependsOn: [], kind: 'archive-plan', plan: 'analytics-free' },
      { id: 'archive-feature:sso', dependsOn: [], kind: 'archive-feature', feature: 'sso' },
    );
    saved.plan.summary = { ...saved.plan.summary, archive: 2, total: 2 };
    await writeFile(file, JSON.stringify(saved));
    const before = writes(production).length;

    const ran = await cli(['apply', file, '--yes', '--prod'], prodEnv());
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/actions are not what its catalog and decisions produce.*archive-plan:analytics-free.*edited/);
    expect(ran.stdout).not.toMatch(/No changes/);
    expect(writes(production).length).toBe(before);
    expect([...production.store.plans.values()].filter((p) => p.archived)).toEqual([]);
    expect([...production.store.features.values()].filter((f) => f.archived)).toEqual([]);
  });

  test('a sandbox plan edited to say production is refused against production, even when both accounts are empty', async () => {
    const file = join(dir, 'plan.json');
    const saved = await savePlan(file, [], sandboxEnv());

    // Only the environment edited: the saved base URL is another host.
    await writeFile(file, JSON.stringify({ ...saved, environment: 'production' }));
    const moved = await cli(['apply', file, '--yes', '--prod'], prodEnv());
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/the plan was made against http:\/\/127\.0\.0\.1:\d+ but this run targets http:\/\/127\.0\.0\.1:\d+/);

    // The base URL edited as well: the fingerprint of the (equally empty) production account is not the sandbox's.
    await writeFile(file, JSON.stringify({ ...saved, environment: 'production', baseUrl: production.url }));
    const rebased = await cli(['apply', file, '--yes', '--prod'], prodEnv());
    expect(rebased.code).toBe(1);
    expect(rebased.stderr).toMatch(/the live catalog changed since the plan was made/);
    expect(writes(production)).toEqual([]);
  });

  test('a damaged file gets a clear error, not a TypeError; a dependency cycle is refused, not skipped', async () => {
    const file = join(dir, 'plan.json');
    const saved = await savePlan(file, [], sandboxEnv());

    await writeFile(file, JSON.stringify({ ...saved, plan: { ...saved.plan, actions: 'none' } }));
    const damaged = await cli(['apply', file, '--yes'], sandboxEnv());
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/is not a valid saved plan: plan\.actions: /);
    expect(damaged.stderr).not.toMatch(/TypeError|Cannot read/);

    // A catalog no file could express is refused by the same loader and rules as catalog files.
    const invalid = structuredClone(saved);
    invalid.catalog.features[0].featureType = 'NOPE';
    await writeFile(file, JSON.stringify(invalid));
    const unloadable = await cli(['apply', file, '--yes'], sandboxEnv());
    expect(unloadable.code).toBe(1);
    expect(unloadable.stderr).toMatch(/the plan file's catalog is not valid \(.*NOPE/);

    await writeFile(file, JSON.stringify({ ...saved, formatVersion: 1 }));
    const old = await cli(['apply', file, '--yes'], sandboxEnv());
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/has plan format version 1; this kelviq-catalog reads version 2/);

    const [first, second] = saved.plan.actions;
    first.dependsOn = [second.id];
    second.dependsOn = [first.id];
    await writeFile(file, JSON.stringify(saved));
    const cyclic = await cli(['apply', file, '--yes'], sandboxEnv());
    expect(cyclic.code).toBe(1);
    expect(cyclic.stdout).not.toMatch(/Apply complete/);
    expect(writes(sandbox)).toEqual([]);
  });

  test('plan --out writes through no planted symlink', async () => {
    const file = join(dir, 'plan.json');
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious\n');
    // The old temporary name was predictable: <out>.<pid>.tmp (the CLI runs in this process here).
    await symlink(victim, `${file}.${process.pid}.tmp`);
    await savePlan(file, [], sandboxEnv());
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'kelviq-catalog-plan' });
  });
});

describe('the executor enforces its own gates', () => {
  test('a dependency cycle or an archive outside the prune gates rejects before anything is written', async () => {
    const client = new KelviqClient({ baseUrl: sandbox.url, apiKey: CANARY });
    try {
      const computed = await computePlan({ client, catalog: sampleCatalog(), environment: 'sandbox' });
      const [a, b] = computed.plan.actions;
      const cyclic = { ...computed.plan, actions: [{ ...a!, dependsOn: [b!.id] }, { ...b!, dependsOn: [a!.id] }] };
      await expect(applyPlan(cyclic, { client, live: computed.live, environment: 'sandbox' })).rejects.toThrow(InvalidPlanError);

      const archive = { ...computed.plan, actions: [{ id: 'archive-plan:free', dependsOn: [], kind: 'archive-plan' as const, plan: 'free' }] };
      await expect(applyPlan(archive, { client, live: computed.live, environment: 'sandbox' })).rejects.toThrow(/not made with --prune/);
      const pruning = { ...archive, decisions: { ...archive.decisions, prune: true } };
      await expect(applyPlan(pruning, { client, live: computed.live, environment: 'production' })).rejects.toThrow(/--allow-prod-prune/);
      await expect(applyPlan(pruning, { client, live: computed.live, environment: 'sandbox' })).rejects.toThrow(/does not exist in Kelviq/);
      expect(writes(sandbox)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
