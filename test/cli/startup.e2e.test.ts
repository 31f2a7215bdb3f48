/**
 * Start-up loads per command: the program's definition (names, flags, help) and `schema` run with zod, yaml and
 * undici made unloadable, so `--version` and `--help` cost about what Node's own start does; a command that
 * needs them imports them when it runs. (The timings themselves are `npm run bench:startup`, not a test.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/helpers/forbid-heavy-modules.mjs', 'test/helpers/cli-entry.ts', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('--version, --help and every command help run without loading zod, yaml or undici', async () => {
  const version = await cli(['--version']);
  expect([version.code, version.stdout.trim(), version.stderr]).toEqual([0, JSON.parse(readFileSync('package.json', 'utf8')).version, '']);
  const help = await cli(['--help']);
  expect([help.code, help.stderr]).toEqual([0, '']);
  for (const command of ['validate', 'plan', 'apply', 'drift', 'promote', 'pull', 'fmt', 'init', 'schema', 'emulator']) {
    expect(help.stdout).toContain(`  ${command}`);
  }
  const planHelp = await cli(['plan', '--help']);
  expect([planHelp.code, planHelp.stderr]).toEqual([0, '']);
  expect(planHelp.stdout).toContain('--detailed-exitcode');
}, 60_000);

test('schema prints the committed schema file without generating it', async () => {
  const ran = await cli(['schema']);
  expect([ran.code, ran.stderr]).toEqual([0, '']);
  expect(ran.stdout).toBe(readFileSync('schema/catalog.schema.json', 'utf8'));
}, 30_000);

test('a command that needs the loader imports it when it runs (the guard above does bite)', async () => {
  const ran = await cli(['validate', '--catalog', 'examples/catalog']);
  expect(ran.code).toBe(1);
  expect(ran.stderr).toMatch(/forbidden at start-up: (zod|yaml|undici)/);
}, 30_000);
