import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import { ALLOW_DESCRIPTION, collect, DEFAULT_CATALOG, DEFAULT_CONCURRENCY, parseConcurrency } from '../options.js';
import type { PlanFlags } from '../actions/plan.js';

export function registerPlan(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  const command = program
    .command('plan')
    .description('show what apply would change in Kelviq, value by value')
    .option('--catalog <path>', 'catalog file or folder', DEFAULT_CATALOG)
    .option('--prod', 'target production (KELVIQ_SERVER_API_KEY) instead of the sandbox')
    .option('--json', 'print the plan as a versioned JSON document')
    .option('--markdown', 'print a Markdown summary for a pull-request comment (with the pricing matrix)')
    .option('--matrix', 'text output: add the pricing matrix (plans against prices and grants, before → after)')
    .option('--out <file>', 'save the plan (with a fingerprint of the live state) for a later apply')
    .option('--detailed-exitcode', 'exit 2 when there are changes or unpublished drafts (0 none, 1 error)')
    .option('--concurrency <n>', 'most API requests in flight', parseConcurrency, DEFAULT_CONCURRENCY);
  // The live reads start before the engine and the renderers are even loaded (see plan-early.ts).
  addPolicyOptions(addDecisionOptions(command)).action((flags: PlanFlags) =>
    finish(
      runCommand(flags.json, output, async (out) => {
        const started = await (await import('../actions/plan-early.js')).startEarly(flags, out);
        return (await import('../actions/plan.js')).runPlan(flags, out, started);
      }),
    ),
  );
}

export function addDecisionOptions(command: Command): Command {
  return command
    .option('--publish', 'publish the plans this run changes (and pending drafts that already match the catalog)')
    .option('--migrate-features', 'with --publish: migrate existing customers to the new entitlements')
    .option('--migrate-pricing', 'with --publish: migrate existing customers to the new pricing')
    .option('--prune', 'archive plans/features absent from the catalog that kelviq-catalog created')
    .option('--allow-prod-prune', 'confirm --prune against production');
}

/** The catalog policy's waivers and strictness (plan, apply, promote). */
export function addPolicyOptions(command: Command): Command {
  return command
    .option('--allow <rule[:plan]>', ALLOW_DESCRIPTION, collect)
    .option('--strict-policy', 'a policy rule that cannot be evaluated (subscriptions unreadable) is an error');
}
