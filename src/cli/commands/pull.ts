import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import { DEFAULT_CATALOG, DEFAULT_CONCURRENCY, parseConcurrency } from '../options.js';
import type { PullFlags } from '../actions/pull.js';

export function registerPull(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('pull')
    .description('write the live Kelviq catalog as catalog files (identifiers only, server defaults left out)')
    .option('--out <dir>', 'catalog folder to write', DEFAULT_CATALOG)
    .option('--prod', 'read production (KELVIQ_SERVER_API_KEY) instead of the sandbox')
    .option('--force', 'replace a folder that already holds a catalog (never one holding other files)')
    .option('--json', 'print the result as JSON')
    .option('--concurrency <n>', 'most API requests in flight', parseConcurrency, DEFAULT_CONCURRENCY)
    .action((flags: PullFlags) => finish(runCommand(flags.json, output, (out) => import('../actions/pull.js').then((command) => command.runPull(flags, out)))));
}
