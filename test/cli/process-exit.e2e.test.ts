/**
 * The CLI as a real child process never ends without a message: a key that cannot travel in an HTTP header is
 * refused up front (it used to make undici leave a request pending forever, and Node exit 13 in silence), and a
 * command whose work is left pending with nothing to wake it still ends with a message and exit 1.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

function node(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test.each([
  ['a line break', 'kvqbadkeyhead\r\nkvqbadkeytail'],
  ['a non-ASCII character', 'kvqbadkeyhead\u00e9kvqbadkeytail'],
  ['a non-ASCII character', 'kvqbadkeyhead\u2013kvqbadkeytail'],
])('a key with %s: exit 1 with a message naming the variable, never the key', async (what, key) => {
  const ran = await node(['--import', 'tsx', 'test/helpers/cli-entry.ts', 'plan', '--catalog', 'examples/catalog'], {
    KELVIQ_SANDBOX_BASE_URL: emulator.url,
    KELVIQ_SANDBOX_SERVER_API_KEY: key,
  });
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain(`KELVIQ_SANDBOX_SERVER_API_KEY contains ${what}`);
  expect(ran.stderr).toContain('cannot be sent in an HTTP header');
  expect(ran.stdout + ran.stderr).not.toMatch(/kvqbadkey/);
  expect(emulator.requestLog.entries).toEqual([]);
}, 30_000);

test('a command left pending with nothing to wake it ends with a message and exit 1, not a silent 13', async () => {
  const script = "import { runToExit } from './src/cli/main.ts'; await runToExit(() => new Promise(() => {}));";
  const ran = await node(['--import', 'tsx', '--input-type=module', '--eval', script], {});
  expect(ran.code).toBe(1);
  expect(ran.stderr).toMatch(/^error {2}internal error: .*the command did not finish\.\n$/);
}, 30_000);
