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
import { CommandFailure, type ErrorBody } from '../failure.js';
import { forTerminal } from '../../output/escape.js';
import { changesFound, failure, success, type Outcome } from '../outcome.js';
import { positionOf } from '../../output/github.js';
import { connect, loadAndReport, readingLive } from '../shared.js';
import type { Policy } from '../../schema/model.js';
import { parseWaivers, policyAnnotations, policyBlocks, policyBlockSummary, WaiverError, type Waiver } from '../../policy/index.js';
import { startLiveLists } from '../../diff/live-state.js';

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

export interface PolicyFlags {
  /** `--allow RULE[:PLAN]`, repeatable. */
  allow?: string[];
  strictPolicy?: boolean;
}

/** The waivers given, read before anything else happens: a rule name that is not one is an error (exit 1). */
export function waiversFrom(flags: PolicyFlags): Waiver[] {
  try {
    return parseWaivers(flags.allow);
  } catch (error) {
    if (error instanceof WaiverError) throw new CommandFailure('unknown-policy-rule', error.message);
    throw error;
  }
}

/** A waiver of a rule the policy does not have waives nothing: said, so a typo'd approval is not trusted. */
export function warnUnusedWaivers(waivers: Waiver[], policy: Policy | undefined, output: Output): void {
  const rules = new Set(policy?.rules.map((rule) => rule.rule));
  for (const waiver of waivers) {
    if (!rules.has(waiver.rule)) output.warn(`${waiver.flag}: the catalog's policy has no ${waiver.rule} rule; this waives nothing.`);
  }
}

export interface PlanFlags extends DecisionFlags, PolicyFlags {
  catalog: string;
  prod?: boolean;
  json?: boolean;
  markdown?: boolean;
  /** Text output: add the pricing matrix (Markdown and JSON always carry it). */
  matrix?: boolean;
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

/**
 * Loads the catalog and computes the plan; throws (after printing why) when the catalog is invalid.
 *
 * The three live lists (products, features, plans) do not depend on the catalog: they are started before it is
 * parsed and run while it parses; what does depend on it (settings, entitlements, prices) follows once it is
 * valid. A target that cannot be resolved (no key) starts nothing, and its error comes after the catalog's
 * diagnostics, as always.
 */
export async function planFromFlags(flags: PlanFlags, output: Output) {
  refuseMigrateWithoutPublish(flags);
  const waivers = waiversFrom(flags);
  let early: ReturnType<typeof connect> | undefined;
  try {
    early = connect(flags, output);
  } catch {
    early = undefined; // connect() below throws the same error once the catalog has been reported
  }
  const lists = early ? startLiveLists(early.client) : undefined;
  let loaded;
  try {
    loaded = await loadAndReport(flags.catalog, output, { quietWarnings: flags.json, readStarted: early !== undefined });
  } catch (error) {
    // An invalid catalog: the lists are not needed; no retry or rate-limit wait of theirs may hold the exit.
    early?.client.interrupt();
    await early?.client.close();
    throw error;
  }
  warnUnusedWaivers(waivers, loaded.result.policy, output);
  const { target, client } = early ?? connect(flags, output);
  try {
    const computed = await output.progress.during(readingLive(target.environment), () =>
      computePlan({
        client,
        catalog: loaded.catalog,
        environment: target.environment,
        decisions: decisionsFrom(flags),
        locate: loaded.locate,
        policy: loaded.result.policy,
        waivers,
        strictPolicy: flags.strictPolicy,
        lists,
      }),
    );
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
