/**
 * Validation benchmark: generates a catalog of 2,000 plans × 15 entitlements (each plan also with USD and EUR
 * prices, every fourth one with a tiered usage charge) in a temp folder, split over 20 plan files like a real
 * repository, and times `loadCatalog` on it. The budget is 2 s on a 2-core machine.
 *
 *   node --import tsx bench/validate.ts          (npm run bench:validate)
 *
 * Prints the first (cold) run, what a CLI invocation pays, and a second (warm) run. Exits 1 over budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCatalog } from '../src/schema/index.js';
import { snapshotEnvironment } from '../src/cli/main.js';
import { ENTITLEMENTS, writeValidationCatalog } from './validation-catalog.js';

const PLANS = 2_000;
const BUDGET_MS = 2_000;

async function timeLoad(root: string) {
  const started = performance.now();
  const result = await loadCatalog(root);
  return { ms: performance.now() - started, result };
}

const root = await mkdtemp(join(tmpdir(), 'kelviq-catalog-bench-'));
try {
  const { bytes, files } = await writeValidationCatalog(root, PLANS);
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
