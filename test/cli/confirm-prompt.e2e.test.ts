/**
 * The confirmation prompt on a terminal (stdin, stdout and stderr TTYs), over real loopback HTTP against the
 * emulator: Ctrl+C typed at it is an interruption (README, "Exit codes": 130, code `interrupted`), nothing is
 * written, and it is not reported as an internal error.
 */
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { EMULATOR_DEFAULT_KEY, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await emulator.close();
});

/** Runs the CLI on a pretend terminal and types `typed` once the prompt is shown. */
async function onTerminal(args: string[], typed: string) {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  const stdin = tty();
  const stdout = tty();
  const stderr = tty();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.includes('Only "yes" is accepted')) setImmediate(() => stdin.write(typed));
  });
  const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: EMULATOR_DEFAULT_KEY, NO_COLOR: '1' };
  const code = await run(['--no-color', ...args], { stdin, stdout, stderr, env });
  return { code, out, err };
}

const writes = () => emulator.requestLog.entries.filter((entry) => entry.method !== 'GET');

test.each([[[] as string[]], [['--json']]])('Ctrl+C at the apply prompt %j: exit 130, interrupted, nothing written', async (extra) => {
  const ran = await onTerminal(['apply', '--catalog', 'examples/catalog', ...extra], '\x03');
  expect(ran.code).toBe(130);
  expect(ran.err).toContain('apply was interrupted at the confirmation prompt; nothing was changed.');
  expect(ran.err).not.toMatch(/error\s+Aborted/);
  if (extra.length) {
    expect(JSON.parse(ran.out)).toEqual({ formatVersion: 1, error: { code: 'interrupted', message: 'apply was interrupted at the confirmation prompt; nothing was changed.' } });
  }
  expect(writes()).toEqual([]);
});

test('an answer other than "yes" cancels: exit 1, nothing written', async () => {
  const ran = await onTerminal(['apply', '--catalog', 'examples/catalog'], 'no\r');
  expect(ran.code).toBe(1);
  expect(ran.err).toContain('Apply cancelled; nothing was changed.');
  expect(writes()).toEqual([]);
});
