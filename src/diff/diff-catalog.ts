/**
 * Desired catalog × live snapshot → per-resource differences. Pure: no I/O, no decisions about what to do
 * (that is the planner's job); it only says what differs, what cannot be changed through the API, and what
 * exists live but not in the catalog.
 */
import type { Catalog, Feature, Plan, Product } from '../schema/model.js';
import { compareDocuments, type FieldChange } from './compare.js';
import { planStatus, type LivePlan, type LiveState, type PlanStatus } from './live-state.js';
import {
  comparableFeature,
  comparablePlan,
  comparableProduct,
  isManaged,
  liveFeatureToModel,
  alignedTo,
  livePlanToModel,
  liveProductToModel,
  type PlanLookups,
} from './normalize.js';
import { describeIssues, formatIssues, isPlanReferenceIssue, type ValueIssue } from './project.js';
import { featureInput } from '../schema/format/feature.js';
import { planInput } from '../schema/format/plan.js';
import { productInput } from '../schema/format/product.js';


export interface ProductDiff {
  identifier: string;
  desired: Product;
  /** Live UUID; undefined when the product does not exist yet. */
  id?: string;
  changes: FieldChange[];
}

export interface FeatureDiff {
  identifier: string;
  desired: Feature;
  id?: string;
  changes: FieldChange[];
}

export interface PlanDiff {
  identifier: string;
  desired: Plan;
  /** Undefined when the plan does not exist yet. */
  live?: {
    status: PlanStatus;
    /** Newest version number (the one writes go to). */
    version: number;
    /** Published version number, if any. */
    publishedVersion?: number;
    /** Whether the live plan carries the managed-by marker. */
    managed: boolean;
    /** Desired vs the published version: what customers would see change once published. */
    changesFromPublished?: FieldChange[];
  };
  /** Desired vs the newest version. */
  changes: FieldChange[];
}

export interface DiffProblem {
  severity: 'error' | 'warning';
  /**
   * `unrepresentable`: the live resource holds values the format cannot express and is left alone.
   * `unappliable`: the catalog differs from Kelviq in a way no API call can change (a plan's ordering).
   */
  code?: 'unrepresentable' | 'unappliable';
  resource: { kind: 'product' | 'feature' | 'plan'; identifier: string };
  /** The catalog field the problem is about, for locating it in a file (`/plans/pro/ordering`). */
  pointer: string;
  message: string;
}

export interface RemoteOnly {
  kind: 'product' | 'feature' | 'plan';
  identifier: string;
  /** Carries the managed-by marker (created by this tool). Products have no metadata: never managed. */
  managed: boolean;
  id?: string;
}

export interface CatalogDiff {
  products: ProductDiff[];
  features: FeatureDiff[];
  /** Declared plans, less those whose live side the format cannot express (reported in `problems`, left alone). */
  plans: PlanDiff[];
  remoteOnly: RemoteOnly[];
  problems: DiffProblem[];
}

export function lookupsOf(live: LiveState): PlanLookups {
  return {
    productIdentifierById: new Map([...live.products.values()].map(({ product }) => [product.id, product.identifier])),
    featureIdentifierById: live.featureIdentifierById,
  };
}

/**
 * A live resource holding a value the format cannot express (an enum value the spec lacks, a shape it does not
 * know) cannot be compared faithfully: it is reported and left exactly as it is, never rewritten from a guess.
 */
function unrepresentableIn(problems: DiffProblem[], kind: 'product' | 'feature' | 'plan', identifier: string, issues: ValueIssue[]): boolean {
  if (!issues.length) return false;
  problems.push({
    severity: 'warning',
    code: 'unrepresentable',
    resource: { kind, identifier },
    pointer: `/${kind}s/${identifier}`,
    message: `${kind} ${identifier} is left as it is in Kelviq: it holds values the catalog format cannot express (${describeIssues(issues)}). Change it in the dashboard, or upgrade kelviq-catalog if it now knows them.`,
  });
  return true;
}

