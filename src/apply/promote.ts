/**
 * Promote: make production match what the sandbox serves, matched by identifier, with the same planner, gates
 * and executor as apply. The sandbox's live catalog stands in for the YAML files; nothing else differs.
 */
import type { KelviqClient } from '../client/index.js';
import { fetchLiveState, FULL_SCOPE, scopeOf } from '../diff/live-state.js';
import { liveStateToCatalog, type LiveCatalog } from '../diff/live-catalog.js';
import type { PlanDecisions, PlanMessage } from './actions.js';
import { planAgainst, type ComputedPlan } from './engine.js';
import type { Policy } from '../schema/model.js';
import type { Waiver } from '../policy/waivers.js';

export interface PromoteOptions {
  /** Client for the environment promoted from (the sandbox). Only read from. */
  source: KelviqClient;
  /** Client for the environment promoted to (production). */
  target: KelviqClient;
  decisions?: Partial<PlanDecisions>;
  /** The policy to check the promotion against (from a catalog's files), its waivers and strictness. */
  policy?: Policy;
  waivers?: Waiver[];
  strictPolicy?: boolean;
  /**
   * Promote the newest version of sandbox plans that have an unpublished draft, instead of the published version
   * (what sandbox customers see, and so what was tested). Plans never published are promoted either way.
   */
  includeDrafts?: boolean;
}

export interface Promotion {
  /** The plan against production. Not savable with a fingerprint re-check: it was computed from a full snapshot. */
  computed: ComputedPlan;
  /** The sandbox catalog that production is reconciled toward, and what it could not carry. */
  source: LiveCatalog;
}

export async function computePromotion(options: PromoteOptions): Promise<Promotion> {
  // Both snapshots at once: production is read in full rather than scoped to a catalog not yet known, which
  // costs only the entitlement/price lists of production plans the sandbox lacks.
  const [sourceLive, targetLive] = await Promise.all([
    fetchLiveState(options.source, FULL_SCOPE),
    // Production's customers are the ones a promotion reaches; the sandbox's are nobody's concern here.
    fetchLiveState(options.target, FULL_SCOPE, { subscriptions: true }),
  ]);
  // Every value the sandbox holds is promoted explicitly, whether production has the resource or not: no
  // server default is documented, so production must be told every value rather than trusted to fill in the
  // same ones (server-defaults.ts).
  const source = liveStateToCatalog(sourceLive, { version: options.includeDrafts ? 'newest' : 'published' });
  const computed = planAgainst({
    catalog: source.catalog,
    live: targetLive,
    scope: scopeOf(source.catalog),
    environment: 'production',
    decisions: options.decisions,
    baseUrl: options.target.baseUrl,
    policy: options.policy,
    waivers: options.waivers,
    strictPolicy: options.strictPolicy,
  });
  // A sandbox resource the catalog format cannot carry (a non-slug identifier, a value the format cannot express)
  // cannot be made to match in production: the promotion stops before its first write, every such resource
  // listed at once (found one by one by production's refusals, they used to leave production half promoted).
  computed.plan.messages.unshift(
    ...source.leftOut.map(({ kind, identifier, reason }): PlanMessage => ({
      severity: 'error',
      message: `sandbox ${kind} ${identifier} cannot be promoted: ${reason}. Fix or archive it in the sandbox first.`,
    })),
  );
  return { computed, source };
}
