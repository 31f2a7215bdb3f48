#!/usr/bin/env node
// The main job, end to end, against the embedded Kelviq emulator (no account, no network):
// start the emulator, validate examples/catalog, plan, apply --yes --publish, then plan again (no changes);
// customers subscribe and a pull request raises a price: the catalog's policy (max-price-change, 10%) stops the
// plan (exit 1), and with the reviewer's waiver (--allow max-price-change:<plan>) plan --markdown shows the review
// comment (the Policy section with what was waived, pricing matrix, customers reached); then someone edits a published plan "in the dashboard", drift notices (exit 2),
// and pull brings the live catalog back into files that plan to no changes.
// Every step runs the real CLI as a separate process, exactly as a person or CI would.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The demo runs the compiled CLI, as users do; `npm ci` builds it through the `prepare` script.
if (!existsSync(join(root, 'dist', 'emulator', 'index.js'))) {
  process.stderr.write('demo: kelviq-catalog is not built yet: run `npm ci` (or `npm run build`) first.\n');
  process.exit(1);
}
const { startEmulator, EMULATOR_DEFAULT_KEY } = await import(new URL('../dist/emulator/index.js', import.meta.url).href);

const emulator = await startEmulator({ port: 0 });
const env = {
  ...process.env,
  KELVIQ_SANDBOX_BASE_URL: emulator.url,
  KELVIQ_SANDBOX_SERVER_API_KEY: EMULATOR_DEFAULT_KEY,
};
const catalog = 'examples/catalog';
const workspace = await mkdtemp(join(tmpdir(), 'kelviq-demo-'));
const pulled = join(workspace, 'catalog');
const reviewed = join(workspace, 'price-change');

/** Customers sign up (the emulator is seeded: Kelviq's API has no endpoint that creates subscriptions). */
async function customersSubscribe() {
  const subscriptions = [];
  const add = (plan, status, count) => {
    for (let index = 0; index < count; index += 1) subscriptions.push({ customerId: `${plan}-${status}-${index}`, plan, status });
  };
  add('analytics-pro-monthly', 'active', 120);
  add('analytics-pro-monthly', 'trialing', 18);
  add('analytics-pro-monthly', 'canceled', 9);
  add('analytics-free', 'active', 640);
  emulator.loadSeed({ ...emulator.exportSeed(), subscriptions });
  process.stdout.write('\n# customers subscribe: 138 on analytics-pro-monthly (120 active, 18 trialing), 640 on analytics-free\n');
}

/** The pull request a billing team reviews: Pro monthly goes from 49 to 59 USD and from 10 to 15 seats. */
async function proposePriceChange() {
  await cp(catalog, reviewed, { recursive: true });
  const file = join(reviewed, 'plans', 'acme-analytics.yaml');
  const text = await readFile(file, 'utf8');
  const changed = text.replace('priceData: { amount: 49 }', 'priceData: { amount: 59 }').replace('      seats: 10\n', '      seats: 15\n');
  if (changed === text) throw new Error('demo: the example catalog no longer has the values this step changes');
  await writeFile(file, changed);
  process.stdout.write(
    '\n# a pull request raises Pro monthly to 59 USD with 15 seats: +20.4%, above the 10% the policy (examples/catalog/policy.yaml) allows\n',
  );
}

function approvePriceChange() {
  process.stdout.write(
    '\n# a reviewer approves the rise (in CI: the pricing-approved label becomes --allow); its review comment (plan --markdown):\n',
  );
}

/** A change made behind the catalog's back, as someone would in the Kelviq dashboard: rename and publish. */
async function editInDashboard() {
  const call = async (method, path, body) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${EMULATOR_DEFAULT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  };
  await call('PATCH', '/catalog/plans/analytics-pro-monthly/', { name: 'Pro (renamed in the dashboard)' });
  await call('POST', '/catalog/plans/analytics-pro-monthly/publish/', {});
  process.stdout.write('\n# meanwhile, in the dashboard: plan analytics-pro-monthly renamed and published\n');
}

/** CLI steps with the exit code each must end with, and plain actions in between. */
const steps = [
  { args: ['validate', '--catalog', catalog] },
  { args: ['plan', '--catalog', catalog] },
  { args: ['apply', '--catalog', catalog, '--yes', '--publish'] },
  { args: ['plan', '--catalog', catalog, '--detailed-exitcode'] },
  { action: customersSubscribe },
  { action: proposePriceChange },
  { args: ['plan', '--catalog', reviewed], expect: 1 },
  { action: approvePriceChange },
  { args: ['plan', '--catalog', reviewed, '--markdown', '--detailed-exitcode', '--allow', 'max-price-change:analytics-pro-monthly'], expect: 2 },
  { action: editInDashboard },
  { args: ['drift', '--catalog', catalog], expect: 2 },
  { args: ['pull', '--out', pulled] },
  { args: ['plan', '--catalog', pulled, '--detailed-exitcode'] },
];

let failed = false;
try {
  for (const step of steps) {
    if (step.action) {
      await step.action();
      continue;
    }
    const { args, expect = 0 } = step;
    process.stdout.write(`\n$ kelviq-catalog ${args.join(' ')}\n`);
    // Asynchronous on purpose: the emulator serves from this very process, so its event loop must keep running.
    const child = spawn(process.execPath, ['bin/kelviq-catalog.js', ...args], { cwd: root, env, stdio: 'inherit' });
    const status = await new Promise((resolve) => child.on('close', resolve));
    if (status !== expect) {
      process.stderr.write(`\ndemo: "kelviq-catalog ${args[0]}" exited ${status}, expected ${expect}; stopping.\n`);
      failed = true;
      break;
    }
  }
} finally {
  await emulator.close();
  await rm(workspace, { recursive: true, force: true });
}
if (!failed) {
  process.stdout.write(
    '\ndemo: done. apply converged (the second plan shows no changes), the policy stopped the +20.4% price rise\n' +
      '(exit 1) until it was waived with --allow, the price change was shown for review with the waiver, its\n' +
      'pricing matrix and the 138 customers it reaches (exit 2: changes), drift caught the dashboard edit\n' +
      '(exit 2), and the pulled catalog plans to no changes against the live one.\n',
  );
}
process.exitCode = failed ? 1 : 0;
