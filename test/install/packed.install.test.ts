/**
 * The package as a user installs it (`npm run test:install`, not part of `npm test`: it builds, packs, and
 * installs the tarball's dependencies from the npm registry, about 40 s): production dependencies only, no
 * install script anywhere in the tree, no test tooling, and the installed binary runs `--version`, `init`,
 * `validate`, its own `emulator`, and `plan` against it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { packAndInstall, type PackedInstall } from '../helpers/packed-install.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
/** The target for the production install, on disk as `du` counts it. */
const INSTALL_BUDGET_BYTES = 16_000_000;

let installed: PackedInstall;
let emulator: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  installed = await packAndInstall();
});
afterAll(async () => {
  emulator?.kill('SIGINT');
  await installed?.remove();
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(kelviq_|https?_proxy|no_proxy)/i.test(name)));
  const child = spawn(installed.bin, args, { cwd: installed.project, env: { ...clean, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

test('production dependencies only: no install script, no test tooling, within the size budget', () => {
  expect(installed.installScripts).toEqual([]);
  expect(installed.packages).toContain('kelviq-catalog');
  for (const tooling of ['msw', 'vitest', 'typescript', 'tsx', 'graphql', '@inquirer/core']) expect(installed.packages).not.toContain(tooling);
  expect(installed.installBytes).toBeLessThanOrEqual(INSTALL_BUDGET_BYTES);
});

test('the installed binary: --version, init, validate, then plan against its own emulator', async () => {
  const version = await cli(['--version']);
  expect([version.code, version.stdout.trim()]).toEqual([0, VERSION]);

  const init = await cli(['init', '--catalog', 'catalog']);
  expect(init.code).toBe(0);
  // The modeline goes through the project's node_modules and reaches the installed schema.
  const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(installed.project, 'catalog', 'features.yaml'), 'utf8'))![1]!;
  expect(modeline).toBe('../node_modules/kelviq-catalog/schema/catalog.schema.json');
  expect(existsSync(resolve(installed.project, 'catalog', modeline))).toBe(true);

  const validate = await cli(['validate', '--catalog', 'catalog']);
  expect(validate.code).toBe(0);
  expect(validate.stdout).toContain('Catalog is valid, 0 warning(s) in 3 file(s) (1 products, 3 features, 2 plans).\n');
  expect(validate.stdout).toContain('Policy: 0 violation(s), 0 waived, 0 not evaluated; 1 of 3 rule(s) checked');

  // The emulator command runs from the production install: it needs no test tooling.
  emulator = spawn(installed.bin, ['emulator', '--port', '0'], { cwd: installed.project, env: { ...process.env, NO_COLOR: '1' } });
  let printed = '';
  emulator.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((done) => emulator!.on('close', done));
  while (!printed.includes('KELVIQ_SANDBOX_SERVER_API_KEY=')) {
    if (emulator.exitCode !== null) throw new Error(`the emulator exited ${emulator.exitCode}`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
  const env = Object.fromEntries([...printed.matchAll(/^export (\w+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
  expect(Object.keys(env).sort()).toEqual(['KELVIQ_SANDBOX_BASE_URL', 'KELVIQ_SANDBOX_SERVER_API_KEY']);

  const plan = await cli(['plan', '--catalog', 'catalog', '--detailed-exitcode'], env);
  expect(plan.stderr).not.toMatch(/^error/m);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('my-app');
  expect(plan.stdout + plan.stderr).not.toContain(env.KELVIQ_SANDBOX_SERVER_API_KEY);

  emulator.kill('SIGINT');
  expect(await exited).toBe(0);
  emulator = undefined;
});
