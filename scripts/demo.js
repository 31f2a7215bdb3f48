#!/usr/bin/env node
// The main job, end to end, against the embedded Kelviq emulator (no account, no network):
// start the emulator, validate examples/catalog, plan, apply --yes --publish, then plan again (no changes).
// Every step runs the real CLI as a separate process, exactly as a person or CI would.
import { spawn } from 'node:child_process';
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
const steps = [
  ['validate', '--catalog', catalog],
  ['plan', '--catalog', catalog],
  ['apply', '--catalog', catalog, '--yes', '--publish'],
  ['plan', '--catalog', catalog, '--detailed-exitcode'],
];

let failed = false;
try {
  for (const args of steps) {
    process.stdout.write(`\n$ kelviq-catalog ${args.join(' ')}\n`);
    // Asynchronous on purpose: the emulator serves from this very process, so its event loop must keep running.
    const child = spawn(process.execPath, ['bin/kelviq-catalog.js', ...args], { cwd: root, env, stdio: 'inherit' });
    const status = await new Promise((resolve) => child.on('close', resolve));
    if (status !== 0) {
      process.stderr.write(`\ndemo: "kelviq-catalog ${args[0]}" exited ${status}; stopping.\n`);
      failed = true;
      break;
    }
  }
} finally {
  await emulator.close();
}
if (!failed) process.stdout.write('\ndemo: done. The second plan shows no changes: apply converged.\n');
process.exitCode = failed ? 1 : 0;
