/**
 * The policy offline: the loader reads it (with where each rule is written), validate checks the rules that need
 * no live data with their severities and waivers, and fmt orders it without losing its comments.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../src/schema/index.js';
import { runCli } from '../helpers/run-cli.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-policy-offline-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const CATALOG = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
plans:
  - identifier: pro
    product: acme
    name: Pro
    prices:
      - priceType: PAID
        currency: USD
        freeTrial: true
        trialPeriod: 3
        chargeCatalogPrice:
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 49 }
  - identifier: team
    product: acme
    name: Team
    prices:
      - priceType: PAID
        currency: USD
        chargeCatalogPrice:
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 99 }
      - priceType: PAID
        currency: EUR
        chargeCatalogPrice:
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 89 }
`;

async function catalogWith(name: string, policy: string): Promise<string> {
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'catalog.yaml'), CATALOG);
  await writeFile(join(dir, 'policy.yaml'), policy);
  return dir;
}

const POLICY = `policy:
  rules:
    - rule: required-currencies
      currencies: [USD, EUR]
    - rule: trial-days
      min: 7
      severity: warning
    - rule: max-price-change
      increase: 10
`;

describe('the loader', () => {
  test('reads the policy, defaults severity to error and records where each rule is written', async () => {
    const dir = await catalogWith('load', POLICY);
    const result = await loadCatalog(dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.policy?.rules).toEqual([
      { rule: 'required-currencies', currencies: ['USD', 'EUR'], severity: 'error', where: `${join(dir, 'policy.yaml')}:3:7` },
      { rule: 'trial-days', min: 7, severity: 'warning', where: `${join(dir, 'policy.yaml')}:5:7` },
      { rule: 'max-price-change', increase: 10, severity: 'error', where: `${join(dir, 'policy.yaml')}:8:7` },
    ]);
    // The policy is not part of what Kelviq holds.
    expect(Object.keys(result.catalog ?? {})).toEqual(['products', 'features', 'plans']);
  });
});

describe('validate checks the offline rules', () => {
  test('an error violation exits 1, names the rule, the plan, the values and where the rule is written; a warning only reports', async () => {
    const dir = await catalogWith('violations', POLICY);
    const ran = await runCli(['validate', '--catalog', dir], {});
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(`error    required-currencies  pro: no PAID price in EUR (it has USD; the policy requires USD, EUR)  (rule at ${join(dir, 'policy.yaml')}:3:7)`);
    expect(ran.stdout).toContain(`warning  trial-days  pro USD: a 3-day free trial < 7 days minimum  (rule at ${join(dir, 'policy.yaml')}:5:7)`);
    expect(ran.stdout).toContain("1 rule(s) need Kelviq's live state: plan, apply and promote check them.");
    expect(ran.stdout).toContain('Catalog is valid but breaks its policy (1 policy violation(s))');
    expect(ran.stdout).not.toMatch(/team: no PAID price/);
  });

  test('only a warning: exit 0, still reported', async () => {
    const dir = await catalogWith('warning-only', POLICY.replace('currencies: [USD, EUR]', 'currencies: [USD]'));
    const ran = await runCli(['validate', '--catalog', dir], {});
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('warning  trial-days  pro USD: a 3-day free trial < 7 days minimum');
    expect(ran.stdout).toContain('Catalog is valid, 0 warning(s)');
  });

  test('--allow RULE:PLAN waives that plan only; --allow RULE waives the rule; JSON carries the report', async () => {
    const dir = await catalogWith('waived', POLICY.replace('currencies: [USD, EUR]', 'currencies: [USD, EUR, GBP]'));
    const one = await runCli(['validate', '--catalog', dir, '--allow', 'required-currencies:pro', '--json'], {});
    expect(one.code).toBe(1);
    const document = JSON.parse(one.stdout);
    expect(document.valid).toBe(false);
    expect(document.error.code).toBe('policy-violations');
    expect(document.policy.waived).toEqual([expect.objectContaining({ rule: 'required-currencies', plan: 'pro', waivedBy: '--allow required-currencies:pro' })]);
    expect(document.policy.violations.map((v: { plan: string; severity: string }) => `${v.plan} ${v.severity}`)).toEqual(['team error', 'pro warning']);
    expect(document.policy.violations[0].message).toBe('team: no PAID price in GBP (it has USD, EUR; the policy requires USD, EUR, GBP)');
    expect(document.policy.violations[0].at).toMatch(/catalog\.yaml:\d+:\d+$/);

    const all = await runCli(['validate', '--catalog', dir, '--allow', 'required-currencies'], {});
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('waived   required-currencies  team: no PAID price in GBP');
    expect(all.stdout).toContain('(waived by --allow required-currencies)');
  });

  test('an --allow of a rule the policy does not have waives nothing, and says so', async () => {
    const dir = await catalogWith('unused-allow', POLICY);
    const ran = await runCli(['validate', '--catalog', dir, '--allow', 'keep-grants-with-customers'], {});
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("--allow keep-grants-with-customers: the catalog's policy has no keep-grants-with-customers rule; this waives nothing.");
  });

  test('an --allow naming no rule is an error', async () => {
    const dir = await catalogWith('bad-allow', POLICY);
    const ran = await runCli(['validate', '--catalog', dir, '--allow', 'max-price-chnage'], {});
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('--allow max-price-chnage: "max-price-chnage" is not a policy rule; did you mean "max-price-change"?');
  });

  test('in GitHub Actions a violation is an annotation on the plan, naming the rule', async () => {
    const dir = await catalogWith('annotations', POLICY);
    const ran = await runCli(['validate', '--catalog', dir, '--format', 'github'], {});
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^::error file=.*catalog\.yaml,line=\d+,col=\d+,title=kelviq-catalog policy::policy required-currencies: pro: no PAID price in EUR/m);
  });
});

describe('fmt', () => {
  test('puts policy after plans and each rule in rule, parameters, severity order, keeping comments', async () => {
    const dir = join(root, 'fmt');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'catalog.yaml'), CATALOG.replace('products:', `policy:\n  rules:\n    # Price rises need sign-off.\n    - severity: warning\n      increase: 10\n      rule: max-price-change\nproducts:`));
    const ran = await runCli(['fmt', '--catalog', dir], {});
    expect(ran.code).toBe(0);
    const text = await readFile(join(dir, 'catalog.yaml'), 'utf8');
    expect(text.indexOf('policy:')).toBeGreaterThan(text.indexOf('plans:'));
    expect(text).toContain('policy:\n  rules:\n    # Price rises need sign-off.\n    - rule: max-price-change\n      increase: 10\n      severity: warning\n');
    const loaded = await loadCatalog(dir);
    expect(loaded.policy?.rules).toEqual([expect.objectContaining({ rule: 'max-price-change', increase: 10, severity: 'warning' })]);
    expect((await runCli(['fmt', '--catalog', dir, '--check'], {})).code).toBe(0);
  });
});
