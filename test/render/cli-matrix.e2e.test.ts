/**
 * The pricing matrix through the CLI: `plan --markdown` (the PR comment) and `plan --json` always carry it, the
 * text output only with `--matrix` (a terminal plan stays as short as it was unless asked).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

const KEY = 'kvq_canary_matrix_5e2a9c7d1b';
let emulator: RunningEmulator;

function cli(args: string[]): Promise<Ran> {
  return runCli(['plan', '--catalog', 'examples/catalog', '--no-color', ...args], { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
});
afterAll(async () => {
  await emulator.close();
});

test('plan --matrix adds the matrix to the text; --markdown and --json always have it', async () => {
  const plain = await cli([]);
  expect(plain.code).toBe(0);
  expect(plain.stdout).not.toContain('Pricing matrix');

  const withMatrix = await cli(['--matrix']);
  expect(withMatrix.code).toBe(0);
  expect(withMatrix.stdout).toMatch(/Pricing matrix: product acme-analytics {2}\(before → after where this plan changes a value\)\n/);
  expect(withMatrix.stdout).toContain('Pricing matrix: product acme-desktop');
  // Everything is new against an empty account: the columns say so.
  expect(withMatrix.stdout).toMatch(/\(new\)/);

  const markdown = await cli(['--markdown']);
  expect(markdown.stdout).toMatch(/#### Pricing matrix: product `acme-analytics`\n\n\| \| `[a-z0-9-]+` \(new\) \|/);
  // The matrix comes before the changes.
  expect(markdown.stdout.indexOf('#### Pricing matrix')).toBeLessThan(markdown.stdout.indexOf('#### Plan '));

  const json = JSON.parse((await cli(['--json'])).stdout) as { matrix: { products: Array<{ product: string; plans: Array<{ status: string }>; rows: unknown[] }> } };
  expect(json.matrix.products.map((p) => p.product).sort()).toEqual(['acme-analytics', 'acme-desktop']);
  for (const product of json.matrix.products) {
    expect(product.plans.every((p) => p.status === 'new')).toBe(true);
    expect(product.rows.length).toBeGreaterThan(0);
  }
});
