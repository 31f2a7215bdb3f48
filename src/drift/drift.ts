/**
 * Drift: how the live Kelviq catalog differs from the catalog files, seen the way customers see it (published
 * plan versions), plus what is pending, missing or undeclared. Pure once the live snapshot is in hand; built on
 * the same snapshot, normaliser and comparison as `plan`, so drift and plan never disagree about a value.
 *
 * Direction of every change in a report: `before` is the reference (the catalog's value, or for a draft's
 * `fromPublished` the published version's), `after` is what is live. `add` = live has something the catalog does
 * not declare (only inside complete sets: entitlements, prices, metadata), `remove` = the catalog declares
 * something live lacks.
 */
import type { KelviqClient } from '../client/index.js';
import { compareDocuments, documentChanges, type FieldChange } from '../diff/compare.js';
import { diffCatalog, lookupsOf } from '../diff/diff-catalog.js';
import { fetchLiveState, scopeOf, type LivePlanVersion, type LiveState } from '../diff/live-state.js';
import { comparablePlan, livePlanFor, type Comparable, type PlanLookups } from '../diff/normalize.js';
import type { Catalog, Plan } from '../schema/model.js';
import { driftImpact, type CustomerImpact } from '../apply/impact.js';

export type DriftCategory = 'changed-live' | 'pending-draft' | 'missing-live' | 'unmanaged-live';

/** Report order, and the order of the summary. */
export const DRIFT_CATEGORIES: readonly DriftCategory[] = ['changed-live', 'pending-draft', 'missing-live', 'unmanaged-live'];

export type DriftResourceKind = 'product' | 'feature' | 'plan';

const KIND_ORDER: Record<DriftResourceKind, number> = { product: 0, feature: 1, plan: 2 };

export interface DraftDrift {
  /** The unpublished version customers do not see. */
  version: number;
  /** The published version customers see; null when the plan was never published. */
  publishedVersion: number | null;
  /** Published version → draft (before = published, after = draft); null when never published. */
  fromPublished: FieldChange[] | null;
  /** Whether the draft already equals the catalog (then `apply --publish` only publishes it). */
  matchesCatalog: boolean;
}

export interface DriftItem {
  category: DriftCategory;
  kind: DriftResourceKind;
  identifier: string;
  /**
   * unmanaged-live only: whether the resource carries the `managed-by: kelviq-catalog` marker (created by this
   * tool, since removed from the catalog). Products carry no metadata and are never managed.
   */
  managed?: boolean;
  /** `file:line:col` where the catalog declares it (absent for unmanaged-live). */
  location?: string;
  /**
   * changed-live: catalog → published live values; pending-draft: catalog → the draft. Empty for missing-live and
   * unmanaged-live. Sorted by path.
   */
  changes: FieldChange[];
  /** pending-draft only. */
  draft?: DraftDrift;
}

export type DriftSummary = Record<DriftCategory, number> & { total: number };

export interface DriftReport {
  environment: 'sandbox' | 'production';
  /** Whether anything was found (after `ignoreUnmanaged`). */
  drift: boolean;
  summary: DriftSummary;
  /** Sorted: by category (DRIFT_CATEGORIES order), then kind (product, feature, plan), then identifier. */
  items: DriftItem[];
  /** Live resources without the managed-by marker left out because of `ignoreUnmanaged`. */
  ignoredUnmanaged: number;
  /** Declared resources left out of the comparison because Kelviq holds values the format cannot express. */
  warnings: string[];
  /** Customers on the reported plans that have a published version (effect `none`: drift changes nothing). */
  impact?: CustomerImpact;
}

export interface DriftOptions {
  environment: 'sandbox' | 'production';
  /** Leave out live resources the catalog does not declare and that do not carry the managed-by marker. */
  ignoreUnmanaged?: boolean;
  /** `file:line:col` of a catalog pointer (`/plans/pro`), for item locations. */
  locate?: (pointer: string) => string | undefined;
}

export interface DetectDriftOptions extends DriftOptions {
  client: KelviqClient;
  catalog: Catalog;
}

/** Fetches the live catalog (what the catalog's scope needs, published versions included) and computes drift. */
export async function detectDrift(options: DetectDriftOptions): Promise<DriftReport> {
  const live = await fetchLiveState(options.client, scopeOf(options.catalog), { subscriptions: true });
  return computeDrift(options.catalog, live, options);
}

