/**
 * The live side of a diff: a snapshot of the Kelviq catalog, fetched with the fewest requests the API allows.
 *
 * Request budget: one paginated list each for products, features and plans; settings only for products whose
 * settings the catalog manages; entitlements and prices only for plans whose entitlements / prices the catalog
 * manages; and, for a plan whose newest version is a draft over a published one, that published version's row,
 * entitlements and prices, so a plan can show what customers see next to what is pending; when asked for
 * (customer impact), one paginated subscriptions list, only if some plan of the scope has a published version.
 * All of it runs concurrently within the client's limiter.
 */
import { createHash } from 'node:crypto';
import { KelviqApiError, type KelviqClient } from '../client/index.js';
import type {
  EntitlementWire,
  FeatureWire,
  PlanWire,
  PriceWire,
  ProductSettingsWire,
  ProductWire,
} from '../client/wire.js';
import type { Catalog } from '../schema/model.js';
import type { CatalogOutline } from '../schema/load/outline.js';
import { canonicalJson } from './canonical-json.js';

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

/**
 * How many customers each plan holds now: active and trialing subscriptions, by plan identifier (the spec's
 * Subscription names its plan by identifier only, so a count is per plan, not per version). `read: false` when the
 * list could not be read (a key that may not list subscriptions answers 403): customer impact is then unknown,
 * which never fails a plan. Not part of the fingerprint: subscriptions come and go without the catalog changing.
 */
export type SubscriptionCounts =
  | { read: true; byPlan: Map<string, { active: number; trialing: number }> }
  | { read: false; reason: string; status?: number };

export interface LiveState {
  products: Map<string, { product: ProductWire; settings?: ProductSettingsWire }>;
  features: Map<string, FeatureWire>;
  plans: Map<string, LivePlan>;
  /** Feature UUID → identifier, for price charges (which reference features by UUID). */
  featureIdentifierById: Map<string, string>;
  /**
   * Catalog plan identifiers the list leaves out but Kelviq still holds (a GET by identifier answers): archived
   * plans keep their identifier, so such a plan cannot be created again. Absent when not looked up.
   */
  heldPlans?: Map<string, PlanWire>;
  /** Absent when not asked for, or when no plan the scope covers has a published version (none has customers). */
  subscriptions?: SubscriptionCounts;
}

/** What to fetch beyond the three lists. Derivable from a catalog, and saved in plan files for re-checks. */
export interface LiveScope {
  productSettings: string[];
  planEntitlements: string[];
  planPrices: string[];
  /**
   * The catalog's plan identifiers. One the list leaves out (a plan to create) is looked up by identifier, once:
   * the list hides archived plans, whose identifiers stay taken.
   */
  plans?: string[];
}

export function scopeOf(catalog: Catalog): LiveScope {
  return scopeFrom(
    catalog.products.map((p) => ({ identifier: p.identifier, settings: p.settings !== undefined })),
    catalog.plans.map((p) => ({ identifier: p.identifier, entitlements: p.entitlements !== undefined, prices: p.prices !== undefined })),
  );
}

/** The scope a catalog's text outline stands for: what scopeOf gives for the parsed catalog, when the outline is right. */
export function scopeOfOutline(outline: CatalogOutline): LiveScope {
  return scopeFrom(outline.products, outline.plans);
}

/** What a catalog manages, item by item (a key present is managed), as the reads it takes. */
function scopeFrom(products: CatalogOutline['products'], plans: CatalogOutline['plans']): LiveScope {
  return {
    productSettings: products.filter((p) => p.settings).map((p) => p.identifier).sort(),
    planEntitlements: plans.filter((p) => p.entitlements).map((p) => p.identifier).sort(),
    planPrices: plans.filter((p) => p.prices).map((p) => p.identifier).sort(),
    plans: plans.map((p) => p.identifier).sort(),
  };
}

const sameList = (a: string[] | undefined, b: string[] | undefined) => a === b || (!!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]));

function sameScope(a: LiveScope, b: LiveScope): boolean {
  return sameList(a.productSettings, b.productSettings) && sameList(a.planEntitlements, b.planEntitlements) && sameList(a.planPrices, b.planPrices) && sameList(a.plans, b.plans);
}

/** Scope that fetches everything (pull, drift of a whole account). */
export const FULL_SCOPE = Symbol('full-scope');

