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
  type ComputedPlan,
  type PlanDecisions,
} from '../../apply/index.js';
import { appendStepSummary, type Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { changesFound, failure, success, type Outcome } from '../outcome.js';
import { positionOf } from '../../output/github.js';
import { connect, loadAndReport, readingLive } from '../shared.js';

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

export interface PlanFlags extends DecisionFlags {
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

/** Loads the catalog and computes the plan; undefined (after printing why) when the catalog is invalid. */
export async function planFromFlags(flags: PlanFlags, output: Output) {
  const loaded = await loadAndReport(flags.catalog, output, { quietWarnings: flags.json });
  if (!loaded) return undefined;
  const { target, client } = connect(flags, output);
  try {
    const computed = await output.progress.during(readingLive(target.environment), () =>
      computePlan({
        client,
        catalog: loaded.catalog,
        environment: target.environment,
        decisions: decisionsFrom(flags),
        locate: loaded.locate,
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
  if (flags.json) output.json(planJsonDocument(computed.plan, context, computed.fingerprint));
  else if (flags.markdown) output.out(renderPlanMarkdown(computed.plan, context));
  else output.out(renderPlanText(computed.plan, flags.matrix ? context : { ...context, matrix: undefined }));

  await appendStepSummary(output, renderPlanMarkdown(computed.plan, context));
  // In GitHub Actions the plan's errors and warnings are also annotations, on the catalog line each is about.
  if (output.githubAnnotations('stderr')) {
    output.annotate(
      'stderr',
      computed.plan.messages.map((m) => ({ level: m.severity, message: m.message, title: 'kelviq-catalog plan', ...positionOf(m.location) })),
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

export async function runPlan(flags: PlanFlags, output: Output): Promise<Outcome> {
  const planned = await planFromFlags(flags, output);
  if (!planned) return failure;
  try {
    await writePlanOutputs(planned.computed, planned.target.baseUrl, flags, output);
  } finally {
    await planned.client.close();
  }
  const { plan } = planned.computed;
  if (hasErrors(plan)) return failure;
  if (flags.detailedExitcode && plan.summary.total > 0) return changesFound;
  return success;
}
