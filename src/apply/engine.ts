/**
 * The library's verbs: compute a plan for a catalog against a Kelviq environment, save it, and apply it (fresh or
 * from a saved plan, after checking that the live state has not moved since).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { KelviqClient } from '../client/index.js';
import { canonicalJson } from '../diff/canonical-json.js';
import { diffCatalog, diffOnePlan, lookupsOf, type CatalogDiff, type PlanPart } from '../diff/diff-catalog.js';
import type { PlanLookups } from '../diff/normalize.js';
import { fetchLiveState, fingerprintLiveState, scopeOf, type LiveReads, type LivePlan, type LiveScope, type LiveState } from '../diff/live-state.js';
import { DEFAULT_LIMITS, loadCatalog } from '../schema/index.js';
import type { Catalog, Policy } from '../schema/model.js';
import { policyBlocks, policyBlockSummary, evaluatePolicy } from '../policy/evaluate.js';
import { parseWaivers, type Waiver } from '../policy/waivers.js';
import { policyInput } from '../schema/format/policy.js';
import type { Action, ChangePlan, PlanDecisions } from './actions.js';
import { buildPlan } from './planner.js';
import { planImpact } from './impact.js';

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
  /** The catalog's policy (`LoadResult.policy`): checked against the plan, the live state and subscriptions. */
  policy?: Policy;
  /** `--allow` waivers of policy rules (`parseWaivers`). */
  waivers?: Waiver[];
  /** `--strict-policy`: a policy rule that could not be evaluated is an error. */
  strictPolicy?: boolean;
  /** Live reads already started on `client` before the catalog was parsed (see `startLiveReads`). */
  early?: LiveReads;
}

export interface ComputedPlan {
  plan: ChangePlan;
  /** The desired state the plan was computed from (saved with the plan). */
  catalog: Catalog;
  live: LiveState;
  diff: CatalogDiff;
  scope: LiveScope;
  /** Fingerprint of the live state the plan was computed from; computed on first use (only saved plans need it). */
  readonly fingerprint: string;
  environment: 'sandbox' | 'production';
  /** Where the live state was read (undefined when the snapshot came from elsewhere). */
  baseUrl?: string;
  /** The policy, waivers and strictness the plan was checked with (saved with the plan). */
  policy?: Policy;
  waivers: Waiver[];
  strictPolicy: boolean;
}

export async function computePlan(options: ComputePlanOptions): Promise<ComputedPlan> {
  const scope = scopeOf(options.catalog);
  // Each plan is compared as soon as its reads are in, while the others are still on the wire (the comparison of
  // 500 plans, done after the last answer, added a third of a second to every plan run); diffCatalog uses these.
  const desired = new Map(options.catalog.plans.map((plan) => [plan.identifier, plan]));
  const parts = new Map<string, PlanPart>();
  let lookups: PlanLookups | undefined;
  const compare = (identifier: string, livePlan: LivePlan, state: LiveState) => {
    const plan = desired.get(identifier);
    if (!plan) return;
    lookups ??= lookupsOf(state);
    try {
      parts.set(identifier, diffOnePlan(plan, livePlan, lookups));
    } catch {
      // Compared again in diffCatalog, which then reports what went wrong.
    }
  };
  // Compared a few milliseconds at a time, then the event loop's turn: when the catalog arrives after hundreds of
  // plans were read (the reads started before the parse), comparing that backlog in one go stalled every
  // response for a quarter of a second, and with them the next requests.
  const backlog: Array<Parameters<typeof compare>> = [];
  let next = 0;
  let scheduled = false;
  const compareSome = () => {
    const until = performance.now() + 5;
    while (next < backlog.length && performance.now() < until) compare(...backlog[next++]!);
    scheduled = next < backlog.length;
    if (scheduled) setImmediate(compareSome);
  };
  const onPlanComplete = (...args: Parameters<typeof compare>) => {
    backlog.push(args);
    if (!scheduled) {
      scheduled = true;
      setImmediate(compareSome);
    }
  };
  const live = await fetchLiveState(options.client, scope, { subscriptions: true, early: options.early, onPlanComplete });
  while (next < backlog.length) compare(...backlog[next++]!); // what is left: nothing is on the wire any more
  return planAgainst({ ...options, live, scope, baseUrl: options.client.baseUrl, planParts: parts });
}