/** What one declared plan contributes to a CatalogDiff: it depends on that plan's live side and the lookups alone. */
export interface PlanPart {
  /** The live side it was computed from (undefined: the plan does not exist). */
  livePlan: LivePlan | undefined;
  /** Undefined when the live plan cannot be expressed in the format (a problem says so). */
  diff?: PlanDiff;
  problems: DiffProblem[];
}

export function diffOnePlan(plan: Plan, livePlan: LivePlan | undefined, lookups: PlanLookups): PlanPart {
  const problems: DiffProblem[] = [];
  if (!livePlan) return { livePlan, diff: diffPlan(plan, undefined, problems), problems };
  // Each live version is normalised once, then checked and compared.
  const newest = livePlanToModel(livePlan.newest, lookups);
  const published = livePlan.published && livePlanToModel(livePlan.published, lookups);
  const issues = [newest, ...(published ? [published] : [])].flatMap((model) => formatIssues(planInput, model, isPlanReferenceIssue));
  if (unrepresentableIn(problems, 'plan', plan.identifier, issues)) return { livePlan, problems };
  return { livePlan, diff: diffPlan(plan, { livePlan, newest, published }, problems), problems };
}

/**
 * `parts`: plans already compared while the rest of the snapshot was being read (see computePlan); each is used
 * only if it was computed from the live plan the snapshot holds, and the result is the same as without them.
 */
export function diffCatalog(desired: Catalog, live: LiveState, parts?: ReadonlyMap<string, PlanPart>): CatalogDiff {
  const problems: DiffProblem[] = [];
  const lookups = lookupsOf(live);
  const unrepresentable = (kind: 'product' | 'feature' | 'plan', identifier: string, issues: ValueIssue[]) => unrepresentableIn(problems, kind, identifier, issues);

  const products = desired.products.map((product): ProductDiff => {
    const entry = live.products.get(product.identifier);
    if (!entry) return { identifier: product.identifier, desired: product, changes: compareDocuments(undefined, comparableProduct(product)) };
    const liveModel = liveProductToModel(entry.product, entry.settings);
    if (unrepresentable('product', product.identifier, formatIssues(productInput, liveModel))) {
      return { identifier: product.identifier, desired: product, id: entry.product.id, changes: [] };
    }
    const changes = compareDocuments(comparableProduct(liveModel), comparableProduct(product));
    return { identifier: product.identifier, desired: product, id: entry.product.id, changes };
  });

  const features = desired.features.map((feature): FeatureDiff => {
    const liveFeature = live.features.get(feature.identifier);
    if (!liveFeature) return { identifier: feature.identifier, desired: feature, changes: compareDocuments(undefined, comparableFeature(feature)) };
    const liveModel = liveFeatureToModel(liveFeature);
    if (unrepresentable('feature', feature.identifier, formatIssues(featureInput, liveModel))) {
      return { identifier: feature.identifier, desired: feature, id: liveFeature.id, changes: [] };
    }
    const changes = compareDocuments(comparableFeature(liveModel), comparableFeature(feature));
    if (changes.length) {
      problems.push({
        severity: 'error',
        resource: { kind: 'feature', identifier: feature.identifier },
        pointer: `/features/${feature.identifier}/${changes[0]?.path[0] ?? ''}`,
        message:
          `feature ${feature.identifier}: ${changes.map((c) => c.path.join('.')).join(', ')} ${changes.length === 1 ? 'differs' : 'differ'} from Kelviq, and Kelviq has no ` +
          `feature update endpoint (a feature is immutable once created). Revert the catalog to the live values, or ` +
          `archive the feature and declare a new one under a new identifier.`,
      });
    }
    return { identifier: feature.identifier, desired: feature, id: liveFeature.id, changes };
  });

  const plans = desired.plans.flatMap((plan) => {
    const livePlan = live.plans.get(plan.identifier);
    const early = parts?.get(plan.identifier);
    const part = early && early.livePlan === livePlan ? early : diffOnePlan(plan, livePlan, lookups);
    for (const problem of part.problems) problems.push(problem);
    return part.diff ? [part.diff] : [];
  });

  const remoteOnly: RemoteOnly[] = [];
  const declared = {
    product: new Set(desired.products.map((p) => p.identifier)),
    feature: new Set(desired.features.map((f) => f.identifier)),
    plan: new Set(desired.plans.map((p) => p.identifier)),
  };
  for (const { product } of live.products.values()) {
    if (!declared.product.has(product.identifier)) remoteOnly.push({ kind: 'product', identifier: product.identifier, managed: false, id: product.id });
  }
  for (const feature of live.features.values()) {
    if (!declared.feature.has(feature.identifier)) {
      remoteOnly.push({ kind: 'feature', identifier: feature.identifier, managed: isManaged(feature.metadata), id: feature.id });
    }
  }
  for (const { newest } of live.plans.values()) {
    if (!declared.plan.has(newest.plan.identifier)) {
      remoteOnly.push({ kind: 'plan', identifier: newest.plan.identifier, managed: isManaged(newest.plan.metadata) });
    }
  }
  remoteOnly.sort((a, b) => a.kind.localeCompare(b.kind) || a.identifier.localeCompare(b.identifier));

  return { products, features, plans, remoteOnly, problems };
}

