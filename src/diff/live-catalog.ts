/**
 * A live snapshot as a catalog: what `pull` writes to files and what `promote` reconciles another environment
 * toward. Built with the same normaliser the diff uses, so a pulled catalog plans to "no changes" against the
 * environment it came from.
 *
 * Every value the server holds is kept (no presumed server default is left out: see `server-defaults.ts`), and
 * only what the catalog format can express is carried: a resource holding a value the format cannot write (an
 * enum value the spec does not list, a non-slug identifier, a reference to something the API does not list) is
 * left out with a note, and so is what depends on it, so the result always validates.
 */
import { featureInput } from '../schema/format/feature.js';
import { planInput } from '../schema/format/plan.js';
import { productInput } from '../schema/format/product.js';
import type { Catalog, Feature, Plan, Product } from '../schema/model.js';
import { lookupsOf } from './diff-catalog.js';
import { planStatus, type LiveState } from './live-state.js';
import { liveFeatureToModel, livePlanToModel, liveProductToModel } from './normalize.js';
import { IDENTIFIER_PATTERN } from '../schema/format/common.js';
import { describeIssues, formatIssues, isPlanReferenceIssue, type ValueIssue } from './project.js';
import { withoutDocumentedDefaults } from './server-defaults.js';

export interface LiveCatalogOptions {
  /**
   * Which version of a plan with a pending draft becomes the catalog's plan. `newest` (the default) is the draft:
   * what writes go to, so a pulled catalog plans to no changes. `published` is what customers see.
   */
  version?: 'newest' | 'published';
  /** A reason to leave out a resource the format can carry (pull: text holding a key); undefined keeps it. */
  leaveOut?: (resource: Product | Feature | Plan) => string | undefined;
}

export interface LiveCatalogNote {
  kind: 'product' | 'feature' | 'plan';
  identifier: string;
  message: string;
}

export interface LiveCatalog {
  catalog: Catalog;
  /** What the catalog format cannot carry or what a reader should know (pending drafts, plan files, images). */
  notes: LiveCatalogNote[];
  /** Resources left out whole for a reason of their own (not for depending on one left out); each is also a note. */
  leftOut: Array<{ kind: LiveCatalogNote['kind']; identifier: string; reason: string }>;
}


/**
 * Needs a snapshot taken with FULL_SCOPE (or a scope that covers every plan's entitlements and prices): a plan
 * whose entitlements or prices were not fetched is written without them, which the catalog reads as "not managed".
 */
