/**
 * The live side of a diff: a snapshot of the Kelviq catalog, fetched with the fewest requests the API allows.
 *
 * Request budget: one paginated list each for products, features and plans; settings only for products whose
 * settings the catalog manages; entitlements and prices only for plans whose entitlements / prices the catalog
 * manages; and, for a plan whose newest version is a draft over a published one, that published version's row,
 * entitlements and prices, so a plan can show what customers see next to what is pending. All of it runs
 * concurrently within the client's limiter.
 */
import { createHash } from 'node:crypto';
import type { KelviqClient } from '../client/index.js';
import type {
  EntitlementWire,
  FeatureWire,
  PlanWire,
  PriceWire,
  ProductSettingsWire,
  ProductWire,
} from '../client/wire.js';
import type { Catalog } from '../schema/model.js';

export interface LivePlanVersion {
  plan: PlanWire;
  /** Undefined when not fetched (the catalog does not manage them). */
  entitlements?: EntitlementWire[];
  prices?: PriceWire[];
}

export interface LivePlan {
  /** The newest version: what writes go to. */
  newest: LivePlanVersion;
  /** The published version when the newest is a pending draft over it. */
  published?: LivePlanVersion;
}

export type PlanStatus = 'published' | 'pending-draft' | 'unpublished';

export function planStatus(plan: PlanWire): PlanStatus {
  if (plan.isLatest) return 'published';
  return plan.version > 1 ? 'pending-draft' : 'unpublished';
}

export interface LiveState {
  products: Map<string, { product: ProductWire; settings?: ProductSettingsWire }>;
  features: Map<string, FeatureWire>;
  plans: Map<string, LivePlan>;
  /** Feature UUID → identifier, for price charges (which reference features by UUID). */
  featureIdentifierById: Map<string, string>;
}

/** What to fetch beyond the three lists. Derivable from a catalog, and saved in plan files for re-checks. */
export interface LiveScope {
  productSettings: string[];
  planEntitlements: string[];
  planPrices: string[];
}

export function scopeOf(catalog: Catalog): LiveScope {
  return {
    productSettings: catalog.products.filter((p) => p.settings !== undefined).map((p) => p.identifier).sort(),
    planEntitlements: catalog.plans.filter((p) => p.entitlements !== undefined).map((p) => p.identifier).sort(),
    planPrices: catalog.plans.filter((p) => p.prices !== undefined).map((p) => p.identifier).sort(),
  };
}

/** Scope that fetches everything (pull, drift of a whole account). */
export const FULL_SCOPE = Symbol('full-scope');

export async function fetchLiveState(client: KelviqClient, scope: LiveScope | typeof FULL_SCOPE): Promise<LiveState> {
  const [products, features, plans] = await Promise.all([client.listProducts(), client.listFeatures(), client.listPlans()]);
  const wants = (list: string[], identifier: string) => scope === FULL_SCOPE || list.includes(identifier);

  const state: LiveState = {
    products: new Map(),
    features: new Map(features.map((f) => [f.identifier, f])),
    plans: new Map(),
    featureIdentifierById: new Map(features.map((f) => [f.id, f.identifier])),
  };

  const work: Array<Promise<void>> = [];
  for (const product of products) {
    const entry: { product: ProductWire; settings?: ProductSettingsWire } = { product };
    state.products.set(product.identifier, entry);
    if (scope === FULL_SCOPE || scope.productSettings.includes(product.identifier)) {
      work.push(client.getProductSettings(product.id).then((settings) => void (entry.settings = settings)));
    }
  }
  for (const plan of plans) {
    const livePlan: LivePlan = { newest: { plan } };
    state.plans.set(plan.identifier, livePlan);
    const fetchEntitlements = scope === FULL_SCOPE || wants(scope.planEntitlements, plan.identifier);
    const fetchPrices = scope === FULL_SCOPE || wants(scope.planPrices, plan.identifier);
    // Newest version: the list/prices endpoints default to it, so no ?version is needed.
    if (fetchEntitlements) {
      work.push(client.listEntitlements(plan.identifier).then((e) => void (livePlan.newest.entitlements = e)));
    }
    if (fetchPrices) {
      work.push(client.listPrices(plan.identifier).then((p) => void (livePlan.newest.prices = p)));
    }
    if (planStatus(plan) === 'pending-draft') {
      // Drafts are only ever created as N+1 over the published N, so the published version is the one below.
      const version = plan.version - 1;
      const published: LivePlanVersion = { plan };
      livePlan.published = published;
      work.push(client.getPlan(plan.identifier, { version }).then((p) => void (published.plan = p)));
      if (fetchEntitlements) {
        work.push(client.listEntitlements(plan.identifier, { version }).then((e) => void (published.entitlements = e)));
      }
      if (fetchPrices) {
        work.push(client.listPrices(plan.identifier, { version }).then((p) => void (published.prices = p)));
      }
    }
  }
  await Promise.all(work);
  return state;
}

/**
 * A fingerprint of everything the diff read. A saved plan carries it; apply recomputes it and refuses to run a
 * plan computed from a state that has changed since.
 */
export function fingerprintLiveState(state: LiveState): string {
  const hash = createHash('sha256');
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  hash.update(stableJson(sorted(state.products)));
  hash.update(stableJson(sorted(state.features)));
  hash.update(stableJson(sorted(state.plans)));
  return `sha256:${hash.digest('hex')}`;
}

/** JSON with object keys sorted, so equal data always hashes the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
