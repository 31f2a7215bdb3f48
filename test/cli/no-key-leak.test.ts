/**
 * No command prints a key: every command the CLI registers runs here with canary keys, on its success path and
 * with a key the server rejects (the 401 path, where a careless error message would echo what was sent), and
 * neither its output nor any file it writes contains a canary. A command added without a case here fails the test.
 */
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { Output } from '../../src/cli/io.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

const SANDBOX_KEY = 'kvq_canary_leak_sandbox_3f9a0c7e51';
const PRODUCTION_KEY = 'kvq_canary_leak_production_8e2d4b6a19';
const REJECTED_KEY = 'kvq_canary_leak_rejected_6c1b9f3e27';
const CANARIES = [SANDBOX_KEY, PRODUCTION_KEY, REJECTED_KEY];

let sandbox: RunningEmulator;
let production: RunningEmulator;
let dir: string;

/** Argument lists that exercise each command against the emulators, text and JSON; `d` is a fresh folder per run. */
const CASES: Record<string, Array<(d: string) => string[]>> = {
  validate: [() => ['validate', '--catalog', 'examples/catalog'], () => ['validate', '--catalog', 'examples/catalog', '--json']],
  plan: [(d) => ['plan', '--catalog', 'examples/catalog', '--out', join(d, 'plan.json')], () => ['plan', '--catalog', 'examples/catalog', '--json']],
  apply: [() => ['apply', '--catalog', 'examples/catalog', '--yes', '--json'], () => ['apply', '--catalog', 'examples/catalog', '--yes', '--publish']],
  drift: [() => ['drift', '--catalog', 'examples/catalog', '--markdown'], () => ['drift', '--catalog', 'examples/catalog', '--json']],
  pull: [(d) => ['pull', '--out', join(d, 'pulled')], (d) => ['pull', '--out', join(d, 'pulled-json'), '--json']],
  promote: [() => ['promote', '--dry-run', '--json'], () => ['promote', '--yes']],
  fmt: [() => ['fmt', '--check', '--catalog', 'examples/catalog']],
  init: [(d) => ['init', '--catalog', join(d, 'starter')]],
  schema: [() => ['schema']],
};
/** Commands that never talk to Kelviq, so a rejected key changes nothing for them. */
const OFFLINE = new Set(['validate', 'fmt', 'init', 'schema']);

function environment(sandboxKey: string) {
  return {
    KELVIQ_SANDBOX_BASE_URL: sandbox.url,
    KELVIQ_SANDBOX_SERVER_API_KEY: sandboxKey,
    KELVIQ_BASE_URL: production.url,
    KELVIQ_SERVER_API_KEY: PRODUCTION_KEY,
    GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
  };
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((entry) => filesUnder(join(path, entry))))).flat();
}

async function expectNoCanaryIn(path: string): Promise<void> {
  for (const file of await filesUnder(path)) {
    const text = await readFile(file, 'utf8');
    for (const canary of CANARIES) expect(text, file).not.toContain(canary);
  }
}

beforeAll(async () => {
  [sandbox, production] = await Promise.all([
    startEmulator({ port: 0, apiKey: SANDBOX_KEY }),
    startEmulator({ port: 0, apiKey: PRODUCTION_KEY }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'kelviq-leak-'));
});
afterAll(async () => {
  await Promise.all([sandbox.close(), production.close()]);
});

test('every registered command has a case here', () => {
  const output = new Output({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, false);
  const names = buildProgram(output, async () => {}).commands.map((command) => command.name());
  // The emulator command prints its own public test key by design and is covered in emulator-command.test.ts.
  expect(names.filter((name) => name !== 'emulator').sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(Object.keys(CASES))('%s', (name) => {
  test('prints no key and writes none to a file, with an accepted key and with a rejected one', async () => {
    for (const args of CASES[name]!) {
      const accepted = await mkdtemp(join(dir, `${name}-ok-`));
      const ran = await runCli(args(accepted), environment(SANDBOX_KEY), CANARIES);
      expect(ran.code, ran.stderr).not.toBe(1);
      await expectNoCanaryIn(accepted);

      const rejected = await mkdtemp(join(dir, `${name}-401-`));
      const refused = await runCli(args(rejected), environment(REJECTED_KEY), CANARIES);
      if (!OFFLINE.has(name)) {
        expect(refused.code).toBe(1);
        expect(refused.stdout + refused.stderr).toMatch(/401/);
      }
      await expectNoCanaryIn(rejected);
    }
    await expectNoCanaryIn(join(dir, 'step-summary.md'));
  });
});
