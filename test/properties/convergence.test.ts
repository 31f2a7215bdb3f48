import fc from 'fast-check';
import { test } from 'vitest';
import { catalogArb, checkConvergence, decisionsArb, faultsArb, startingStateArb, type ScenarioStats } from './convergence.js';

// The fast run in `npm test`; `npm run test:long` runs the same property with many more scenarios.
const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 12);

test(`apply converges: ${RUNS} random catalogs x starting states x fault schedules`, async () => {
  const stats: ScenarioStats = { runs: 0, faultsInjected: 0, rerunsNeeded: 0 };
  await fc.assert(
    fc.asyncProperty(catalogArb, catalogArb, startingStateArb, faultsArb, decisionsArb, (catalog, previous, start, faults, decisions) =>
      checkConvergence(catalog, previous, start, faults, decisions, stats),
    ),
    { numRuns: RUNS, seed: process.env.CONVERGENCE_SEED ? Number(process.env.CONVERGENCE_SEED) : undefined },
  );
  if (process.env.CONVERGENCE_REPORT) {
    process.stdout.write(`convergence: ${stats.runs} scenarios, ${stats.faultsInjected} faults injected, ${stats.rerunsNeeded} reruns needed\n`);
  }
}, 300_000);