export function liveStateToCatalog(live: LiveState, options: LiveCatalogOptions = {}): LiveCatalog {
  const notes: LiveCatalogNote[] = [];
  const lookups = lookupsOf(live);
  const leftOutWhole: LiveCatalog['leftOut'] = [];
  const leftOut = (kind: LiveCatalogNote['kind'], identifier: string, reason: string) => {
    leftOutWhole.push({ kind, identifier, reason });
    notes.push({ kind, identifier, message: `${kind} ${identifier} is left out: ${reason}; the rest is written.` });
  };
  /** Why a projected resource cannot be carried: the format cannot express it, or the caller says so. */
  const reasonToLeaveOut = (issues: ValueIssue[], model: Product | Feature | Plan): string | undefined => {
    const identifierIssue = issues.find((issue) => issue.path === 'identifier');
    if (identifierIssue) return `its identifier is not a slug (${IDENTIFIER_PATTERN.source}), so no catalog file can declare or refer to it`;
    if (issues.length) return `Kelviq holds values the catalog format cannot express: ${describeIssues(issues)}`;
    return options.leaveOut?.(model);
  };

  const products: Product[] = [];
  for (const { product, settings } of live.products.values()) {
    for (const field of ['image', 'images', 'logo'] as const) {
      const value = (product as Record<string, unknown>)[field];
      if (value != null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
        notes.push({ kind: 'product', identifier: product.identifier, message: `product ${product.identifier} has a ${field} in Kelviq; the catalog format does not carry product images, so it is left out (it stays as it is in Kelviq).` });
      }
    }
    const model = withoutDocumentedDefaults('product', liveProductToModel(product, settings));
    const why = reasonToLeaveOut(formatIssues(productInput, model), model);
    if (why) leftOut('product', product.identifier, why);
    else products.push(model);
  }

  const features: Feature[] = [];
  for (const feature of live.features.values()) {
    const model = withoutDocumentedDefaults('feature', liveFeatureToModel(feature));
    const why = reasonToLeaveOut(formatIssues(featureInput, model), model);
    if (why) leftOut('feature', feature.identifier, why);
    else features.push(model);
  }

  const productIds = new Set(products.map((p) => p.identifier));
  const featureIds = new Set(features.map((f) => f.identifier));
  const plans: Plan[] = [];
  for (const livePlan of live.plans.values()) {
    const newest = livePlan.newest;
    const usePublished = options.version === 'published' && livePlan.published;
    const version = usePublished ? livePlan.published! : newest;
    const identifier = newest.plan.identifier;
    if (planStatus(newest.plan) === 'pending-draft') {
      notes.push({
        kind: 'plan',
        identifier,
        message: usePublished
          ? `plan ${identifier} has an unpublished draft (version ${newest.plan.version}); the published version ${version.plan.version} is used.`
          : `plan ${identifier} has an unpublished draft (version ${newest.plan.version}) over published version ${newest.plan.version - 1}; the draft is used.`,
      });
    }
    const files = (version.plan as Record<string, unknown>).files;
    if (Array.isArray(files) && files.length) {
      notes.push({ kind: 'plan', identifier, message: `plan ${identifier} has ${files.length} file(s) attached in Kelviq; the catalog format does not carry plan files, so they are left out (they stay as they are in Kelviq).` });
    }
    const plan = withoutDocumentedDefaults('plan', livePlanToModel(version, lookups));
    const why = reasonToLeaveOut(formatIssues(planInput, plan, isPlanReferenceIssue), plan);
    if (why) {
      leftOut('plan', identifier, why);
      continue;
    }
    const kept = withReferencesKept(plan, { products: productIds, features: featureIds }, live, notes);
    if (kept) plans.push(kept);
  }

  const byIdentifier = <T extends { identifier: string }>(items: T[]) => items.sort((a, b) => compareText(a.identifier, b.identifier));
  return { catalog: { products: byIdentifier(products), features: byIdentifier(features), plans: byIdentifier(plans) }, notes, leftOut: leftOutWhole };
}

/**
 * A plan of a product that is not carried, or entitlements/prices naming a feature that is not carried
 * (archived while still in use, or left out above), would be written with a dangling reference: the plan, or
 * that part of it, is left out (left out = not managed: apply leaves it alone) and noted.
 */
function withReferencesKept(plan: Plan, carried: { products: Set<string>; features: Set<string> }, live: LiveState, notes: LiveCatalogNote[]): Plan | undefined {
  const note = (message: string) => notes.push({ kind: 'plan', identifier: plan.identifier, message });
  // Why a reference is not carried: the API does not list it (archived?), or it was left out above.
  const why = (features: string[]) =>
    features.every((feature) => live.features.has(feature))
      ? `left out above: ${features.join(', ')}`
      : `${features.join(', ')}: archived?`;
  if (!carried.products.has(plan.product)) {
    note(
      live.products.has(plan.product)
        ? `plan ${plan.identifier} belongs to product ${plan.product}, which is left out above; the plan is left out.`
        : `plan ${plan.identifier} belongs to a product the API does not list (archived?); the plan is left out.`,
    );
    return undefined;
  }
  const kept = { ...plan };
  const unknownEntitled = Object.keys(plan.entitlements ?? {}).filter((feature) => !carried.features.has(feature));
  if (unknownEntitled.length) {
    delete kept.entitlements;
    note(`plan ${plan.identifier} grants feature(s) the API does not list or that are not carried (${why(unknownEntitled)}); its entitlements are left out, so apply leaves them alone.`);
  }
  const unknownPriced = [
    ...new Set((plan.prices ?? []).flatMap((price) => price.chargeCatalogPrice ?? []).flatMap((item) => (item.feature !== null && !carried.features.has(item.feature) ? [item.feature] : []))),
  ];
  if (unknownPriced.length) {
    delete kept.prices;
    // A charge names its feature by UUID: one the API does not list has no identifier to show.
    const named = unknownPriced.filter((feature) => live.features.has(feature));
    const reason = named.length === unknownPriced.length ? why(named) : 'archived?';
    note(`plan ${plan.identifier} prices a feature the API does not list or that is not carried (${reason}); its prices are left out, so apply leaves them alone.`);
  }
  return kept;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
