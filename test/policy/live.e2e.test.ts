/**
 * Issue 15: the policy enforced by plan, apply and promote against the emulator over loopback HTTP, with
 * subscriptions seeded: each live rule, each severity, waivers (global and per plan), saved plans with waivers,
 * rules not evaluated without subscription access (and --strict-policy), and apply writing nothing when the
 * policy stops it (counted at the emulator).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { forbidSubscriptions } from '../helpers/forbid-subscriptions.js';
import { runCli, type Ran } from '../helpers/run-cli.js';
import { subscriptionRows } from '../helpers/subscriptions.js';

const KEY = 'kvq_canary_5b1c9e7d3a2f4860';

let emulator: RunningEmulator;
let dir: string;
let catalog: string;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY, ...env }, [KEY]);
}

const writes = () => emulator.requestLog.entries.filter((entry) => entry.method !== 'GET');
const plansFile = () => join(catalog, 'plans/acme-analytics.yaml');

async function edit(change: (text: string) => string): Promise<void> {
  const text = await readFile(plansFile(), 'utf8');
  const changed = change(text);
  expect(changed).not.toBe(text);
  await writeFile(plansFile(), changed);
}

async function policy(rules: string): Promise<string> {
  const file = join(catalog, 'policy.yaml');
  await writeFile(file, `policy:\n  rules:\n${rules}`);
  return file;
}

/** Pro monthly USD 49 → 59: +20.4%. */
const raiseProMonthly = (text: string) => text.replace('priceData: { amount: 49 }', 'priceData: { amount: 59 }');

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-policy-'));
  catalog = join(dir, 'catalog');
  await cp('examples/catalog', catalog, { recursive: true });
  await rm(join(catalog, 'policy.yaml'), { force: true });
  expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'])).code).toBe(0);
  // 180 customers on Pro monthly, 5 on Free, none on Pro yearly.
  emulator.loadSeed({
    ...emulator.exportSeed(),
    subscriptions: subscriptionRows([
      ['analytics-pro-monthly', 'active', 150],
      ['analytics-pro-monthly', 'trialing', 30],
      ['analytics-pro-monthly', 'canceled', 20],
      ['analytics-free', 'active', 5],
    ]),
  });
  emulator.requestLog.clear();
});
afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('max-price-change', () => {
  test('error: plan exits 1 naming the rule, plan, values and where the rule is written; apply exits 1 and writes nothing', async () => {
    const file = await policy('    - rule: max-price-change\n      increase: 10\n      decrease: 0\n');
    await edit(raiseProMonthly);

    const text = await cli(['plan', '--catalog', catalog, '--no-color']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`  error    max-price-change  analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%  (rule at ${file}:3:7)`);
    expect(text.stdout).toContain('Policy: 1 violation(s), 0 waived, 0 not evaluated; 1 rule(s)');
    expect(text.stdout).toContain("This plan breaks the catalog's policy: plan and apply exit 1");

    const json = await cli(['plan', '--catalog', catalog, '--json']);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.error.code).toBe('policy-violations');
    expect(document.policy.violations).toEqual([
      {
        rule: 'max-price-change',
        severity: 'error',
        plan: 'analytics-pro-monthly',
        message: 'analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%',
        where: `${file}:3:7`,
        at: expect.stringMatching(/acme-analytics\.yaml:\d+:\d+$/),
      },
    ]);
    expect(document.policy.waived).toEqual([]);
    expect(document.policy.notEvaluated).toEqual([]);

    // In GitHub Actions the violation is also an annotation on the plan's prices in the catalog.
    const annotated = await cli(['plan', '--catalog', catalog, '--markdown'], { GITHUB_ACTIONS: 'true' });
    expect(annotated.stderr).toMatch(/^::error file=[^\n]*acme-analytics\.yaml,line=\d+,col=\d+,title=kelviq-catalog policy::policy max-price-change: analytics-pro-monthly USD monthly: 49 → 59, \+20\.4%25 > 10%25 \(rule at [^\n]*policy\.yaml:3:7\)$/m);

    const apply = await cli(['apply', '--catalog', catalog, '--yes', '--publish', '--no-color']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('the plan breaks its policy (1 policy violation(s)); nothing was applied');
    const applyJson = await cli(['apply', '--catalog', catalog, '--yes', '--json']);
    expect(applyJson.code).toBe(1);
    expect(JSON.parse(applyJson.stdout)).toMatchObject({ ok: false, error: { code: 'policy-violations' }, policy: { violations: [{ rule: 'max-price-change' }] } });
    expect(writes()).toEqual([]);
  });

  test('a decrease beyond its limit violates; a change within both limits does not', async () => {
    await policy('    - rule: max-price-change\n      increase: 25\n      decrease: 5\n');
    await edit((text) => raiseProMonthly(text).replace('priceData: { amount: 45 }', 'priceData: { amount: 40 }'));
    const ran = await cli(['plan', '--catalog', catalog, '--json']);
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout).policy.violations.map((v: { message: string }) => v.message)).toEqual(['analytics-pro-monthly EUR monthly: 45 → 40, -11.1% < -5%']);

    // A limit of 0 allows no decrease at all, and says so in words.
    await policy('    - rule: max-price-change\n      increase: 25\n      decrease: 0\n');
    const none = await cli(['plan', '--catalog', catalog, '--json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).policy.violations.map((v: { message: string }) => v.message)).toEqual(['analytics-pro-monthly EUR monthly: 45 → 40, -11.1% (no decrease allowed)']);
  });

  test('an increase of exactly the limit is within it (decided on the decimals: 49 → 63.7 is +30%, not 30.000000000000004%)', async () => {
    await policy('    - rule: max-price-change\n      increase: 30\n');
    await edit((text) => text.replace('priceData: { amount: 49 }', 'priceData: { amount: 63.7 }'));
    const within = await cli(['plan', '--catalog', catalog, '--json']);
    expect(within.code).toBe(0);
    expect(JSON.parse(within.stdout).policy.violations).toEqual([]);

    // Just beyond it: the percent keeps the decimals that show it is beyond (not "+30% > 30%").
    await edit((text) => text.replace('priceData: { amount: 63.7 }', 'priceData: { amount: 63.71 }'));
    const beyond = await cli(['plan', '--catalog', catalog, '--json']);
    expect(beyond.code).toBe(1);
    expect(JSON.parse(beyond.stdout).policy.violations.map((v: { message: string }) => v.message)).toEqual(['analytics-pro-monthly USD monthly: 49 → 63.71, +30.02% > 30%']);
  });

  test('warning: reported in text, Markdown and JSON, exit 0, and apply writes', async () => {
    await policy('    - rule: max-price-change\n      increase: 10\n      severity: warning\n');
    await edit(raiseProMonthly);
    const text = await cli(['plan', '--catalog', catalog, '--no-color']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('  warning  max-price-change  analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%');
    const markdown = await cli(['plan', '--catalog', catalog, '--markdown']);
    expect(markdown.stdout).toContain('- :warning: warning `max-price-change`: `analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%`');
    const apply = await cli(['apply', '--catalog', catalog, '--yes']);
    expect(apply.code).toBe(0);
    expect(writes().length).toBeGreaterThan(0);
  });
});

describe('waivers', () => {
  const RULES = '    - rule: max-price-change\n      increase: 10\n    - rule: keep-grants-with-customers\n';
  /** Pro monthly +20.4% and Free loses its projects grant (5 customers). */
  const bothViolations = (text: string) => raiseProMonthly(text).replace('      projects: 1\n', '');

  test('--allow RULE:PLAN waives that plan only; the Markdown opens with the Policy section naming the flag', async () => {
    await policy(RULES);
    await edit(bothViolations);
    const one = await cli(['plan', '--catalog', catalog, '--markdown', '--allow', 'max-price-change:analytics-pro-monthly']);
    expect(one.code).toBe(1);
    const policyAt = one.stdout.indexOf('#### Policy');
    expect(policyAt).toBeGreaterThan(0);
    expect(policyAt).toBeLessThan(one.stdout.indexOf('Customers on the published plans'));
    expect(policyAt).toBeLessThan(one.stdout.indexOf('#### Pricing matrix'));
    expect(one.stdout).toContain(
      '- :white_check_mark: waived `max-price-change`: `analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%`, by `--allow max-price-change:analytics-pro-monthly`',
    );
    expect(one.stdout).toContain('- :x: error `keep-grants-with-customers`: `analytics-free projects: 1 → removed on a plan with 5 subscription(s)`');

    // A waiver of a rule the policy does not have is said to waive nothing.
    const unused = await cli(['plan', '--catalog', catalog, '--allow', 'trial-days', '--allow', 'max-price-change', '--allow', 'keep-grants-with-customers']);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toContain("--allow trial-days: the catalog's policy has no trial-days rule; this waives nothing.");
    expect(unused.stderr).not.toContain('--allow max-price-change:');

    // A waiver for another plan waives nothing here.
    const other = await cli(['plan', '--catalog', catalog, '--json', '--allow', 'max-price-change:analytics-free', '--allow', 'keep-grants-with-customers']);
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout).policy.violations.map((v: { rule: string }) => v.rule)).toEqual(['max-price-change']);
    expect(other.stderr).not.toContain('declares no plan');

    // A plan the catalog does not declare (a typo, or a short name) is said, not silently matched against nothing.
    const typo = await cli(['plan', '--catalog', catalog, '--allow', 'max-price-change:pro', '--allow', 'keep-grants-with-customers']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('warning  --allow max-price-change:pro: the catalog declares no plan pro; check the plan identifier after the colon.\n');
    const validated = await cli(['validate', '--catalog', catalog, '--allow', 'max-price-change:pro']);
    expect(validated.stderr).toContain('warning  --allow max-price-change:pro: the catalog declares no plan pro; check the plan identifier after the colon.\n');
  });

  test('--allow RULE waives every plan; with every violation waived apply runs and lists what was waived', async () => {
    await policy(RULES);
    await edit(bothViolations);
    const apply = await cli(['apply', '--catalog', catalog, '--yes', '--no-color', '--allow', 'max-price-change', '--allow', 'keep-grants-with-customers']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('  waived   max-price-change  analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%  (waived by --allow max-price-change)');
    expect(apply.stdout).toContain('  waived   keep-grants-with-customers  analytics-free projects: 1 → removed on a plan with 5 subscription(s)  (waived by --allow keep-grants-with-customers)');
    expect(writes().length).toBeGreaterThan(0);
  });

  test('an --allow naming no rule is an error before anything is read', async () => {
    await policy(RULES);
    const ran = await cli(['plan', '--catalog', catalog, '--allow', 'max-price', '--json']);
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout).error).toMatchObject({ code: 'unknown-policy-rule', message: expect.stringContaining('"max-price" is not a policy rule') });
    expect(emulator.requestLog.entries).toEqual([]);
  });

  test('a saved plan records its waivers: apply PLANFILE needs no flag and lists them; without them the saved plan is refused', async () => {
    await policy(RULES);
    await edit(raiseProMonthly);
    const planFile = join(dir, 'plan.json');
    const saved = await cli(['plan', '--catalog', catalog, '--out', planFile, '--allow', 'max-price-change:analytics-pro-monthly']);
    expect(saved.code).toBe(0);
    expect(JSON.parse(await readFile(planFile, 'utf8'))).toMatchObject({ waivers: ['max-price-change:analytics-pro-monthly'], policy: { rules: [{ rule: 'max-price-change' }, { rule: 'keep-grants-with-customers' }] } });

    const refusedFlag = await cli(['apply', planFile, '--yes', '--allow', 'max-price-change']);
    expect(refusedFlag.code).toBe(1);
    expect(refusedFlag.stderr).toContain('--allow max-price-change cannot change a saved plan');

    const applied = await cli(['apply', planFile, '--yes', '--no-color']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('  waived   max-price-change  analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%  (waived by --allow max-price-change:analytics-pro-monthly)');
    expect(writes().length).toBeGreaterThan(0);
  });

  test('a saved plan made without the waiver is not applied, and nothing is written', async () => {
    await policy(RULES);
    await edit(raiseProMonthly);
    const planFile = join(dir, 'plan.json');
    const planned = await cli(['plan', '--catalog', catalog, '--out', planFile]);
    expect(planned.code).toBe(1);
    // It does not tell the user to apply what apply refuses.
    expect(planned.stderr).toContain(`Saved the plan to ${planFile}, but apply refuses it: it has the errors above`);
    expect(planned.stderr).not.toContain('apply it with');
    const applied = await cli(['apply', planFile, '--yes']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('breaks its policy (1 policy violation(s)) with the waivers it was made with');
    expect(writes()).toEqual([]);
  });
});

describe('keep-grants-with-customers', () => {
  test('a grant lowered or removed on a plan with customers violates; the same on a plan without customers does not', async () => {
    await policy('    - rule: keep-grants-with-customers\n');
    // Free (5 customers): api-calls 10,000 → 5,000. Pro yearly (no customers): its own, smaller grants.
    await edit((text) =>
      text
        .replace('api-calls: { value: 10000, reset: EVERY_MONTH, hardLimit: true }', 'api-calls: { value: 5000, reset: EVERY_MONTH, hardLimit: true }')
        .replace("    entitlements: *pro-entitlements\n", '    entitlements:\n      seats: 2\n      projects: 3\n      sso: false\n      priority-support: false\n      api-calls: { value: 10, reset: EVERY_MONTH }\n'),
    );
    const ran = await cli(['plan', '--catalog', catalog, '--json']);
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout).policy.violations.map((v: { message: string }) => v.message)).toEqual(['analytics-free api-calls: 10,000 → 5,000 on a plan with 5 subscription(s)']);
  });

  test('unlimited → limited and true → false on Pro monthly count as lowered', async () => {
    await policy('    - rule: keep-grants-with-customers\n');
    await edit((text) => text.replace('    entitlements: &pro-entitlements\n      seats: 10\n      projects: unlimited\n      sso: true\n', '    entitlements: &pro-entitlements\n      seats: 10\n      projects: 50\n      sso: false\n'));
    const ran = await cli(['plan', '--catalog', catalog, '--json']);
    const messages = JSON.parse(ran.stdout).policy.violations.map((v: { message: string }) => v.message);
    expect(messages).toContain('analytics-pro-monthly projects: unlimited → 50 on a plan with 180 subscription(s)');
    expect(messages).toContain('analytics-pro-monthly sso: yes → no on a plan with 180 subscription(s)');
    // Pro yearly shares the block but has no customers.
    expect(messages.some((m: string) => m.startsWith('analytics-pro-yearly'))).toBe(false);
  });
});