export interface FetchOptions {
  /**
   * Also read how many customers the plans hold (GET /subscriptions/, one paginated list per run) for customer
   * impact. It starts as soon as the plan list shows a plan of the scope with a published version, concurrently
   * with the per-plan reads, so it adds requests but no wall time; it is skipped when no such plan exists (a plan
   * never published has no customers). Reading it only for plans the run turns out to change would have to wait
   * for the diff, one more round trip for every plan run.
   */
  subscriptions?: boolean;
  /**
   * Reads already started with `startLiveReads` on the same client (the CLI starts them before it parses the
   * catalog, so they run while it parses): the three lists, and the fetch of a guessed scope, which is taken
   * over when the guess is this scope. The lists are started here when absent.
   */
  early?: LiveReads;
  /**
   * Called for each plan of the list once all of its reads are in, and once the product and feature lists are
   * complete (so that what refers to them by UUID can be resolved): its part of the snapshot will not change.
   * Lets a caller work on it while other plans are still being read. Never for a read that failed.
   */
  onPlanComplete?: (identifier: string, plan: LivePlan, state: LiveState) => void;
}

/**
 * A list being read: its pages are kept, replayed to each subscriber, then passed on as they arrive (a fetch
 * for a guessed scope subscribes first; when the guess was wrong, the fetch for the real one subscribes too).
 */
export interface PageFeed<T> {
  /** Calls `onPage` with every page, those already read first; resolves to the whole list (or its error). */
  subscribe(onPage?: (items: T[]) => void): Promise<T[]>;
}

function pageFeed<T>(read: (onPage: (items: T[]) => void) => Promise<T[]>): PageFeed<T> {
  const pages: T[][] = [];
  const listeners: Array<(items: T[]) => void> = [];
  const all = read((items) => {
    pages.push(items);
    for (const listener of listeners) listener(items);
  });
  // Nobody may ever subscribe (the catalog turned out invalid): the list's failure is not an unhandled rejection.
  all.catch(() => {});
  return {
    subscribe(onPage) {
      if (onPage) {
        for (const page of pages) onPage(page);
        listeners.push(onPage);
      }
      return all;
    },
  };
}

type PlanCompleteListener = NonNullable<FetchOptions['onPlanComplete']>;

/** Plans completed before anyone listened, kept and replayed to the one listener that comes. */
function completionFeed() {
  const held: Array<Parameters<PlanCompleteListener>> = [];
  let listener: PlanCompleteListener | undefined;
  return {
    push: ((...args) => (listener ? listener(...args) : void held.push(args))) as PlanCompleteListener,
    listen(onPlanComplete: PlanCompleteListener) {
      listener = onPlanComplete;
      for (const args of held.splice(0)) onPlanComplete(...args);
    },
  };
}

/**
 * Live reads started before the catalog is parsed (see startLiveReads): the three lists, and, when the catalog's
 * text could be outlined, the whole fetch for the scope the outline stands for.
 */
export interface LiveReads {
  lists: LiveLists;
  /**
   * Starts every read of `scope` now, as the list pages arrive (those already in first): the scope of the
   * catalog's text outline (see scopeOfOutline), before the catalog is parsed. Once per LiveReads.
   */
  guess(scope: LiveScope, options?: { subscriptions?: boolean }): void;
  guessed?: {
    scope: LiveScope;
    subscriptions: boolean;
    state: Promise<LiveState>;
    completions: ReturnType<typeof completionFeed>;
  };
}

/** The reads that do not depend on the catalog: products, features and plans, each one paginated list. */
export interface LiveLists {
  products: PageFeed<ProductWire>;
  features: PageFeed<FeatureWire>;
  plans: PageFeed<PlanWire>;
}

/**
 * Starts the live reads now, before the catalog is parsed. The three lists do not depend on the catalog. The
 * rest of the snapshot (settings, entitlements, prices, the published versions of drafts, archived plans)
 * depends on its scope: `guess` starts all of it too, for the scope read from the catalog's text.
 * `fetchLiveState` with `early` takes that fetch over when the parsed catalog's scope is the guess; otherwise
 * it continues from the lists alone, and the guessed reads the real scope also needs are made again (a guess is
 * only wrong when the outline has a bug: it declines whatever it cannot read for sure).
 */
