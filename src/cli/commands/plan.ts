import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  computePlan,
  hasErrors,
  planJsonDocument,
  renderPlanMarkdown,
  renderPlanText,
  toSavedPlan,
  type ChangePlan,
  type ComputedPlan,
  type PlanDecisions,
} from '../../apply/index.js';
import { CommandFailure, runCommand, type ErrorBody } from '../failure.js';
import { appendStepSummary, type Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { changesFound, failure, success, type Outcome } from '../outcome.js';
import { connect, loadAndReport, DEFAULT_CONCURRENCY, parseConcurrency } from '../shared.js';

export interface DecisionFlags {
  publish?: boolean;
  migrateFeatures?: boolean;
  migratePricing?: boolean;
  prune?: boolean;
  allowProdPrune?: boolean;
}

export function decisionsFrom(flags: DecisionFlags): PlanDecisions {
  return {
    publish: Boolean(flags.publish),
    migrateFeatures: Boolean(flags.migrateFeatures),
    migratePricing: Boolean(flags.migratePricing),
    prune: Boolean(flags.prune),
    allowProdPrune: Boolean(flags.allowProdPrune),
  };
}

export function addDecisionOptions(command: Command): Command {
  return command
    .option('--publish', 'publish the plans this run changes (and pending drafts that already match the catalog)')
    .option('--migrate-features', 'with --publish: migrate existing customers to the new entitlements')
    .option('--migrate-pricing', 'with --publish: migrate existing customers to the new pricing')
    .option('--prune', 'archive plans/features absent from the catalog that kelviq-catalog created')
    .option('--allow-prod-prune', 'confirm --prune against production');
}

export interface PlanFlags extends DecisionFlags {
  catalog: string;
  prod?: boolean;
  json?: boolean;
  markdown?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  concurrency?: number;
}

/**
 * `--migrate-*` act when a plan is published (they are the publish request's `updateFeatures` / `updatePricing`,
 * per the spec's POST /catalog/plans/{identifier}/publish/): without `--publish` nothing is published, so they
 * would be ignored in silence and someone would believe their customers were moved. Refused before any request.
 */
export function refuseMigrateWithoutPublish(flags: DecisionFlags): void {
  if (flags.publish) return;
  const given = [flags.migrateFeatures && '--migrate-features', flags.migratePricing && '--migrate-pricing'].filter((f): f is string => !!f);
  if (!given.length) return;
  throw new CommandFailure(
    'migrate-without-publish',
    `${given.join(' and ')} ${given.length > 1 ? 'move' : 'moves'} existing customers when a plan is published, and without --publish nothing is published: add --publish, or leave ${given.length > 1 ? 'them' : 'it'} out.`,
  );
}

/** Loads the catalog and computes the plan; throws (after printing why) when the catalog is invalid. */
export async function planFromFlags(flags: PlanFlags, output: Output) {
  refuseMigrateWithoutPublish(flags);
  const loaded = await loadAndReport(flags.catalog, output, { quietWarnings: flags.json });
  const { target, client } = connect(flags, output);
  try {
    const computed = await computePlan({
      client,
      catalog: loaded.catalog,
      environment: target.environment,
      decisions: decisionsFrom(flags),
      locate: loaded.locate,
    });
    return { computed, target, client };
  } catch (error) {
    await client.close();
    throw error;
  }
}

export async function writePlanOutputs(computed: ComputedPlan, baseUrl: string, flags: PlanFlags, output: Output): Promise<void> {
  const context = { environment: computed.environment, baseUrl, color: output.color };
  if (flags.json) output.json(withPlanError(planJsonDocument(computed.plan, context, computed.fingerprint), computed.plan));
  else if (flags.markdown) output.out(renderPlanMarkdown(computed.plan, context));
  else output.out(renderPlanText(computed.plan, context));

  await appendStepSummary(output, renderPlanMarkdown(computed.plan, context));

  if (flags.out) {
    // Not redacted: a saved plan is data that apply executes (a product named like a short key must keep its
    // name), and it never holds the key to begin with (toSavedPlan records the base URL, never the target's key).
    await writeFileAtomically(flags.out, `${JSON.stringify(toSavedPlan(computed, baseUrl), null, 2)}\n`);
    if (!flags.json) output.err(`Saved the plan to ${forTerminal(flags.out)}; apply it with: kelviq-catalog apply ${forTerminal(flags.out)}\n`);
  }
}

/**
 * Write-then-rename, so a crash never leaves a truncated plan file that a later apply could trip over. The
 * temporary file gets an unguessable name and is created exclusively without following a symlink (O_EXCL,
 * O_NOFOLLOW): a predictable `<out>.<pid>.tmp` let anyone with write access to the folder plant a symlink there
 * and have the plan written through it. The rename replaces `out` itself, never a file it links to.
 */
async function writeFileAtomically(out: string, text: string): Promise<void> {
  const temporary = `${out}.${randomBytes(8).toString('hex')}.tmp`;
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(temporary, out);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/** A plan document with errors says so the way every failed `--json` command does: an `error` member. */
export function withPlanError<T extends object>(document: T, plan: ChangePlan): T & { error?: ErrorBody } {
  const errors = plan.messages.filter((m) => m.severity === 'error');
  if (!errors.length) return document;
  return { ...document, error: { code: 'plan-errors', message: `the plan has ${errors.length} error(s); nothing can be applied until they are fixed.` } };
}

/**
 * Whether `--detailed-exitcode` reports 2: actions to run, or plans whose newest version is an unpublished draft
 * (even one that equals the catalog): customers see the published version, not the catalog, until it is published.
 */
export function customersDifferFromCatalog(plan: ChangePlan): boolean {
  return plan.summary.total > 0 || plan.pendingDrafts.length > 0;
}

export async function runPlan(flags: PlanFlags, output: Output): Promise<Outcome> {
  const planned = await planFromFlags(flags, output);
  try {
    await writePlanOutputs(planned.computed, planned.target.baseUrl, flags, output);
  } finally {
    await planned.client.close();
  }
  const { plan } = planned.computed;
  if (hasErrors(plan)) return failure;
  if (flags.detailedExitcode && customersDifferFromCatalog(plan)) return changesFound;
  return success;
}

export function registerPlan(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  const command = program
    .command('plan')
    .description('show what apply would change in Kelviq, value by value')
    .option('--catalog <path>', 'catalog file or folder', './catalog')
    .option('--prod', 'target production (KELVIQ_SERVER_API_KEY) instead of the sandbox')
    .option('--json', 'print the plan as a versioned JSON document')
    .option('--markdown', 'print a Markdown summary for a pull-request comment')
    .option('--out <file>', 'save the plan (with a fingerprint of the live state) for a later apply')
    .option('--detailed-exitcode', 'exit 2 when there are changes or unpublished drafts (0 none, 1 error)')
    .option('--concurrency <n>', 'most API requests in flight', parseConcurrency, DEFAULT_CONCURRENCY);
  addDecisionOptions(command).action((flags: PlanFlags) => finish(runCommand(flags.json, output, (out) => runPlan(flags, out))));
}
