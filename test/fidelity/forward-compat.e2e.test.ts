/**
 * Forward compatibility (issue 10, item 3): Kelviq's documentation lists values its spec lacks (billing periods
 * WEEKLY, TWENTY_EIGHT_DAYS, SIX_MONTHS), and a server may add a feature type or price model later. A live value
 * the catalog format cannot express must cost only the resource holding it: plan, drift and pull report it by
 * name and value and leave it alone; everything else works as usual. Through the CLI over loopback HTTP.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

const KEY = 'kvq_forward_compat_key_7a1e';
let emulator: RunningEmulator;
let dir: string;

function cli(args: string[]): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-forward-compat-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The examples, published; then values from a newer Kelviq appear in three places, as if set in the dashboard. */
beforeEach(async () => {
  emulator.reset();
  const applied = await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']);
  expect(applied.code, applied.stderr).toBe(0);
  // A documented billing period the spec's enum lacks, on a published plan's price.
  const personal = emulator.store.plans.get('desktop-personal')!.versions.at(-1)!;
  const charges = (personal.prices[0]!.chargeCatalogPrice as Array<{ charges: Array<Record<string, unknown>> }>)[0]!.charges;
  charges[0]!.chargePeriod = 'WEEKLY';
  // A feature type the format does not know, on a feature no plan uses.
  const projects = [...emulator.store.features.values()].find((feature) => feature.identifier === 'projects')!;
  (projects as { featureType: string }).featureType = 'CREDITS';
  // A price model the format does not know, on another published plan.
  const team = emulator.store.plans.get('desktop-team')!.versions.at(-1)!;
  (team.prices[0]!.chargeCatalogPrice as Array<Record<string, unknown>>)[0]!.priceModel = 'GRADUATED_V2';
});

describe('a live value outside the format', () => {
  test('plan: reported by name and value, the resource left alone, the rest planned; no crash', async () => {
    const planned = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode', '--no-color']);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    const output = planned.stdout + planned.stderr;
    expect(output).toMatch(/plan desktop-personal is left as it is in Kelviq: it holds values the catalog format cannot express \(prices\[0\]\.chargeCatalogPrice\[0\]\.charges\[0\]\.chargePeriod is "WEEKLY"/);
    expect(output).toMatch(/feature projects is left as it is in Kelviq: .*featureType is "CREDITS"/);
    expect(output).toMatch(/plan desktop-team is left as it is in Kelviq: .*priceModel is "GRADUATED_V2"/);
    // Nothing is rewritten from a guess: no action touches the three resources.
    const json = await cli(['plan', '--catalog', 'examples/catalog', '--json']);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as { actions: Array<{ id: string }> };
    expect(document.actions).toEqual([]);
  });

  test('drift: reported as not compared, exit 0 when nothing else drifted; the JSON carries the warnings', async () => {
    const drift = await cli(['drift', '--catalog', 'examples/catalog', '--no-color']);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toMatch(/warning: plan desktop-personal is left as it is in Kelviq: .*"WEEKLY"/);
    const json = await cli(['drift', '--catalog', 'examples/catalog', '--json']);
    const document = JSON.parse(json.stdout) as { warnings: string[]; drift: boolean };
    expect(document.drift).toBe(false);
    expect(document.warnings).toHaveLength(3);
  });

  test('pull: writes the rest, warns for each resource left out, and the result validates and plans to no changes', async () => {
    const out = join(dir, 'pulled');
    const pulled = await cli(['pull', '--out', out]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toMatch(/warning {2}plan desktop-personal is left out: .*chargePeriod is "WEEKLY"/);
    expect(pulled.stderr).toMatch(/warning {2}feature projects is left out: .*featureType is "CREDITS"/);
    expect(pulled.stderr).toMatch(/warning {2}plan desktop-team is left out: .*priceModel is "GRADUATED_V2"/);
    expect(pulled.stdout).toMatch(/^Pulled 2 product\(s\), 7 feature\(s\) and 4 plan\(s\)/);
    const text = (await Promise.all((await readdir(out, { recursive: true })).filter((f) => f.endsWith('.yaml')).map((f) => readFile(join(out, f), 'utf8')))).join('\n');
    expect(text).not.toMatch(/WEEKLY|CREDITS|GRADUATED_V2|desktop-personal|identifier: projects/);
    const validated = await cli(['validate', '--catalog', out]);
    expect(validated.code, validated.stdout).toBe(0);
    const planned = await cli(['plan', '--catalog', out, '--detailed-exitcode']);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  });
});
