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
import { DEFAULT_CONCURRENCY } from '../options.js';
import { readingLive } from '../shared.js';
import { approved, execute, planErrorsDocument, type ApplyFlags } from './apply.js';
import { customersDifferFromCatalog, decisionsFrom, refuseMigrateWithoutPublish, withPlanError } from './plan.js';

export interface PromoteFlags extends ApplyFlags {
  dryRun?: boolean;
  includeDrafts?: boolean;
}

export async function runPromote(flags: PromoteFlags, output: Output): Promise<Outcome> {
  refuseMigrateWithoutPublish(flags);
  // Both keys, named in the error if missing; production is the target by the command's definition.
  const sandbox = resolveTarget({ prod: false, env: output.streams.env });
  const production = resolveTarget({ prod: true, env: output.streams.env });
  if (sandbox.baseUrl === production.baseUrl) {
    throw new ConfigError(
      `promote needs two environments, but the sandbox and production base URLs are both ${sandbox.baseUrl}; check KELVIQ_SANDBOX_BASE_URL and KELVIQ_BASE_URL.`,
    );
  }
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
      }),
    );
    const { plan } = computed;
    for (const note of sourceCatalog.notes) output.warn(note.message);
    const context = { environment: 'production' as const, baseUrl: production.baseUrl, color: output.color };
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
      output.err('error  the plan has errors; nothing was promoted.\n');
      return failure;
    }
    if (plan.actions.length === 0) {
      if (flags.json) output.json(applyResultJson({ applied: [], failed: [], notAttempted: [], interrupted: false, durationMs: 0 }));
      return success;
    }
    if (!(await approved(flags, output, 'production'))) return failure;
    return await execute(plan, target, computed.live, 'production', flags, output);
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}