export interface PlanAgainstOptions extends Omit<ComputePlanOptions, 'client'> {
  /** A snapshot fetched with a scope that covers the catalog's (a FULL_SCOPE snapshot always does). */
  live: LiveState;
  scope: LiveScope;
  /** Where the snapshot was read; binds the fingerprint to it. */
  baseUrl?: string;
  /** Plans already compared against this snapshot while it was read (see computePlan). */
  planParts?: ReadonlyMap<string, PlanPart>;
}

/** The plan for a catalog against a snapshot already in hand (promote fetches both environments at once). */
export function planAgainst(options: PlanAgainstOptions): ComputedPlan {
  const { live, scope } = options;
  const diff = diffCatalog(options.catalog, live, options.planParts);
  const plan = buildPlan({
    catalog: options.catalog,
    live,
    diff,
    decisions: { ...DEFAULT_DECISIONS, ...options.decisions },
    environment: options.environment,
    locate: options.locate,
  });
  plan.impact = planImpact(plan, live);
  const waivers = options.waivers ?? [];
  const strictPolicy = Boolean(options.strictPolicy);
  if (options.policy) {
    plan.policy = evaluatePolicy({ catalog: options.catalog, policy: options.policy, live, plan, waivers, strict: strictPolicy, locate: options.locate });
  }
  let fingerprint: string | undefined;
  return {
    plan,
    catalog: options.catalog,
    live,
    diff,
    scope,
    environment: options.environment,
    baseUrl: options.baseUrl,
    ...(options.policy ? { policy: options.policy } : {}),
    waivers,
    strictPolicy,
    get fingerprint() {
      if (options.baseUrl === undefined) throw new Error('a plan computed without a base URL has no fingerprint');
      fingerprint ??= fingerprintLiveState(live, { baseUrl: options.baseUrl, environment: options.environment });
      return fingerprint;
    },
  };
}

/** Errors in the plan, or a policy that stops it (an error violation; with --strict-policy, a rule not evaluated). */
export function hasErrors(plan: ChangePlan): boolean {
  return plan.messages.some((message) => message.severity === 'error') || policyBlocks(plan.policy);
}

// ---- saved plans

export const PLAN_FILE_FORMAT = 'kelviq-catalog-plan';
/**
 * 2: the file carries the desired state (`catalog`) it was computed from, and apply recomputes the plan from it
 * instead of executing `plan.actions` as written; the fingerprint is bound to the target. `scope` is gone (it is
 * derived from the catalog). Version 1 files are refused: they cannot be checked.
 */
export const PLAN_FILE_VERSION = 2;

export interface SavedPlan {
  format: typeof PLAN_FILE_FORMAT;
  formatVersion: typeof PLAN_FILE_VERSION;
  createdAt: string;
  environment: 'sandbox' | 'production';
  /** Where the plan was computed (no credentials: keys are never part of a URL here). Apply checks its origin. */
  baseUrl: string;
  /** Of the live state the plan was computed from, bound to `baseUrl`'s origin and `environment`. */
  fingerprint: string;
  /** The desired state the plan was computed from: apply recomputes the plan from it. */
  catalog: Catalog;
  /** What was reviewed. Its `decisions` are the inputs of the recomputation; its `actions` must come out of it. */
  plan: ChangePlan;
  /** The catalog's policy, checked again on apply (rules keep where they are written). */
  policy?: Policy;
  /** The `--allow` waivers the plan was made with, as given (`max-price-change:pro`): apply uses them, no flag needed. */
  waivers?: string[];
  /** Made with `--strict-policy`. */
  strictPolicy?: boolean;
}

export function toSavedPlan(computed: ComputedPlan, baseUrl: string): SavedPlan {
  return {
    format: PLAN_FILE_FORMAT,
    formatVersion: PLAN_FILE_VERSION,
    createdAt: new Date().toISOString(),
    environment: computed.environment,
    baseUrl,
    fingerprint: computed.fingerprint,
    catalog: computed.catalog,
    plan: computed.plan,
    ...(computed.policy ? { policy: computed.policy } : {}),
    waivers: computed.waivers.map((waiver) => waiver.flag.replace(/^--allow /, '')),
    strictPolicy: computed.strictPolicy,
  };
}

