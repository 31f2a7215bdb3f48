/**
 * promote checks every identifier it would carry before its first write to production. The sandbox API accepts
 * identifiers the catalog format does not (capitals; older data anything); carried over, production refused the
 * first of them midway and was left half promoted. Now all of them are listed and nothing is written.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

const SANDBOX_KEY = 'kvq_canary_sandbox_ids_3c8e1f5a72';
const PRODUCTION_KEY = 'kvq_canary_production_ids_6a2d9b4e17';
const ODD_PLAN = 'team plan\n::error::forged';
const FREE = { priceType: 'FREE' };

let sandbox: RunningEmulator;
let production: RunningEmulator;

beforeEach(async () => {
  [sandbox, production] = await Promise.all([
    startEmulator({
      port: 0,
      apiKey: SANDBOX_KEY,
      seed: {
        // Slugs first, so a promotion that writes as it goes would have written these before meeting the others.
        products: [
          { identifier: 'acme', name: 'Acme', taxCode: 'saas' },
          { identifier: 'Legacy', name: 'Legacy', taxCode: 'saas' },
        ],
        features: [
          { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
          { identifier: 'Old_Seats', name: 'Old seats', featureType: 'CUSTOMIZABLE' },
        ],
        plans: [
          { identifier: 'free', product: 'acme', published: true, versions: [{ name: 'Free', entitlements: { seats: { value: 1 } }, prices: [FREE] }] },
          { identifier: ODD_PLAN, product: 'acme', published: true, versions: [{ name: 'Team', prices: [FREE] }] },
        ],
      },
    }),
    startEmulator({ port: 0, apiKey: PRODUCTION_KEY }),
  ]);
});

afterEach(async () => {
  await Promise.all([sandbox.close(), production.close()]);
});

const cli = (args: string[]) =>
  runCli(
    args,
    { KELVIQ_SANDBOX_BASE_URL: sandbox.url, KELVIQ_SANDBOX_SERVER_API_KEY: SANDBOX_KEY, KELVIQ_BASE_URL: production.url, KELVIQ_SERVER_API_KEY: PRODUCTION_KEY },
    [SANDBOX_KEY, PRODUCTION_KEY],
  );

const writesTo = (emulator: RunningEmulator) => emulator.requestLog.entries.filter((entry) => entry.method !== 'GET').length;

test('every non-slug identifier is listed and production is not written to', async () => {
  const ran = await cli(['promote', '--yes', '--publish']);
  expect(ran.code).toBe(1);
  const errors = ran.stdout.split('\n').filter((line) => line.startsWith('error  '));
  expect(errors).toEqual([
    expect.stringMatching(/^error {2}sandbox product Legacy cannot be promoted: its identifier is not a slug/),
    expect.stringMatching(/^error {2}sandbox feature Old_Seats cannot be promoted: its identifier is not a slug/),
    // Escaped: the identifier's line break does not start a line of its own.
    expect.stringMatching(/^error {2}sandbox plan team plan\\n::error::forged cannot be promoted: its identifier is not a slug/),
  ]);
  expect(ran.stderr).toContain('nothing was promoted');
  expect(writesTo(production)).toBe(0);
});

test('--dry-run --json lists them as errors, with the identifiers exact', async () => {
  const ran = await cli(['promote', '--dry-run', '--json']);
  expect(ran.code).toBe(1);
  const document = JSON.parse(ran.stdout);
  expect(document.errors.map((e: { message: string }) => e.message)).toContainEqual(expect.stringContaining(`sandbox plan ${ODD_PLAN} cannot be promoted: its identifier is not a slug`));
  expect(document.errors).toHaveLength(3);
  expect(writesTo(production)).toBe(0);
});
