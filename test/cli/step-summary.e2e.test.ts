/**
 * The step summary is a courtesy to the CI job, not the command's result: when `GITHUB_STEP_SUMMARY` names a file
 * that cannot be written, plan and drift say so on stderr and exit as they would have (here 2: changes, drift).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'kvq_canary_summary_71c3e9a05d';

const CATALOG = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
plans:
  - identifier: free
    product: acme
    name: Free
    prices:
      - priceType: FREE
`;

let emulator: RunningEmulator;
let catalog: string;
let unwritable: string;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  const dir = await mkdtemp(join(tmpdir(), 'kelviq-summary-'));
  catalog = join(dir, 'catalog.yaml');
  await writeFile(catalog, CATALOG);
  // A folder that does not exist: appending fails with ENOENT, as on a runner whose summary file went away.
  unwritable = join(dir, 'no-such-folder', 'summary.md');
});

afterEach(async () => {
  await emulator.close();
});

function cli(args: string[]) {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY, GITHUB_STEP_SUMMARY: unwritable }, [KEY]);
}

test.each([
  ['plan', ['plan', '--catalog', '<catalog>', '--detailed-exitcode'], /Plan: 2 to create/],
  ['plan --markdown', ['plan', '--catalog', '<catalog>', '--markdown', '--detailed-exitcode'], /### kelviq-catalog plan: sandbox/],
  ['drift', ['drift', '--catalog', '<catalog>'], /Drift found in Kelviq sandbox/],
  ['drift --markdown', ['drift', '--catalog', '<catalog>', '--markdown'], /## Kelviq catalog drift: sandbox/],
])('%s: an unwritable GITHUB_STEP_SUMMARY is a warning, the exit code stays the result', async (_name, args, printed) => {
  const ran = await cli(args.map((arg) => (arg === '<catalog>' ? catalog : arg)));
  expect(ran.stdout).toMatch(printed);
  expect(ran.stderr).toContain(`warning  could not append to the step summary (GITHUB_STEP_SUMMARY=${unwritable})`);
  expect(ran.stderr).not.toMatch(/^error/m);
  expect(ran.code).toBe(2);
});