export function startLiveReads(client: KelviqClient): LiveReads {
  const lists: LiveLists = {
    products: pageFeed((onPage) => client.listProducts({ onPage })),
    features: pageFeed(() => client.listFeatures()),
    plans: pageFeed((onPage) => client.listPlans({ onPage })),
  };
  const reads: LiveReads = {
    lists,
    guess(scope, options = {}) {
      if (reads.guessed) throw new Error('a live scope is guessed once');
      const completions = completionFeed();
      const subscriptions = Boolean(options.subscriptions);
      // Nothing is guessed yet, so this fetch continues from the lists rather than taking over.
      const state = fetchLiveState(client, scope, { subscriptions, early: reads, onPlanComplete: completions.push });
      // Never taken over (the catalog turned out invalid, or has another scope): no unhandled rejection.
      state.catch(() => {});
      reads.guessed = { scope, subscriptions, state, completions };
    },
  };
  return reads;
}

export async function fetchLiveState(client: KelviqClient, scope: LiveScope | typeof FULL_SCOPE, options: FetchOptions = {}): Promise<LiveState> {
  const guessed = options.early?.guessed;
  if (guessed && scope !== FULL_SCOPE && guessed.subscriptions === Boolean(options.subscriptions) && sameScope(guessed.scope, scope)) {
    // The reads this fetch would make are those already under way: take them over, with the plans they completed.
    options.early!.guessed = undefined;
    if (options.onPlanComplete) guessed.completions.listen(options.onPlanComplete);
    return guessed.state;
  }
  // Sets, not list.includes: with thousands of plans, a scan per plan and list was quadratic.
  const sets = new Map<string[], Set<string>>();
  const wants = (list: string[], identifier: string) => {
    if (scope === FULL_SCOPE) return true;
    let set = sets.get(list);
    if (!set) sets.set(list, (set = new Set(list)));
    return set.has(identifier);
  };
  const state: LiveState = { products: new Map(), features: new Map(), plans: new Map(), featureIdentifierById: new Map() };
  const work: Array<Promise<void>> = [];
  // If a list fails midway, requests already started from earlier pages must not become unhandled rejections
  // (which would crash the process); the list's own error is the one reported.
  const track = (request: Promise<void>) => {
    request.catch(() => {});
    work.push(request);
  };
  let subscriptionsStarted = !options.subscriptions;
  const readSubscriptions = () => {
    subscriptionsStarted = true;
    // Never rejects: a failure (403 for a key without that permission, anything else) makes impact unknown.
    track(
      countSubscriptions(client).then(
        (counts) => void (state.subscriptions = counts),
        (error: unknown) => {
          const status = error instanceof KelviqApiError ? error.status : undefined;
          const reason =
            status === 403
              ? 'the API key may not list subscriptions (GET /subscriptions/ answered 403)'
              : `reading subscriptions failed: ${error instanceof Error ? error.message : String(error)}`;
          state.subscriptions = { read: false, reason, ...(status === undefined ? {} : { status }) };
        },
      ),
    );
  };

  // Dependent requests start from each page as it arrives rather than after the whole list: with hundreds of
  // plans the pipe to the API stays full from the first answer on.
  const onProducts = (products: ProductWire[]) => {
    for (const product of products) {
      const entry: { product: ProductWire; settings?: ProductSettingsWire } = { product };
      state.products.set(product.identifier, entry);
      if (scope === FULL_SCOPE || wants(scope.productSettings, product.identifier)) {
        track(client.getProductSettings(product.id).then((settings) => void (entry.settings = settings)));
      }
    }
  };
  // Plans whose reads are all in, held back until the product and feature lists are complete.
  const onPlanComplete = options.onPlanComplete;
  let listsComplete = false;
  const heldBack: Array<[string, LivePlan]> = [];
  const completed = (identifier: string, livePlan: LivePlan) => {
    if (!onPlanComplete) return;
    if (listsComplete) onPlanComplete(identifier, livePlan, state);
    else heldBack.push([identifier, livePlan]);
  };

  const onPlans = (plans: PlanWire[]) => {
    for (const plan of plans) {
      const livePlan: LivePlan = { newest: { plan } };
      state.plans.set(plan.identifier, livePlan);
      let pending = 1;
      const settle = () => void (--pending === 0 && completed(plan.identifier, livePlan));
      // A read of this plan: tracked like every read, and counted, so the plan is complete when the last one is in.
      const trackPlanRead = (request: Promise<void>) => {
        pending += 1;
        track(request.then(settle));
      };
      const inScope = scope === FULL_SCOPE || !scope.plans || wants(scope.plans, plan.identifier);
      if (!subscriptionsStarted && inScope && planStatus(plan) !== 'unpublished') readSubscriptions();
      const fetchEntitlements = scope === FULL_SCOPE || wants(scope.planEntitlements, plan.identifier);
      const fetchPrices = scope === FULL_SCOPE || wants(scope.planPrices, plan.identifier);
      // Newest version: the list endpoints default to it, so no ?version is needed.
      if (fetchEntitlements) trackPlanRead(client.listEntitlements(plan.identifier).then((e) => void (livePlan.newest.entitlements = e)));
      if (fetchPrices) trackPlanRead(client.listPrices(plan.identifier).then((p) => void (livePlan.newest.prices = p)));
      if (planStatus(plan) === 'pending-draft') {
        // Drafts are only ever created as N+1 over the published N, so the published version is the one below.
        const version = plan.version - 1;
        const published: LivePlanVersion = { plan };
        livePlan.published = published;
        trackPlanRead(client.getPlan(plan.identifier, { version }).then((p) => void (published.plan = p)));
        if (fetchEntitlements) trackPlanRead(client.listEntitlements(plan.identifier, { version }).then((e) => void (published.entitlements = e)));
        if (fetchPrices) trackPlanRead(client.listPrices(plan.identifier, { version }).then((p) => void (published.prices = p)));
      }
      settle();
    }
  };

  const lists = options.early?.lists ?? startLiveReads(client).lists;
  const productsAndFeatures = Promise.all([lists.products.subscribe(onProducts), lists.features.subscribe()]).then(([, features]) => {
    for (const feature of features) {
      state.features.set(feature.identifier, feature);
      state.featureIdentifierById.set(feature.id, feature.identifier);
    }
    listsComplete = true;
    for (const [identifier, livePlan] of heldBack.splice(0)) onPlanComplete?.(identifier, livePlan, state);
  });
  await Promise.all([productsAndFeatures, lists.plans.subscribe(onPlans)]);
  if (scope !== FULL_SCOPE && scope.plans) {
    // Only plans the run would create: one GET each, and none at all when the catalog's plans all exist.
    const heldPlans = new Map<string, PlanWire>();
    state.heldPlans = heldPlans;
    for (const identifier of scope.plans) {
      if (state.plans.has(identifier)) continue;
      track(
        client.getPlan(identifier).then(
          (plan) => void heldPlans.set(identifier, plan),
          (error: unknown) => {
            if (!(error instanceof KelviqApiError && error.status === 404)) throw error;
          },
        ),
      );
    }
  }
  // `work` only grows while the lists are being read, so it is complete here.
  await Promise.all(work);
  return state;
}

