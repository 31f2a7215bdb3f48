import { existsSync } from 'node:fs';
import {
  computePromotion,
  hasErrors,
  planJsonDocument,
  renderPlanMarkdown,
  renderPlanText,
  applyResultJson,
} from '../../apply/index.js';
import { ConfigError, createClient, resolveTarget } from '../../client/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { changesFound, failure, success, type Outcome } from '../outcome.js';
import { catalogGiven, DEFAULT_CATALOG, DEFAULT_CONCURRENCY } from '../options.js';
import { loadAndReport, readingLive } from '../shared.js';
import { CommandFailure } from '../failure.js';
import { approved, execute, planErrorsDocument, refusalLine, type ApplyFlags } from './apply.js';
import { customersDifferFromCatalog, decisionsFrom, refuseMigrateWithoutPublish, waiversFrom, withPlanError } from './plan.js';
import { warnUnusedWaivers } from './waiver-warnings.js';

export interface PromoteFlags extends ApplyFlags {
  dryRun?: boolean;
  includeDrafts?: boolean;
}

/**
 * The policy promote enforces: the `policy` of the catalog at --catalog (nothing else of it is used; the sandbox
 * is what is promoted). The default ./catalog may be absent (promote needs no catalog): then no policy is checked,
 * and a note says so. A path given that does not exist is refused like any missing catalog.
 */
async function promotionPolicy(flags: PromoteFlags, output: Output) {
  const path = flags.catalog ?? DEFAULT_CATALOG;
  const explicit = catalogGiven(flags.catalog);
  if (!explicit && !existsSync(path)) {
    output.warn(`no catalog at ${forTerminal(path)}: no policy is checked (pass --catalog PATH to enforce a catalog's policy).`);
    return undefined;
  }
  const loaded = await loadAndReport(path, output, { quietWarnings: flags.json });
  return loaded.result.policy;
}

export async function runPromote(flags: PromoteFlags, output: Output): Promise<Outcome> {
  refuseMigrateWithoutPublish(flags);
  // Preview flags on a real promotion would be ignored while production is written to: refused, not ignored.
  const previewOnly = [...(flags.markdown ? ['--markdown'] : []), ...(flags.detailedExitcode ? ['--detailed-exitcode'] : [])];
  if (previewOnly.length && !flags.dryRun) {
    throw new CommandFailure(
      'usage',
      `${previewOnly.join(' and ')} ${previewOnly.length > 1 ? 'need' : 'needs'} --dry-run; without it promote writes to production: add --dry-run to preview, or leave ${previewOnly.join(' and ')} out to promote.`,
    );
  }
  const waivers = waiversFrom(flags);
  // Both keys, named in the error if missing; production is the target by the command's definition (the usual
  // advice would suggest --prod, which promote neither takes nor needs).
  const missingKeyAdvice = (environment: string) =>
    `promote reads the sandbox and writes production, so it needs both keys; export the ${environment} server API key from the Kelviq dashboard.`;
  const sandbox = resolveTarget({ prod: false, env: output.streams.env, missingKeyAdvice });
  const production = resolveTarget({ prod: true, env: output.streams.env, missingKeyAdvice });
  if (sandbox.baseUrl === production.baseUrl) {
    throw new ConfigError(
      `promote needs two environments, but the sandbox and production base URLs are both ${sandbox.baseUrl}; check KELVIQ_SANDBOX_BASE_URL and KELVIQ_BASE_URL.`,
    );
  }
  const policy = await promotionPolicy(flags, output);
  if (policy) warnUnusedWaivers(waivers, policy, output);
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  const source = createClient(sandbox, { concurrency, proxyEnv: output.streams.env, onRequest: output.progress.onRequest });
  const target = createClient(production, { concurrency, proxyEnv: output.streams.env, onRequest: output.progress.onRequest });
  try {
    const { computed, source: sourceCatalog } = await output.progress.during(readingLive('sandbox and production'), () =>
      computePromotion({
        source,
        target,
        decisions: decisionsFrom(flags),
        includeDrafts: flags.includeDrafts,
        policy,
        waivers,
        strictPolicy: flags.strictPolicy,
      }),
    );
    const { plan } = computed;
    for (const note of sourceCatalog.notes) output.warn(note.message);
    const context = { environment: 'production' as const, baseUrl: production.baseUrl, color: output.color, command: 'promote' as const };
    const heading = `Promote: Kelviq sandbox (${forTerminal(sandbox.baseUrl)}) -> production, matched by identifier\n`;

    if (flags.dryRun) {
      if (flags.json) output.json(withPlanError({ ...planJsonDocument(plan, context, computed.fingerprint), source: { environment: 'sandbox', baseUrl: sandbox.baseUrl } }, plan));
      else if (flags.markdown) output.out(renderPlanMarkdown(plan, context));
      else output.out(heading + renderPlanText(plan, context));
      if (hasErrors(plan)) return failure;
      return flags.detailedExitcode && customersDifferFromCatalog(plan) ? changesFound : success;
    }

    if (!flags.json) output.out(heading + renderPlanText(plan, context));
    if (hasErrors(plan)) {
      if (flags.json) output.json(planErrorsDocument(plan));
      output.err(refusalLine(plan, 'promoted'));
      return failure;
    }
    if (plan.actions.length === 0) {
      if (flags.json) output.json(applyResultJson({ applied: [], failed: [], notAttempted: [], interrupted: false, durationMs: 0 }));
      return success;
    }
    const refused = await approved(flags, output, 'production', 'promote');
    if (refused) return refused;
    return await execute(plan, target, computed.live, 'production', flags, output);
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}