describe('migrate-needs-approval', () => {
  test('--migrate-pricing on a plan with more subscriptions than allowed violates; a small plan does not', async () => {
    await policy('    - rule: migrate-needs-approval\n      maxSubscriptions: 100\n');
    await edit((text) => raiseProMonthly(text).replace('    name: Free\n', '    name: Free forever\n'));
    const plain = await cli(['plan', '--catalog', catalog, '--json', '--publish']);
    expect(plain.code).toBe(0);
    const migrating = await cli(['plan', '--catalog', catalog, '--json', '--publish', '--migrate-pricing']);
    expect(migrating.code).toBe(1);
    expect(JSON.parse(migrating.stdout).policy.violations.map((v: { message: string }) => v.message)).toEqual([
      'analytics-pro-monthly: --migrate-pricing would move 180 existing subscription(s) > 100',
    ]);
    const apply = await cli(['apply', '--catalog', catalog, '--yes', '--publish', '--migrate-pricing']);
    expect(apply.code).toBe(1);
    expect(writes()).toEqual([]);
    const waived = await cli(['apply', '--catalog', catalog, '--yes', '--publish', '--migrate-pricing', '--allow', 'migrate-needs-approval:analytics-pro-monthly']);
    expect(waived.code).toBe(0);
  });
});

