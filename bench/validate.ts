/**
 * Validation benchmark: generates a catalog of 2,000 plans × 15 entitlements (each plan also with USD and EUR
 * prices, every fourth one with a tiered usage charge) in a temp folder, split over 20 plan files like a real
 * repository, and times `loadCatalog` on it. The budget is 2 s on a 2-core machine.
 *
 *   node --import tsx bench/validate.ts          (npm run bench:validate)
 *
 * Prints the first (cold) run, what a CLI invocation pays, and a second (warm) run. Exits 1 over budget.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCatalog } from '../src/schema/index.js';
import { snapshotEnvironment } from '../src/cli/main.js';

const PLANS = 2_000;
const ENTITLEMENTS = 15;
const PLANS_PER_FILE = 100;
const PRODUCTS = 4;
const BUDGET_MS = 2_000;

const featureType = (j: number) => (j < 5 ? 'BOOLEAN' : j < 10 ? 'CUSTOMIZABLE' : 'METER');

function featuresFile(): string {
  const lines = ['features:'];
  for (let j = 0; j < ENTITLEMENTS; j++) {
    lines.push(`  - identifier: feature-${j}`, `    name: Feature ${j}`, `    featureType: ${featureType(j)}`);
    if (featureType(j) === 'METER') {
      lines.push('    featureDetails:', '      featureSubType: PRE_AGGREGATED_USAGE', '      units: { singular: unit, plural: units }');
    }
  }
  return `${lines.join('\n')}\n`;
}

function productsFile(): string {
  const lines = ['products:'];
  for (let p = 0; p < PRODUCTS; p++) {
    lines.push(`  - identifier: product-${p}`, `    name: Product ${p}`, '    taxCode: saas', '    settings: { currency: USD, vpn: true }');
  }
  return `${lines.join('\n')}\n`;
}

function entitlement(j: number, i: number): string {
  switch (featureType(j)) {
    case 'BOOLEAN':
      return (i + j) % 2 === 0 ? 'true' : 'false';
    case 'CUSTOMIZABLE':
      return j % 5 === 4 ? 'unlimited' : String(1 + ((i * 7 + j) % 50));
    default:
      return j % 2 === 0
        ? `{ value: ${1000 * (1 + (i % 10))}, reset: EVERY_MONTH }`
        : `\n        value: ${500 * (1 + (i % 7))}\n        reset: EVERY_MONTH\n        hardLimit: true`;
  }
}

function plan(i: number): string {
  const lines = [
    `  - identifier: plan-${String(i).padStart(4, '0')}`,
    `    product: product-${i % PRODUCTS}`,
    `    name: Plan ${i}`,
    `    description: Generated plan number ${i}`,
    `    isVisible: ${i % 3 !== 0}`,
    '    entitlements:',
  ];
  for (let j = 0; j < ENTITLEMENTS; j++) lines.push(`      feature-${j}: ${entitlement(j, i)}`);
  lines.push('    prices:');
  for (const [currency, amount] of [['USD', 10 + (i % 90)], ['EUR', 9 + (i % 90)]] as const) {
    lines.push(
      '      - priceType: PAID',
      `        currency: ${currency}`,
      '        chargeCatalogPrice:',
      '          - priceModel: FLAT',
      '            charges:',
      `              - { chargePeriod: MONTHLY, priceData: { amount: ${amount} } }`,
    );
    if (i % 4 === 0) {
      lines.push(
        '          - feature: feature-10',
        '            priceModel: TIERED',
        '            paymentType: PAY_AS_YOU_GO',
        '            charges:',
        '              - chargePeriod: MONTHLY',
        '                tiers:',
        '                  - { upTo: 1000, unitAmount: 0 }',
        '                  - { upTo: inf, unitAmount: 0.01 }',
      );
    }
  }
  return lines.join('\n');
}

async function generate(root: string): Promise<{ bytes: number; files: number }> {
  await mkdir(join(root, 'plans'), { recursive: true });
  const files: Array<[string, string]> = [
    ['products.yaml', productsFile()],
    ['features.yaml', featuresFile()],
  ];
  for (let start = 0; start < PLANS; start += PLANS_PER_FILE) {
    const plans: string[] = [];
    for (let i = start; i < Math.min(PLANS, start + PLANS_PER_FILE); i++) plans.push(plan(i));
    files.push([join('plans', `plans-${String(start / PLANS_PER_FILE).padStart(2, '0')}.yaml`), `plans:\n${plans.join('\n')}\n`]);
  }
  let bytes = 0;
  for (const [name, text] of files) {
    bytes += Buffer.byteLength(text);
    await writeFile(join(root, name), text);
  }
  return { bytes, files: files.length };
}

async function timeLoad(root: string) {
  const started = performance.now();
  const result = await loadCatalog(root);
  return { ms: performance.now() - started, result };
}

const root = await mkdtemp(join(tmpdir(), 'kelviq-catalog-bench-'));
try {
  const { bytes, files } = await generate(root);
  // Measured as the CLI runs the loader (see snapshotEnvironment in src/cli/main.ts).
  snapshotEnvironment();
  const cold = await timeLoad(root);
  const warm = await timeLoad(root);
  const errors = cold.result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = cold.result.diagnostics.length - errors;
  const plans = cold.result.catalog?.plans.length ?? 0;
  process.stdout.write(
    `validate: ${plans} plans × ${ENTITLEMENTS} entitlements, ${(bytes / 1024 / 1024).toFixed(2)} MiB in ${files} files: ` +
      `${cold.ms.toFixed(0)} ms cold, ${warm.ms.toFixed(0)} ms warm (budget ${BUDGET_MS} ms); ${errors} errors, ${warnings} warnings\n`,
  );
  // What a person pays end to end: `kelviq-catalog validate` as a new process (Node start-up included).
  const cli = new URL('../bin/kelviq-catalog.js', import.meta.url).pathname;
  const processStarted = performance.now();
  const run = spawnSync(process.execPath, [cli, 'validate', '--catalog', root], { encoding: 'utf8' });
  const processMs = performance.now() - processStarted;
  process.stdout.write(`kelviq-catalog validate as a process: ${processMs.toFixed(0)} ms, exit ${run.status}${run.status === null ? ' (is dist/ built?)' : ''}\n`);
  if (errors || warnings || plans !== PLANS) {
    process.stdout.write(`unexpected diagnostics:\n${JSON.stringify(cold.result.diagnostics.slice(0, 5), null, 2)}\n`);
    process.exitCode = 1;
  } else if (cold.ms > BUDGET_MS) {
    process.exitCode = 1;
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
