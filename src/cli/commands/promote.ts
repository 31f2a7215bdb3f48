import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import { DEFAULT_CATALOG, DEFAULT_CONCURRENCY, parseConcurrency } from '../options.js';
import type { PromoteFlags } from '../actions/promote.js';
import { addDecisionOptions, addPolicyOptions } from './plan.js';

export function registerPromote(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  const command = program
    .command('promote')
    .description('make production match the sandbox (matched by identifier): same engine, gates and flags as apply; needs both keys')
    .option('--dry-run', 'show the plan against production and change nothing')
    .option('--detailed-exitcode', 'with --dry-run: exit 2 when production differs from the sandbox')
    .option('--include-drafts', "promote sandbox plans' unpublished drafts instead of their published versions")
    .option('--yes', 'promote without asking (required without a terminal)')
    .option('--json', 'print the plan (--dry-run) or the result as JSON')
    .option('--markdown', 'with --dry-run: print a Markdown summary')
    .option('--catalog <path>', "the catalog whose policy promote enforces (only its policy is read; skipped with a note when the default is absent)", DEFAULT_CATALOG)
    .option('--concurrency <n>', 'most API requests in flight per environment', parseConcurrency, DEFAULT_CONCURRENCY);
  addPolicyOptions(addDecisionOptions(command)).action((flags: PromoteFlags) => finish(runCommand(flags.json, output, (out) => import('../actions/promote.js').then((command) => command.runPromote(flags, out)))));
}
