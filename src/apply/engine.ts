/**
 * The library's verbs: compute a plan for a catalog against a Kelviq environment, save it, and apply it (fresh or
 * from a saved plan, after checking that the live state has not moved since).
 */
import type { KelviqClient } from '../client/index.js';
import { diffCatalog, type CatalogDiff } from '../diff/diff-catalog.js';
import { fetchLiveState, fingerprintLiveState, scopeOf, type LiveScope, type LiveState } from '../diff/live-state.js';
import type { Catalog } from '../schema/model.js';
import type { ChangePlan, PlanDecisions } from './actions.js';
import { buildPlan } from './planner.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './run.js';

export const DEFAULT_DECISIONS: PlanDecisions = {
  publish: false,
  migrateFeatures: false,
  migratePricing: false,
  prune: false,
  allowProdPrune: false,
};

export interface ComputePlanOptions {
  client: KelviqClient;
  catalog: Catalog;
  environment: 'sandbox' | 'production';
  decisions?: Partial<PlanDecisions>;
  locate?: (pointer: string) => string | undefined;
}

export interface ComputedPlan {
  plan: ChangePlan;
  live: LiveState;
  diff: CatalogDiff;
  scope: LiveScope;
  /** Fingerprint of the live state the plan was computed from; computed on first use (only saved plans need it). */
  readonly fingerprint: string;
  environment: 'sandbox' | 'production';
  /** Where the live state was read (undefined when the snapshot came from elsewhere). */
  baseUrl?: string;
}

export async function computePlan(options: ComputePlanOptions): Promise<ComputedPlan> {
  const scope = scopeOf(options.catalog);
  const live = await fetchLiveState(options.client, scope);
  return planAgainst({ ...options, live, scope, baseUrl: options.client.baseUrl });
}

export interface PlanAgainstOptions extends Omit<ComputePlanOptions, 'client'> {
  /** A snapshot fetched with a scope that covers the catalog's (a FULL_SCOPE snapshot always does). */
  live: LiveState;
  scope: LiveScope;
  /** Where the snapshot was read; binds the fingerprint to it. */
  baseUrl?: string;
}

/** The plan for a catalog against a snapshot already in hand (promote fetches both environments at once). */
export function planAgainst(options: PlanAgainstOptions): ComputedPlan {
  const { live, scope } = options;
  const diff = diffCatalog(options.catalog, live);
  const plan = buildPlan({
    catalog: options.catalog,
    live,
    diff,
    decisions: { ...DEFAULT_DECISIONS, ...options.decisions },
    environment: options.environment,
    locate: options.locate,
  });
  let fingerprint: string | undefined;
  return {
    plan,
    live,
    diff,
    scope,
    environment: options.environment,
    baseUrl: options.baseUrl,
    get fingerprint() {
      if (options.baseUrl === undefined) throw new Error('a plan computed without a base URL has no fingerprint');
      fingerprint ??= fingerprintLiveState(live, { baseUrl: options.baseUrl, environment: options.environment });
      return fingerprint;
    },
  };
}

export function hasErrors(plan: ChangePlan): boolean {
  return plan.messages.some((message) => message.severity === 'error');
}

// ---- saved plans

export const PLAN_FILE_FORMAT = 'kelviq-catalog-plan';
export const PLAN_FILE_VERSION = 1;

export interface SavedPlan {
  format: typeof PLAN_FILE_FORMAT;
  formatVersion: typeof PLAN_FILE_VERSION;
  createdAt: string;
  environment: 'sandbox' | 'production';
  /** Where the plan was computed (no credentials: keys are never part of a URL here). */
  baseUrl: string;
  fingerprint: string;
  scope: LiveScope;
  plan: ChangePlan;
}

export function toSavedPlan(computed: ComputedPlan, baseUrl: string): SavedPlan {
  return {
    format: PLAN_FILE_FORMAT,
    formatVersion: PLAN_FILE_VERSION,
    createdAt: new Date().toISOString(),
    environment: computed.environment,
    baseUrl,
    fingerprint: computed.fingerprint,
    scope: computed.scope,
    plan: computed.plan,
  };
}

export class StalePlanError extends Error {
  override name = 'StalePlanError';
}

export function parseSavedPlan(text: string, source: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StalePlanError(`${source} is not a saved plan (not JSON).`);
  }
  const saved = data as Partial<SavedPlan>;
  if (saved.format !== PLAN_FILE_FORMAT) throw new StalePlanError(`${source} is not a kelviq-catalog plan file.`);
  if (saved.formatVersion !== PLAN_FILE_VERSION) {
    throw new StalePlanError(`${source} has plan format version ${String(saved.formatVersion)}; this kelviq-catalog reads version ${PLAN_FILE_VERSION}.`);
  }
  return saved as SavedPlan;
}

/**
 * Re-reads the live state a saved plan was computed from and refuses to continue if anything in it changed:
 * executing a plan against a state it was not computed for could undo someone else's change.
 */
export async function checkSavedPlan(saved: SavedPlan, client: KelviqClient, environment: 'sandbox' | 'production'): Promise<LiveState> {
  if (saved.environment !== environment) {
    throw new StalePlanError(`the plan was made for ${saved.environment} but this run targets ${environment}${environment === 'sandbox' ? ' (add --prod?)' : ''}.`);
  }
  const live = await fetchLiveState(client, saved.scope);
  const fingerprint = fingerprintLiveState(live, { baseUrl: client.baseUrl, environment });
  if (fingerprint !== saved.fingerprint) {
    throw new StalePlanError(
      `the live catalog changed since the plan was made (${saved.createdAt}); refusing to apply a stale plan. Run plan again and review the new plan.`,
    );
  }
  return live;
}

export function executePlan(plan: ChangePlan, options: ApplyOptions): Promise<ApplyResult> {
  return applyPlan(plan, options);
}