describe('offline rules at plan time', () => {
  test('required-currencies and trial-days are checked by plan too', async () => {
    await policy('    - rule: required-currencies\n      currencies: [USD]\n    - rule: trial-days\n      max: 7\n      severity: warning\n');
    const ran = await cli(['plan', '--catalog', catalog, '--json']);
    expect(ran.code).toBe(1);
    const report = JSON.parse(ran.stdout).policy;
    expect(report.violations.filter((v: { severity: string }) => v.severity === 'error').map((v: { message: string }) => v.message)).toEqual([
      'desktop-personal: no PAID price in USD (it has EUR, INR; the policy requires USD)',
    ]);
    expect(report.violations.filter((v: { severity: string }) => v.severity === 'warning').length).toBe(3);
  });
});

describe('subscriptions that cannot be read', () => {
  test('403: rules that need them are not evaluated (never passed), with the reason; --strict-policy makes that an error', async () => {
    await policy('    - rule: keep-grants-with-customers\n    - rule: max-price-change\n      increase: 50\n');
    await edit((text) => raiseProMonthly(text).replace('      projects: 1\n', ''));
    const proxy = await forbidSubscriptions(emulator.origin);
    try {
      const env = { KELVIQ_SANDBOX_BASE_URL: proxy.url };
      const text = await cli(['plan', '--catalog', catalog, '--no-color'], env);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('Policy: 0 violation(s), 0 waived, 1 not evaluated; 2 rule(s)');
      expect(text.stdout).toMatch(/ {2}not evaluated {2}keep-grants-with-customers {2}analytics-free projects: 1 → removed; subscriptions could not be read: .*403/);

      const json = JSON.parse((await cli(['plan', '--catalog', catalog, '--json'], env)).stdout);
      expect(json.policy.violations).toEqual([]);
      expect(json.policy.notEvaluated).toEqual([expect.objectContaining({ rule: 'keep-grants-with-customers', plan: 'analytics-free', reason: expect.stringContaining('403') })]);

      const strict = await cli(['plan', '--catalog', catalog, '--json', '--strict-policy'], env);
      expect(strict.code).toBe(1);
      expect(JSON.parse(strict.stdout).error.message).toContain('1 policy rule check(s) not evaluated (--strict-policy)');
      const strictApply = await cli(['apply', '--catalog', catalog, '--yes', '--strict-policy'], env);
      expect(strictApply.code).toBe(1);
      expect(writes()).toEqual([]);

      // A reviewer may waive what could not be checked: it is listed as waived, marked as not evaluated.
      const waived = await cli(['plan', '--catalog', catalog, '--json', '--strict-policy', '--allow', 'keep-grants-with-customers:analytics-free'], env);
      expect(waived.code).toBe(0);
      expect(JSON.parse(waived.stdout).policy).toMatchObject({
        notEvaluated: [],
        waived: [{ rule: 'keep-grants-with-customers', plan: 'analytics-free', notEvaluated: true, waivedBy: '--allow keep-grants-with-customers:analytics-free' }],
      });
    } finally {
      await proxy.close();
    }
  });
});

