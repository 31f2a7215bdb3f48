import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import {
  computePlan,
  hasErrors,
  planJsonDocument,
  pricingMatrix,
  renderPlanMarkdown,
  renderPlanText,
  toSavedPlan,
  type ChangePlan,
  type ComputedPlan,
  type PlanDecisions,
} from '../../apply/index.js';
import { appendStepSummary, type Output } from '../io.js';
import type { ErrorBody } from '../failure.js';
import { forTerminal } from '../../output/escape.js';
import { shellWord } from '../options.js';
import { warnUnusedWaivers } from './waiver-warnings.js';
import { changesFound, failure, success, type Outcome } from '../outcome.js';
import { positionOf } from '../../output/github.js';
import { connect, loadAndReport, readingLive } from '../shared.js';
import type { Policy } from '../../schema/model.js';
import { policyAnnotations, policyBlocks, policyBlockSummary, type Waiver } from '../../policy/index.js';
import { startEarly, type DecisionFlags, type EarlyStart, type PlanFlags } from './plan-early.js';

export { refuseMigrateWithoutPublish, waiversFrom, type DecisionFlags, type PlanFlags, type PolicyFlags } from './plan-early.js';

export function decisionsFrom(flags: DecisionFlags): PlanDecisions {
  return {
    publish: Boolean(flags.publish),
    migrateFeatures: Boolean(flags.migrateFeatures),
    migratePricing: Boolean(flags.migratePricing),
    prune: Boolean(flags.prune),
    allowProdPrune: Boolean(flags.allowProdPrune),
  };
}

/**
 * Loads the catalog and computes the plan; throws (after printing why) when the catalog is invalid.
 *
 * The live reads start before the catalog is parsed and run while it parses: the three lists (products,
 * features, plans) always; what depends on the catalog (settings, entitlements, prices, archived plans) too
 * when its text can be outlined (outlineCatalog), for the scope the outline stands for. The parsed catalog's
 * scope is then checked against it (see fetchLiveState). A target that cannot be resolved (no key) starts
 * nothing, and its error comes after the catalog's diagnostics, as always.
 */
export async function planFromFlags(flags: PlanFlags, output: Output, started?: EarlyStart) {
  const { waivers, connection: early, reads, loading, endHeartbeat } = started ?? (await startEarly(flags, output));
  let loaded;
  try {
    loaded = await loadAndReport(flags.catalog, output, { quietWarnings: flags.json, readStarted: early !== undefined, loading });
  } catch (error) {
    // An invalid catalog: the reads are not needed; no retry or rate-limit wait of theirs may hold the exit.
    endHeartbeat();
    early?.client.interrupt();
    await early?.client.close();
    throw error;
  }
  warnUnusedWaivers(waivers, loaded.result.policy, output, new Set(loaded.catalog.plans.map((plan) => plan.identifier)));
  const { target, client } = early ?? connect(flags, output);
  // The heartbeat began with the early reads; without them (no target before the catalog) it begins now.
  const stopHeartbeat = early ? endHeartbeat : output.progress.begin(readingLive(target.environment));
  try {
    const computed = await computePlan({
      client,
      catalog: loaded.catalog,
      environment: target.environment,
      decisions: decisionsFrom(flags),
      locate: loaded.locate,
      policy: loaded.result.policy,
      waivers,
      strictPolicy: flags.strictPolicy,
      early: reads,
    }).finally(stopHeartbeat);
    return { computed, target, client };
  } catch (error) {
    await client.close();
    throw error;
  }
}

export async function writePlanOutputs(computed: ComputedPlan, baseUrl: string, flags: PlanFlags, output: Output): Promise<void> {
  const matrix = pricingMatrix(computed.catalog, computed.live, computed.plan);
  const context = { environment: computed.environment, baseUrl, color: output.color, matrix };
  if (flags.json) output.json(withPlanError(planJsonDocument(computed.plan, context, computed.fingerprint), computed.plan));
  else if (flags.markdown) output.out(renderPlanMarkdown(computed.plan, context));
  else output.out(renderPlanText(computed.plan, flags.matrix ? context : { ...context, matrix: undefined }));

  await appendStepSummary(output, renderPlanMarkdown(computed.plan, context));
  // In GitHub Actions the plan's errors and warnings are also annotations, on the catalog line each is about.
  if (output.githubAnnotations('stderr')) {
    output.annotate(
      'stderr',
      [
        ...computed.plan.messages.map((m) => ({ level: m.severity, message: m.message, title: 'kelviq-catalog plan', ...positionOf(m.location) })),
        ...policyAnnotations(computed.plan.policy, 'kelviq-catalog policy'),
      ],
    );
  }

  if (flags.out) {
    // Not redacted: a saved plan is data that apply executes (a product named like a short key must keep its
    // name), and it never holds the key to begin with (toSavedPlan records the base URL, never the target's key).
    await writeFileAtomically(flags.out, `${JSON.stringify(toSavedPlan(computed, baseUrl), null, 2)}\n`);
    // The command as a user can paste it: a production plan is applied with --prod (without it apply refuses it).
    const prod = computed.environment === 'production' ? ' --prod' : '';
    if (flags.json) return;
    if (hasErrors(computed.plan)) {
      // Saved all the same (what was planned, for the record), but no command applies it: apply refuses it.
      output.err(`Saved the plan to ${forTerminal(flags.out)}, but apply refuses it: it has the errors above (fix them, or waive a policy rule with --allow, and plan again).\n`);
    } else {
      output.err(`Saved the plan to ${forTerminal(flags.out)}; apply it with: kelviq-catalog apply ${forTerminal(shellWord(flags.out))}${prod}\n`);
    }
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
  if (!errors.length && policyBlocks(plan.policy)) {
    return { ...document, error: { code: 'policy-violations', message: `the plan breaks its policy (${policyBlockSummary(plan.policy!)}); nothing can be applied until they are fixed or waived with --allow.` } };
  }
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

export async function runPlan(flags: PlanFlags, output: Output, started?: EarlyStart): Promise<Outcome> {
  const planned = await planFromFlags(flags, output, started);
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
