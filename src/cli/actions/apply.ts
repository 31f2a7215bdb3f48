import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import {
  applyResultJson,
  applyPlan,
  hasErrors,
  parseSavedPlan,
  verifySavedPlan,
  renderApplyResultText,
  renderPlanText,
  describeAction,
  type ChangePlan,
  JSON_FORMAT_VERSION,
} from '../../apply/index.js';
import { CommandFailure, type ErrorBody } from '../failure.js';
import type { KelviqClient } from '../../client/index.js';
import type { LiveState } from '../../diff/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { policyBlocks, policyBlockSummary } from '../../policy/index.js';
import { failure, interrupted, success, type Outcome } from '../outcome.js';
import { whileInterruptible } from '../interrupt.js';
import { connect, readingLive } from '../shared.js';
import { catalogGiven, shellWord } from '../options.js';
import { planFromFlags, type PlanFlags } from './plan.js';
import type { EarlyStart } from './plan-early.js';

export interface ApplyFlags extends PlanFlags {
  yes?: boolean;
}

async function confirm(output: Output, environment: string): Promise<boolean> {
  const prompt = createInterface({ input: output.streams.stdin, output: output.streams.stderr });
  try {
    const answer = await prompt.question(`Apply these changes to Kelviq ${environment}? Only "yes" is accepted: `);
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}

/**
 * Confirmation on a terminal; without one, only an explicit --yes proceeds. Returns undefined to go ahead, or
 * the outcome to end with: an answer other than "yes" is a failure (exit 1); Ctrl+C at the prompt is an
 * interruption (exit 130, code `interrupted`: README, "Exit codes"), not an internal error.
 */
export async function approved(flags: ApplyFlags, output: Output, environment: string, command: 'apply' | 'promote' = 'apply'): Promise<Outcome | undefined> {
  if (flags.yes) return undefined;
  if (!output.interactive) {
    throw new CommandFailure('confirmation-required', `${command} needs confirmation: run it in a terminal, or pass --yes (for CI).`);
  }
  try {
    if (await confirm(output, environment)) return undefined;
  } catch (error) {
    // readline/promises rejects the question with an AbortError when Ctrl+C is typed at it.
    if ((error as Error)?.name !== 'AbortError') throw error;
    const message = `${command} was interrupted at the confirmation prompt; nothing was changed.`;
    if (flags.json) output.json({ formatVersion: 1, error: { code: 'interrupted', message } });
    output.err(`\n${message}\n`);
    return interrupted;
  }
  output.err('Apply cancelled; nothing was changed.\n');
  return failure;
}

export async function execute(
  plan: ChangePlan,
  client: KelviqClient,
  live: LiveState,
  environment: 'sandbox' | 'production',
  flags: ApplyFlags,
  output: Output,
): Promise<Outcome> {
  const controller = new AbortController();
  const release = whileInterruptible((signal) => {
    output.err(`\n${signal}: starting nothing new; waiting for requests in flight to finish...\n`);
    controller.abort(new Error(signal));
    // Requests waiting out a Retry-After or a backoff give up now rather than after the wait.
    client.interrupt();
  });
  const showProgress = output.interactive && !flags.json && plan.actions.length > 5;
  const total = plan.actions.length;
  let done = 0;
  let running = 0;
  try {
    const result = await output.progress.during(
      () => `applying to Kelviq ${environment}: ${done} of ${total} action(s) done, ${running} in progress`,
      () =>
        applyPlan(plan, {
          client,
          live,
          environment,
          concurrency: flags.concurrency,
          signal: controller.signal,
          onProgress: (event) => {
            if (event.outcome === 'started') {
              running += 1;
              return;
            }
            running -= 1;
            done += 1;
            const title = forTerminal(describeAction(event.action).title);
            if (showProgress) output.err(`\r[${event.done}/${event.total}] ${title}\x1b[K`);
            // In a log, each action as it completes (a failure's reason is in the report at the end).
            output.progress.item(`[${done}/${total}] ${event.outcome === 'applied' ? 'applied' : 'failed'}: ${title}`);
          },
        }),
    );
    if (showProgress) output.err('\r\x1b[K');
    if (flags.json) output.json(withApplyError(applyResultJson(result)));
    else output.out(renderApplyResultText(result, output.color));
    if (result.interrupted) return interrupted;
    return result.failed.length ? failure : success;
  } finally {
    release();
  }
}

/** An apply result that failed carries the `error` member of every failed `--json` document. */
function withApplyError(document: ReturnType<typeof applyResultJson>): ReturnType<typeof applyResultJson> & { error?: ErrorBody } {
  if (document.ok) return document;
  const message = document.interrupted
    ? `apply was interrupted: ${document.applied.length} applied, ${document.notAttempted.length} not attempted.`
    : `${document.failed.length} action(s) failed: ${document.applied.length} applied, ${document.notAttempted.length} not attempted.`;
  return { ...document, error: { code: document.interrupted ? 'interrupted' : 'apply-failed', message } };
}

/** A plan with errors, refused before any write: what `--json` prints (apply and promote). */
export function planErrorsDocument(plan: ChangePlan) {
  const errors = plan.messages.filter((m) => m.severity === 'error');
  const policyOnly = !errors.length && policyBlocks(plan.policy);
  return {
    formatVersion: JSON_FORMAT_VERSION,
    ok: false,
    errors,
    ...(plan.policy ? { policy: plan.policy } : {}),
    error: policyOnly
      ? { code: 'policy-violations', message: `the plan breaks its policy (${policyBlockSummary(plan.policy!)}); nothing was applied.` }
      : { code: 'plan-errors', message: `the plan has ${errors.length} error(s); nothing was applied.` },
  };
}

/** What stderr says when a plan is refused before any write (apply and promote). */
export function refusalLine(plan: ChangePlan, what: 'applied' | 'promoted'): string {
  if (policyBlocks(plan.policy) && !plan.messages.some((m) => m.severity === 'error')) {
    return `error  the plan breaks its policy (${policyBlockSummary(plan.policy!)}); nothing was ${what}. Fix the catalog, or waive what was approved with --allow RULE[:PLAN].\n`;
  }
  return `error  the plan has errors; nothing was ${what}.\n`;
}

/** Flags that decide what a plan contains; a saved plan already carries those decisions. */
const DECISION_FLAGS = [
  ['publish', '--publish'],
  ['migrateFeatures', '--migrate-features'],
  ['migratePricing', '--migrate-pricing'],
  ['prune', '--prune'],
  ['allowProdPrune', '--allow-prod-prune'],
] as const;

/**
 * The saved plan's text. `apply ./catalog` (a catalog where a plan file goes, as `terraform apply DIR` reads)
 * and a mistyped name get a sentence saying what apply takes, not Node's EISDIR/ENOENT.
 */
async function readPlanFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const takes = `apply PLANFILE takes a file written by \`kelviq-catalog plan --out FILE\``;
    if (code === 'EISDIR') {
      throw new CommandFailure('plan-refused', `${file} is a folder, not a saved plan: ${takes}. To apply a catalog folder, pass it as --catalog ${shellWord(file)}.`);
    }
    if (code === 'ENOENT') throw new CommandFailure('plan-refused', `no saved plan at ${file}: ${takes}; to apply a catalog, use --catalog PATH.`);
    throw error;
  }
}

