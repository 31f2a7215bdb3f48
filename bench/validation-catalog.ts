/**
 * The validation benchmark's catalog as YAML text, written the way people write catalogs (flow mappings for
 * short values, a tiered usage charge on every fourth plan, entitlement shorthands): `plans` plans ×
 * ENTITLEMENTS entitlements with USD and EUR prices, split over files of 100 plans like a real repository.
 * Used by `bench/validate.ts` and `bench/cli.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ENTITLEMENTS = 15;
const PLANS_PER_FILE = 100;
const PRODUCTS = 4;

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

export async function writeValidationCatalog(root: string, plans: number): Promise<{ bytes: number; files: number }> {
  await mkdir(join(root, 'plans'), { recursive: true });
  const files: Array<[string, string]> = [
    ['products.yaml', productsFile()],
    ['features.yaml', featuresFile()],
  ];
  for (let start = 0; start < plans; start += PLANS_PER_FILE) {
    const items: string[] = [];
    for (let i = start; i < Math.min(plans, start + PLANS_PER_FILE); i++) items.push(plan(i));
    files.push([join('plans', `plans-${String(start / PLANS_PER_FILE).padStart(2, '0')}.yaml`), `plans:\n${items.join('\n')}\n`]);
  }
  let bytes = 0;
  for (const [name, text] of files) {
    bytes += Buffer.byteLength(text);
    await writeFile(join(root, name), text);
  }
  return { bytes, files: files.length };
}

