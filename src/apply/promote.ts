/**
 * Promote: make production match what the sandbox serves, matched by identifier, with the same planner, gates
 * and executor as apply. The sandbox's live catalog stands in for the YAML files; nothing else differs.
 */
import type { KelviqClient } from '../client/index.js';
import { fetchLiveState, FULL_SCOPE, scopeOf } from '../diff/live-state.js';
import { liveStateToCatalog, type LiveCatalog } from '../diff/live-catalog.js';
import type { PlanDecisions } from './actions.js';
import { planAgainst, type ComputedPlan } from './engine.js';

export interface PromoteOptions {
  /** Client for the environment promoted from (the sandbox). Only read from. */
  source: KelviqClient;
  /** Client for the environment promoted to (production). */
  target: KelviqClient;
  decisions?: Partial<PlanDecisions>;
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
    fetchLiveState(options.target, FULL_SCOPE),
  ]);
  // Resources production already has are promoted with every value, defaults included: a value the sandbox
  // leaves at its default must be reset to it in production too. Resources production lacks are created with
  // the defaults left out (the server fills in the same ones), so the plan shows only what was chosen.
  const inTarget = { product: targetLive.products, feature: targetLive.features, plan: targetLive.plans };
  const source = liveStateToCatalog(sourceLive, {
    version: options.includeDrafts ? 'newest' : 'published',
    omitDefaults: (kind, identifier) => !inTarget[kind].has(identifier),
  });
  const computed = planAgainst({
    catalog: source.catalog,
    live: targetLive,
    scope: scopeOf(source.catalog),
    environment: 'production',
    decisions: options.decisions,
    baseUrl: options.target.baseUrl,
  });
  return { computed, source };
}
