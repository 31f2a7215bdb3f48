#!/usr/bin/env node
// The main job, end to end, against the embedded Kelviq emulator (no account, no network):
// start the emulator, validate examples/catalog, plan, apply --yes --publish, then plan again (no changes);
// then someone edits a published plan "in the dashboard", drift notices (exit 2), and pull brings the live
// catalog back into files that plan to no changes.
// Every step runs the real CLI as a separate process, exactly as a person or CI would.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startEmulator, EMULATOR_DEFAULT_KEY } = await import(new URL('../dist/emulator/index.js', import.meta.url).href);

const emulator = await startEmulator({ port: 0 });
const env = {
  ...process.env,
  KELVIQ_SANDBOX_BASE_URL: emulator.url,
  KELVIQ_SANDBOX_SERVER_API_KEY: EMULATOR_DEFAULT_KEY,
};
const catalog = 'examples/catalog';
const pulled = join(await mkdtemp(join(tmpdir(), 'kelviq-demo-')), 'catalog');

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
  await rm(join(pulled, '..'), { recursive: true, force: true });
}
if (!failed) {
  process.stdout.write(
    '\ndemo: done. apply converged (the second plan shows no changes), drift caught the dashboard edit (exit 2),\n' +
      'and the pulled catalog plans to no changes against the live one.\n',
  );
}
process.exitCode = failed ? 1 : 0;
