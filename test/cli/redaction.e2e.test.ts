/**
 * Redaction is for what is shown, never for data. A key can be short and look like a word; a plan named like it
 * is shown as `***` on the terminal, but the saved plan keeps the name, and applying it writes the real name.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { emulatorHttp } from '../helpers/emulator-http.js';
import { runCli } from '../helpers/run-cli.js';

/** As short as the redactor takes, and a word a plan could well be named. */
const KEY = 'Gold';

let emulator: RunningEmulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-redaction-'));
});

afterEach(async () => {
  await emulator.close();
});

test('a plan named like the key: shown redacted, saved and applied with its name', async () => {
  const catalog = join(dir, 'catalog.yaml');
  await writeFile(
    catalog,
    `products:
  - identifier: acme
    name: Acme
    taxCode: saas
plans:
  - identifier: gold
    product: acme
    name: Gold
    prices:
      - priceType: FREE
`,
  );
  const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY };
  const planFile = join(dir, 'plan.json');

  const planned = await runCli(['plan', '--catalog', catalog, '--out', planFile], env, [KEY]);
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stdout).toContain('name: "***"');
  const saved = JSON.parse(await readFile(planFile, 'utf8'));
  const create = saved.plan.actions.find((action: { kind: string }) => action.kind === 'create-plan');
  expect(create.plan.name).toBe('Gold');

  const applied = await runCli(['apply', planFile, '--yes'], env, [KEY]);
  expect(applied.code, applied.stderr).toBe(0);
  const api = emulatorHttp(emulator.url, KEY);
  try {
    const live = await api.get<{ name: string }>('/catalog/plans/gold/');
    expect(live.body.name).toBe('Gold');
  } finally {
    await api.close();
  }
});