/** Drift of a catalog against a live snapshot taken with (at least) the catalog's scope. */
export function computeDrift(catalog: Catalog, live: LiveState, options: DriftOptions): DriftReport {
  const diff = diffCatalog(catalog, live);
  const lookups = lookupsOf(live);
  const locate = options.locate ?? (() => undefined);
  const items: DriftItem[] = [];
  const declared = (kind: DriftResourceKind, identifier: string): Pick<DriftItem, 'kind' | 'identifier' | 'location'> => {
    const location = locate(`/${kind}s/${identifier}`);
    return location ? { kind, identifier, location } : { kind, identifier };
  };

  for (const product of diff.products) {
    if (product.id === undefined) items.push({ category: 'missing-live', ...declared('product', product.identifier), changes: [] });
    else if (product.changes.length) {
      items.push({ category: 'changed-live', ...declared('product', product.identifier), changes: fromCatalog(product.changes) });
    }
  }

  for (const feature of diff.features) {
    if (feature.id === undefined) items.push({ category: 'missing-live', ...declared('feature', feature.identifier), changes: [] });
    else if (feature.changes.length) {
      items.push({ category: 'changed-live', ...declared('feature', feature.identifier), changes: fromCatalog(feature.changes) });
    }
  }

  const plansByIdentifier = new Map(catalog.plans.map((plan) => [plan.identifier, plan]));
  for (const planDiff of diff.plans) {
    const desired = plansByIdentifier.get(planDiff.identifier) ?? planDiff.desired;
    const livePlan = live.plans.get(planDiff.identifier);
    if (!planDiff.live || !livePlan) {
      items.push({ category: 'missing-live', ...declared('plan', planDiff.identifier), changes: [] });
      continue;
    }
    const desiredDoc = comparablePlan(desired);
    // Every managed field counts here, ordering and product included: the plan's diff leaves those to its
    // problems because apply cannot change them, but they are still differences a customer can see.
    const catalogTo = (version: LivePlanVersion) =>
      fromCatalog(compareDocuments(liveDoc(desired, version, lookups), desiredDoc));
    const { status } = planDiff.live;
    const published = status === 'published' ? livePlan.newest : livePlan.published;

    if (published) {
      const changes = catalogTo(published);
      if (changes.length) items.push({ category: 'changed-live', ...declared('plan', planDiff.identifier), changes });
    }
    if (status !== 'published') {
      const changes = catalogTo(livePlan.newest);
      const fromPublished = published
        ? sortChanges(documentChanges(liveDoc(desired, published, lookups), liveDoc(desired, livePlan.newest, lookups)))
        : null;
      items.push({
        category: 'pending-draft',
        ...declared('plan', planDiff.identifier),
        changes,
        draft: {
          version: livePlan.newest.plan.version,
          publishedVersion: published ? published.plan.version : null,
          fromPublished,
          matchesCatalog: changes.length === 0,
        },
      });
    }
  }

  let ignoredUnmanaged = 0;
  for (const remote of diff.remoteOnly) {
    if (options.ignoreUnmanaged && !remote.managed) {
      ignoredUnmanaged += 1;
      continue;
    }
    items.push({ category: 'unmanaged-live', kind: remote.kind, identifier: remote.identifier, managed: remote.managed, changes: [] });
  }

  items.sort(
    (a, b) =>
      DRIFT_CATEGORIES.indexOf(a.category) - DRIFT_CATEGORIES.indexOf(b.category) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      compareText(a.identifier, b.identifier),
  );
  const summary = Object.fromEntries(DRIFT_CATEGORIES.map((category) => [category, 0])) as DriftSummary;
  for (const item of items) summary[item.category] += 1;
  summary.total = items.length;
  const warnings = diff.problems.filter((problem) => problem.code === 'unrepresentable').map((problem) => problem.message);
  const impact = driftImpact(items.filter((item) => item.kind === 'plan').map((item) => item.identifier), live);
  return { environment: options.environment, drift: items.length > 0, summary, items, ignoredUnmanaged, warnings, impact };
}

function liveDoc(desired: Plan, version: LivePlanVersion, lookups: PlanLookups): Comparable {
  return comparablePlan(livePlanFor(desired, version, lookups));
}

/**
 * The diff's changes say how to turn live into the catalog (before = live); drift says how live departs from the
 * catalog (before = catalog). Same facts, other direction.
 */
export function fromCatalog(changes: FieldChange[]): FieldChange[] {
  return sortChanges(
    changes.map((change): FieldChange => {
      if (change.kind === 'add') return { path: change.path, kind: 'remove', before: change.after };
      if (change.kind === 'remove') return { path: change.path, kind: 'add', after: change.before };
      return { path: change.path, kind: 'replace', before: change.after, after: change.before };
    }),
  );
}

function sortChanges(changes: FieldChange[]): FieldChange[] {
  return [...changes].sort((a, b) => comparePaths(a.path, b.path));
}

function comparePaths(a: string[], b: string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const left = a[index] ?? '';
    const right = b[index] ?? '';
    // List indexes (tiers, links) in numeric order.
    const order = /^\d+$/.test(left) && /^\d+$/.test(right) ? Number(left) - Number(right) : compareText(left, right);
    if (order) return order;
  }
  return a.length - b.length;
}

/** Locale-independent, so the order is the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
