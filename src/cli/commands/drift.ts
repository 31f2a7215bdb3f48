import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import { DEFAULT_CATALOG, DEFAULT_CONCURRENCY, parseConcurrency } from '../options.js';
import type { DriftFlags } from '../actions/drift.js';

export function registerDrift(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('drift')
    .description('report how live Kelviq (what customers see) departs from the catalog; exit 0 in sync, 2 drift, 1 error')
    .option('--catalog <path>', 'catalog file or folder', DEFAULT_CATALOG)
    .option('--prod', 'check production (KELVIQ_SERVER_API_KEY) instead of the sandbox')
    .option('--json', 'print the report as a versioned JSON document')
    .option('--markdown', 'print the report as Markdown, ready for a GitHub issue body')
    .option('--ignore-unmanaged', 'leave out live resources absent from the catalog that kelviq-catalog did not create')
    .option('--concurrency <n>', 'most API requests in flight', parseConcurrency, DEFAULT_CONCURRENCY)
    .action((flags: DriftFlags) => finish(runCommand(flags.json, output, (out) => import('../actions/drift.js').then((command) => command.runDrift(flags, out)))));
}