interface LivePlanModels {
  livePlan: LivePlan;
  newest: Plan;
  published?: Plan;
}

function diffPlan(plan: Plan, live: LivePlanModels | undefined, problems: DiffProblem[]): PlanDiff {
  const desiredDoc = comparablePlan(plan);
  if (!live) return { identifier: plan.identifier, desired: plan, changes: compareDocuments(undefined, desiredDoc) };

  const newest = live.livePlan.newest.plan;
  const all = compareDocuments(comparablePlan(alignedTo(plan, live.newest)), desiredDoc);
  const changes: FieldChange[] = [];
  for (const change of all) {
    const field = change.path[0];
    if (field === 'product') {
      problems.push({
        severity: 'error',
        resource: { kind: 'plan', identifier: plan.identifier },
        pointer: `/plans/${plan.identifier}/product`,
        message: `plan ${plan.identifier}: belongs to product ${String(change.before)} in Kelviq, the catalog says ${String(change.after)}; a plan cannot move between products. Declare a new plan identifier under the new product instead.`,
      });
    } else if (field === 'ordering') {
      problems.push({
        severity: 'warning',
        code: 'unappliable',
        resource: { kind: 'plan', identifier: plan.identifier },
        pointer: `/plans/${plan.identifier}/ordering`,
        message: `plan ${plan.identifier}: ordering ${String(change.before ?? 'unset')} -> ${String(change.after)} cannot be applied: the Kelviq API sets ordering only when a plan is created. Change it in the dashboard or remove it from the catalog.`,
      });
    } else {
      changes.push(change);
    }
  }

  const status = planStatus(newest);
  // What customers see: the newest version when it is published, else the published one below the draft.
  const published = status === 'published' ? { version: newest.version, model: live.newest } : live.livePlan.published && live.published && { version: live.livePlan.published.plan.version, model: live.published };
  // When the newest version is the published one, the comparison above already is this one: not done twice.
  const fromPublished = published && (published.model === live.newest ? all : compareDocuments(comparablePlan(alignedTo(plan, published.model)), desiredDoc));
  const changesFromPublished = fromPublished?.filter((change) => change.path[0] !== 'product' && change.path[0] !== 'ordering');

  return {
    identifier: plan.identifier,
    desired: plan,
    live: {
      status,
      version: newest.version,
      publishedVersion: published?.version,
      managed: isManaged(newest.metadata),
      changesFromPublished,
    },
    changes,
  };
}
