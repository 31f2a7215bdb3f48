import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import { DEFAULT_CATALOG, DEFAULT_CONCURRENCY, parseConcurrency } from '../options.js';
import type { ApplyFlags } from '../actions/apply.js';
import { addDecisionOptions, addPolicyOptions } from './plan.js';

export function registerApply(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  const command = program
    .command('apply [planfile]')
    .description('make Kelviq match the catalog (or execute a saved plan); drafts unless --publish')
    .option('--catalog <path>', 'catalog file or folder', DEFAULT_CATALOG)
    .option('--prod', 'target production (KELVIQ_SERVER_API_KEY) instead of the sandbox')
    .option('--yes', 'apply without asking (required without a terminal)')
    .option('--json', 'print the result as JSON')
    .option('--concurrency <n>', 'most API requests in flight', parseConcurrency, DEFAULT_CONCURRENCY);
  // Without a saved plan, apply plans first: its live reads start before the engine is loaded, as plan's do.
  addPolicyOptions(addDecisionOptions(command)).action((planFile: string | undefined, flags: ApplyFlags) =>
    finish(
      runCommand(flags.json, output, async (out) => {
        const started = planFile ? undefined : await (await import('../actions/plan-early.js')).startEarly(flags, out);
        return (await import('../actions/apply.js')).runApply(planFile, flags, out, started);
      }),
    ),
  );
}