/**
 * Active and trialing subscriptions per plan. Read without `status`: the spec's listSubscriptions says that with
 * a `status` filter (even `active,trialing`) the server skips its deduplication and returns matching records,
 * so a subscription that passed through a status more than once, or whose matching record was since
 * superseded, can appear more than once or in a state it is no longer in: a count built on it could be too high.
 * Without it the spec promises "exactly one row per subscription: its most recent state", which is counted here.
 */
async function countSubscriptions(client: KelviqClient): Promise<SubscriptionCounts> {
  const byPlan = new Map<string, { active: number; trialing: number }>();
  for (const subscription of await client.listSubscriptions()) {
    const status = subscription.status?.toLowerCase();
    const plan = subscription.plan?.identifier;
    if (!plan || (status !== 'active' && status !== 'trialing')) continue;
    const counts = byPlan.get(plan) ?? { active: 0, trialing: 0 };
    counts[status] += 1;
    byPlan.set(plan, counts);
  }
  return { read: true, byPlan };
}

/** What a fingerprint is bound to: the same live data in another account or environment is another state. */
export interface FingerprintTarget {
  /** The base URL the state was read from; only its origin counts (one account per API host and key). */
  baseUrl: string;
  environment: 'sandbox' | 'production';
}

/**
 * A fingerprint of everything the diff read, bound to where it was read. A saved plan carries it; apply
 * recomputes it and refuses to run a plan computed from a state that has changed since, or in another place.
 *
 * Computed on the RFC 8785 canonical form: the snapshot's objects get their keys in whatever order responses
 * arrived (a plan's prices may land before its entitlements, or after), so plain JSON.stringify would make an
 * unchanged state look changed at random. Without the target, every empty account would share one fingerprint
 * and a plan saved against an empty sandbox would pass the check against an empty production account.
 */
export function fingerprintLiveState(state: LiveState, target: FingerprintTarget): string {
  const hash = createHash('sha256');
  hash.update(
    canonicalJson({
      target: { origin: new URL(target.baseUrl).origin, environment: target.environment },
      products: state.products,
      features: state.features,
      plans: state.plans,
      heldPlans: state.heldPlans,
    }),
  );
  return `sha256:${hash.digest('hex')}`;
}