/** A saved plan that cannot be applied as it stands: stale, for another target, edited, or not a plan file. */
export class StalePlanError extends Error {
  override name = 'StalePlanError';
}

const decisionsSchema = z.strictObject({
  publish: z.boolean(),
  migrateFeatures: z.boolean(),
  migratePricing: z.boolean(),
  prune: z.boolean(),
  allowProdPrune: z.boolean(),
});

// The actions are only compared with the recomputed ones (never executed as written), so their shape is checked
// just enough to say clearly what is wrong with a damaged file.
const savedPlanSchema = z.object({
  format: z.literal(PLAN_FILE_FORMAT),
  formatVersion: z.literal(PLAN_FILE_VERSION),
  createdAt: z.string(),
  environment: z.enum(['sandbox', 'production']),
  baseUrl: z.string().refine((value) => URL.canParse(value), 'not a URL'),
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'not a sha256 fingerprint'),
  catalog: z.object({
    products: z.array(z.looseObject({ identifier: z.string() })),
    features: z.array(z.looseObject({ identifier: z.string() })),
    plans: z.array(z.looseObject({ identifier: z.string(), product: z.string() })),
  }),
  plan: z.looseObject({
    actions: z.array(z.looseObject({ id: z.string(), kind: z.string(), dependsOn: z.array(z.string()) })),
    decisions: decisionsSchema,
  }),
  policy: z.unknown().optional(),
  waivers: z.array(z.string()).optional(),
  strictPolicy: z.boolean().optional(),
});

/**
 * The saved policy, checked with the catalog format's own rule schemas (plus where each rule is written), so a
 * damaged or edited file cannot hand the evaluation a rule it does not know.
 */
function checkSavedPolicy(saved: unknown, source: string): Policy | undefined {
  if (saved === undefined) return undefined;
  const rules = (saved as { rules?: unknown })?.rules;
  const stripped = Array.isArray(rules) ? { rules: rules.map((rule) => (rule && typeof rule === 'object' ? Object.fromEntries(Object.entries(rule).filter(([key]) => key !== 'where')) : rule)) } : saved;
  const parsed = policyInput.safeParse(stripped);
  if (!parsed.success || !Array.isArray(rules)) throw new StalePlanError(`${source} is not a valid saved plan: its policy is not one kelviq-catalog writes.`);
  return {
    rules: (parsed.data.rules as Policy['rules']).map((rule, index) => {
      const where = (rules[index] as { where?: unknown }).where;
      return typeof where === 'string' ? { ...rule, where } : rule;
    }),
  };
}

