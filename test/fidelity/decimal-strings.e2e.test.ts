/**
 * Amounts as decimal strings. The spec types a tier's flatAmount and unitAmount as numbers, but a Django server's
 * DecimalField renders "0.0008", and priceData is an open object whose amount the spec does not type at all. A
 * live amount the catalog format cannot read as a number must cost only the plan holding it (a warning naming
 * the value, the plan left alone), never the whole run: "an unknown field or enum value from the server must be
 * a warning, never a crash", and NOTES.md: "No closed response shapes ... tolerate the unknown".
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

const KEY = 'kvq_decimal_strings_key_3c9d';
let emulator: RunningEmulator;

function cli(args: string[]): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
});
afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  emulator.reset();
  const applied = await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']);
  expect(applied.code, applied.stderr).toBe(0);
});

/** The newest version of `plan`, as the emulator stores (and serves) it. */
const newest = (plan: string) => emulator.store.plans.get(plan)!.versions.at(-1)!;
const usageTiers = () => (newest('analytics-usage').prices[0]!.chargeCatalogPrice as Array<{ charges: Array<{ tiers?: Array<Record<string, unknown>> }> }>)[1]!.charges[0]!.tiers!;
const apiCalls = () => newest('analytics-usage').entitlements.find((entitlement) => entitlement.details.value === 100000)!;

test('plan: decimal strings for a tier amount (spec: number) and an entitlement value (spec: untyped) read as the numbers they spell', async () => {
  usageTiers()[1]!.unitAmount = '0.0008';
  apiCalls().details.value = '100000';
  const planned = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode', '--no-color']);
  expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  expect(planned.stdout).toMatch(/No changes/);
});

test('plan: an amount that spells no number leaves that plan alone with a warning; no crash, nothing else changes', async () => {
  usageTiers()[1]!.unitAmount = 'n/a';
  const planned = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode', '--no-color']);
  const output = planned.stdout + planned.stderr;
  expect(planned.code, output).toBe(0);
  expect(output).toMatch(/plan analytics-usage is left as it is in Kelviq: .*tiers\[1\]\.unitAmount is "n\/a"/);
});