describe('promote', () => {
  test('promote --dry-run checks the policy of --catalog against production and its customers', async () => {
    const production = await startEmulator({ port: 0, apiKey: 'kvq_prod_canary_7f3e1a' });
    try {
      const env = { KELVIQ_BASE_URL: production.url, KELVIQ_SERVER_API_KEY: 'kvq_prod_canary_7f3e1a' };
      // Production gets today's catalog; the sandbox then gets Pro monthly at 59.
      expect((await runCli(['apply', '--catalog', catalog, '--yes', '--publish', '--prod'], { ...env, KELVIQ_SANDBOX_SERVER_API_KEY: KEY })).code).toBe(0);
      await edit(raiseProMonthly);
      expect((await cli(['apply', '--catalog', catalog, '--yes', '--publish'])).code).toBe(0);
      const file = await policy('    - rule: max-price-change\n      increase: 10\n');
      const ran = await cli(['promote', '--dry-run', '--catalog', catalog, '--no-color'], env);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toContain(`  error    max-price-change  analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%  (rule at ${file}:3:7)`);
      const waived = await cli(['promote', '--dry-run', '--catalog', catalog, '--allow', 'max-price-change:analytics-pro-monthly'], env);
      expect(waived.code).toBe(0);
    } finally {
      await production.close();
    }
  });
});