export function parseSavedPlan(text: string, source: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StalePlanError(`${source} is not a saved plan (not JSON): apply PLANFILE takes a file written by \`kelviq-catalog plan --out FILE\`; to apply a catalog, use --catalog PATH.`);
  }
  const head = (data ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (typeof data !== 'object' || Array.isArray(data) || head.format !== PLAN_FILE_FORMAT) {
    throw new StalePlanError(`${source} is not a kelviq-catalog plan file.`);
  }
  if (head.formatVersion !== PLAN_FILE_VERSION) {
    throw new StalePlanError(
      `${source} has plan format version ${String(head.formatVersion)}; this kelviq-catalog reads version ${PLAN_FILE_VERSION}. Run plan --out again.`,
    );
  }
  const parsed = savedPlanSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new StalePlanError(`${source} is not a valid saved plan: ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  const plan = data as SavedPlan;
  const policy = checkSavedPolicy(plan.policy, source);
  try {
    parseWaivers(plan.waivers);
  } catch (error) {
    throw new StalePlanError(`${source} is not a valid saved plan: ${(error as Error).message}`);
  }
  return { ...plan, ...(policy ? { policy } : {}) };
}

/**
 * Makes a saved plan evidence rather than a script: checks that it targets this environment and API host,
 * re-reads the live state, refuses if it changed since, recomputes the plan from the saved catalog and decisions,
 * and refuses unless the recomputed actions are exactly the saved ones. Returns the recomputed plan, which is
 * what gets shown and executed (a file edited to add, drop or alter an action is refused, not run).
 */
export async function verifySavedPlan(saved: SavedPlan, client: KelviqClient, environment: 'sandbox' | 'production'): Promise<ComputedPlan> {
  if (saved.environment !== environment) {
    throw new StalePlanError(`the plan was made for ${saved.environment} but this run targets ${environment}${environment === 'sandbox' ? ' (add --prod?)' : ''}.`);
  }
  const savedOrigin = new URL(saved.baseUrl).origin;
  const targetOrigin = new URL(client.baseUrl).origin;
  if (savedOrigin !== targetOrigin) {
    throw new StalePlanError(`the plan was made against ${savedOrigin} but this run targets ${targetOrigin}; run plan against this target.`);
  }
  const catalog = await checkSavedCatalog(saved.catalog);
  const computed = await computePlan({
    client,
    catalog,
    environment,
    decisions: saved.plan.decisions,
    policy: saved.policy,
    waivers: parseWaivers(saved.waivers),
    strictPolicy: saved.strictPolicy,
  });
  if (computed.fingerprint !== saved.fingerprint) {
    throw new StalePlanError(
      `the live catalog changed since the plan was made (${saved.createdAt}); refusing to apply a stale plan. Run plan again and review the new plan.`,
    );
  }
  if (canonicalJson(computed.plan.actions) !== canonicalJson(saved.plan.actions)) {
    throw new StalePlanError(
      `the plan file's actions are not what its catalog and decisions produce against the live state (${describeActionMismatch(saved.plan.actions, computed.plan.actions)}); the file was edited after it was made. Refusing to apply it; run plan again and review the new plan.`,
    );
  }
  if (hasErrors(computed.plan)) {
    const errors = computed.plan.messages.filter((m) => m.severity === 'error').map((m) => m.message);
    if (policyBlocks(computed.plan.policy)) errors.push(`it breaks its policy (${policyBlockSummary(computed.plan.policy!)}) with the waivers it was made with`);
    throw new StalePlanError(`the plan has errors: ${errors.join('; ')}`);
  }
  return computed;
}

/**
 * The saved catalog must be one the loader produces: it is run through the same loader and rules as catalog
 * files (every validation a plan from files had), and must come out unchanged. A file edited to hold a catalog
 * no file could express is refused here, before it can reach the differ or the planner.
 */
async function checkSavedCatalog(saved: Catalog): Promise<Catalog> {
  const folder = await mkdtemp(join(tmpdir(), 'kelviq-saved-catalog-'));
  try {
    // JSON is YAML: the model is written as it was saved, with nothing re-encoded.
    await writeFile(join(folder, 'catalog.yaml'), JSON.stringify(saved), { mode: 0o600 });
    const loaded = await loadCatalog(folder, { limits: { maxFileBytes: DEFAULT_LIMITS.maxTotalBytes } });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.catalog || errors.length) {
      const shown = errors.slice(0, 3).map((d) => d.message).join('; ');
      throw new StalePlanError(`the plan file's catalog is not valid (${shown}${errors.length > 3 ? '; …' : ''}); the file was edited or is damaged. Run plan again.`);
    }
    if (canonicalJson(loaded.catalog) !== canonicalJson(saved)) {
      throw new StalePlanError(`the plan file's catalog is not in the form kelviq-catalog saves; the file was edited after it was made. Run plan again.`);
    }
    return loaded.catalog;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function describeActionMismatch(saved: Array<{ id: string }>, computed: Action[]): string {
  const savedIds = new Set(saved.map((action) => action.id));
  const computedIds = new Set(computed.map((action) => action.id));
  const extra = [...savedIds].filter((id) => !computedIds.has(id));
  const missing = [...computedIds].filter((id) => !savedIds.has(id));
  const parts: string[] = [];
  if (extra.length) parts.push(`not in the recomputed plan: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`);
  if (missing.length) parts.push(`missing from the file: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  return parts.length ? parts.join('; ') : 'the same actions with different contents or order';
}
