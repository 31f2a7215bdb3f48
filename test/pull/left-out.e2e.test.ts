/**
 * One resource pull cannot write does not stop the others. Kelviq's slugs are looser than the catalog's (capitals)
 * and older data can hold anything; a server can echo a key into a description. Each such product, feature or
 * plan is left out with a warning naming it (escaped: the name is the server's), its dependants say why they
 * follow, everything else is written, and the exit code is 0. No key reaches a file.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cli } from './cli-run.js';

const KEY = 'kvq_canary_leftout_5e8a1c3f90';
const HOSTILE_PLAN = 'pwn\n::error::forged \x1b]0;title\x07\u202e';
const FREE = { priceType: 'FREE' };

let emulator: RunningEmulator;
let out: string;

beforeEach(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey: KEY,
    seed: {
      products: [
        { identifier: 'acme', name: 'Acme', taxCode: 'saas' },
        // The API takes capitals in slugs; the catalog format does not.
        { identifier: 'Legacy', name: 'Legacy', taxCode: 'saas' },
      ],
      features: [
        { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
        { identifier: 'Old_Seats', name: 'Old seats', featureType: 'CUSTOMIZABLE' },
      ],
      plans: [
        { identifier: 'free', product: 'acme', published: true, versions: [{ name: 'Free', entitlements: { seats: { value: 1 } }, prices: [FREE] }] },
        { identifier: HOSTILE_PLAN, product: 'acme', published: true, versions: [{ name: 'Odd', prices: [FREE] }] },
        { identifier: 'legacy-basic', product: 'Legacy', published: true, versions: [{ name: 'Basic', prices: [FREE] }] },
        { identifier: 'team', product: 'acme', published: true, versions: [{ name: 'Team', entitlements: { Old_Seats: { value: 5 } }, prices: [FREE] }] },
        { identifier: 'pro', product: 'acme', published: true, versions: [{ name: 'Pro', description: `support token: ${KEY}`, prices: [FREE] }] },
      ],
    },
  });
  out = join(await mkdtemp(join(tmpdir(), 'kelviq-left-out-')), 'catalog');
});

afterEach(async () => {
  await emulator.close();
});

async function written(): Promise<string> {
  const files = await readdir(out, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')));
  return texts.join('\n');
}

test('the rest is written, each resource left out is named in a warning, exit 0', async () => {
  const ran = await cli(['pull', '--out', out], { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY });
  expect(ran.code, ran.stderr).toBe(0);
  expect(ran.stdout).toContain('Pulled 1 product(s), 1 feature(s) and 2 plan(s)');

  const warnings = ran.stderr.split('\n').filter((line) => line.startsWith('warning  '));
  expect(warnings).toEqual(
    expect.arrayContaining([
      'warning  plan pwn\\n::error::forged \\x1b]0;title\\x07\\u202e is left out: its identifier is not a slug (^[a-z0-9][a-z0-9_-]*$), so no catalog file can declare or refer to it; the rest is written.',
      expect.stringMatching(/^warning {2}product Legacy is left out: its identifier is not a slug/),
      expect.stringMatching(/^warning {2}feature Old_Seats is left out: its identifier is not a slug/),
      'warning  plan legacy-basic belongs to product Legacy, which is left out above; the plan is left out.',
      expect.stringMatching(/^warning {2}plan team grants feature\(s\) the API does not list or that are not carried \(left out above: Old_Seats\); its entitlements are left out/),
      'warning  plan pro is left out: its text holds a Kelviq API key (one this run was given), and a key never goes into a file; the rest is written.',
    ]),
  );
  // Shown escaped: no raw control character, no line that starts a workflow command.
  expect(ran.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  for (const line of ran.stderr.split('\n')) expect(line.startsWith('::')).toBe(false);

  const files = await written();
  expect(files).toContain('identifier: free');
  expect(files).toContain('identifier: team');
  for (const absent of ['legacy-basic', 'Legacy', 'Old_Seats', 'pwn', 'identifier: pro', KEY]) expect(files).not.toContain(absent);
});

test('--json names the left-out plan exactly', async () => {
  const ran = await cli(['pull', '--out', out, '--json'], { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY });
  expect(ran.code, ran.stderr).toBe(0);
  const document = JSON.parse(ran.stdout);
  expect(document.warnings).toContainEqual(expect.objectContaining({ kind: 'plan', identifier: HOSTILE_PLAN }));
  expect(document.counts).toEqual({ products: 1, features: 1, plans: 2 });
});