async function applySavedPlan(file: string, flags: ApplyFlags, output: Output): Promise<Outcome> {
  // Silently ignoring them would let someone believe `apply plan.json --publish` publishes.
  // A saved plan carries its own catalog: a --catalog beside it (other than the default) would be ignored too.
  const catalog = catalogGiven(flags.catalog) ? [`--catalog ${shellWord(flags.catalog)}`] : [];
  const given = [
    ...catalog,
    ...DECISION_FLAGS.filter(([key]) => flags[key]).map(([, flag]) => flag),
    ...(flags.allow ?? []).map((waiver) => `--allow ${waiver}`),
    ...(flags.strictPolicy ? ['--strict-policy'] : []),
  ];
  if (given.length) {
    throw new CommandFailure(
      'decisions-on-saved-plan',
      `${given.join(', ')} cannot change a saved plan: its decisions were made when it was computed. ` +
        `Pass ${given.join(' ')} to \`kelviq-catalog plan --out ${file}\` and apply the new plan.`,
    );
  }
  const saved = parseSavedPlan(await readPlanFile(file), file);
  const { target, client } = connect(flags, output);
  try {
    // What is shown and run is the plan recomputed now, proven equal to the saved one; never the file's own text.
    const computed = await output.progress.during(readingLive(target.environment), () => verifySavedPlan(saved, client, target.environment));
    if (!flags.json) output.out(renderPlanText(computed.plan, { environment: target.environment, baseUrl: target.baseUrl, color: output.color }));
    if (computed.plan.actions.length === 0) return nothingToApply(flags, output);
    const refused = await approved(flags, output, target.environment);
    if (refused) return refused;
    return await execute(computed.plan, client, computed.live, target.environment, flags, output);
  } finally {
    await client.close();
  }
}

/** No action to run: with --json, still the one document every --json command prints (README, "--json always prints a document"). */
function nothingToApply(flags: ApplyFlags, output: Output): Outcome {
  if (flags.json) output.json(applyResultJson({ applied: [], failed: [], notAttempted: [], interrupted: false, durationMs: 0 }));
  return success;
}

export async function runApply(planFile: string | undefined, flags: ApplyFlags, output: Output, started?: EarlyStart): Promise<Outcome> {
  if (planFile) return applySavedPlan(planFile, flags, output);
  const planned = await planFromFlags(flags, output, started);
  const { computed, target, client } = planned;
  try {
    if (!flags.json) output.out(renderPlanText(computed.plan, { environment: target.environment, baseUrl: target.baseUrl, color: output.color }));
    if (hasErrors(computed.plan)) {
      if (flags.json) output.json(planErrorsDocument(computed.plan));
      output.err(refusalLine(computed.plan, 'applied'));
      return failure;
    }
    if (computed.plan.actions.length === 0) return nothingToApply(flags, output);
    const refused = await approved(flags, output, target.environment);
    if (refused) return refused;
    return await execute(computed.plan, client, computed.live, target.environment, flags, output);
  } finally {
    await client.close();
  }
}
