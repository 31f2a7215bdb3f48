/**
 * Without a terminal (a CI log) long phases are not silent: a heartbeat line on stderr every interval saying what
 * is being read or applied (requests answered, n of N actions), and each applied action as it completes — not
 * all at once at the end. Run in-process with non-TTY streams against a slow emulator (its latency knob).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

const KEY = 'kvq_canary_progress_4e1f07aa92';
const LATENCY_MS = 150;

const CATALOG = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
features:
  - identifier: sso
    name: SSO
    featureType: BOOLEAN
plans:
  - identifier: free
    product: acme
    name: Free
  - identifier: team
    product: acme
    name: Team
`;

let emulator: RunningEmulator;
let catalog: string;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, latencyMs: LATENCY_MS });
  catalog = join(await mkdtemp(join(tmpdir(), 'kelviq-progress-')), 'catalog.yaml');
  await writeFile(catalog, CATALOG);
});

afterEach(async () => {
  await emulator.close();
});

interface Line {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Runs the CLI with the given TTY-ness of stderr, recording when each line was written. */
async function runTimed(args: string[], stderrIsTTY: boolean): Promise<{ code: number; lines: Line[] }> {
  const lines: Line[] = [];
  const capture = (stream: 'stdout' | 'stderr') => {
    const sink = Object.assign(new PassThrough(), stream === 'stderr' && stderrIsTTY ? { isTTY: true } : {});
    sink.on('data', (chunk: Buffer) => {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push({ at: performance.now(), stream, text });
    });
    return sink;
  };
  const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY, KELVIQ_CATALOG_HEARTBEAT: '0.1', NO_COLOR: '1' };
  const code = await run(args, { stdout: capture('stdout'), stderr: capture('stderr'), stdin: new PassThrough(), env });
  for (const line of lines) expect(line.text).not.toContain(KEY);
  return { code, lines };
}

test('no terminal: heartbeat while reading and applying, and each action as it completes', async () => {
  const { code, lines } = await runTimed(['apply', '--catalog', catalog, '--yes', '--concurrency', '1'], false);
  expect(code).toBe(0);
  const stderr = lines.filter((line) => line.stream === 'stderr').map((line) => line.text);

  expect(stderr).toContainEqual(expect.stringMatching(/^\.\.\. reading the live catalog from Kelviq sandbox: \d+ request\(s\) answered so far \(\d+s\)$/));
  expect(stderr).toContainEqual(expect.stringMatching(/^\.\.\. applying to Kelviq sandbox: [0-3] of 4 action\(s\) done, 1 in progress \(\d+s\)$/));

  const applied = lines.filter((line) => /^\[\d\/4\] applied: /.test(line.text));
  expect(applied.map((line) => line.text)).toEqual([
    expect.stringMatching(/^\[1\/4\] applied: create (product acme|feature sso \(BOOLEAN\))$/),
    expect.stringMatching(/^\[2\/4\] applied: create (product acme|feature sso \(BOOLEAN\))$/),
    expect.stringMatching(/^\[3\/4\] applied: create plan (free|team) on product acme$/),
    expect.stringMatching(/^\[4\/4\] applied: create plan (free|team) on product acme$/),
  ]);
  // As they complete, one request round trip apart at least, and before the result is printed.
  for (let index = 1; index < applied.length; index += 1) expect(applied[index]!.at - applied[index - 1]!.at).toBeGreaterThan(LATENCY_MS * 0.8);
  const result = lines.findIndex((line) => line.stream === 'stdout' && /Applied|applied/.test(line.text) && !line.text.startsWith('['));
  expect(result).toBeGreaterThan(lines.indexOf(applied.at(-1)!));
});

test('on a terminal: none of these lines (the status line is redrawn instead)', async () => {
  const { code, lines } = await runTimed(['apply', '--catalog', catalog, '--yes', '--concurrency', '1'], true);
  expect(code).toBe(0);
  expect(lines.filter((line) => line.stream === 'stderr' && (/^\.\.\. /.test(line.text) || /^\[\d\/4\] applied/.test(line.text)))).toEqual([]);
});

test('plan without a terminal: the heartbeat names what is being read, and stops with the phase', async () => {
  const { code, lines } = await runTimed(['plan', '--catalog', catalog], false);
  expect(code).toBe(0);
  const beats = lines.filter((line) => line.text.startsWith('... '));
  expect(beats.length).toBeGreaterThan(0);
  const planPrinted = lines.find((line) => line.stream === 'stdout')!;
  expect(beats.every((beat) => beat.at <= planPrinted.at)).toBe(true);
});
