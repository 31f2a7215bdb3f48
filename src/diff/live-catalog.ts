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
import { describeIssues, formatIssues } from './project.js';
import { withoutDocumentedDefaults } from './server-defaults.js';

export interface LiveCatalogOptions {
  /**
   * Which version of a plan with a pending draft becomes the catalog's plan. `newest` (the default) is the draft:
   * what writes go to, so a pulled catalog plans to no changes. `published` is what customers see.
   */
  version?: 'newest' | 'published';
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
}

/** Cross-references are checked against the live lists below, with a message that says what is missing. */
const REFERENCE_KEYS = new Set(['product', 'feature']);

/**
 * Needs a snapshot taken with FULL_SCOPE (or a scope that covers every plan's entitlements and prices): a plan
 * whose entitlements or prices were not fetched is written without them, which the catalog reads as "not managed".
 */
export function liveStateToCatalog(live: LiveState, options: LiveCatalogOptions = {}): LiveCatalog {
  const notes: LiveCatalogNote[] = [];
  const lookups = lookupsOf(live);
  const leftOut = (kind: LiveCatalogNote['kind'], identifier: string, why: string) =>
    notes.push({ kind, identifier, message: `${kind} ${identifier} is left out (so apply and promote leave it alone): ${why}.` });

  const products: Product[] = [];
  for (const { product, settings } of live.products.values()) {
    for (const field of ['image', 'images', 'logo'] as const) {
      const value = (product as Record<string, unknown>)[field];
      if (value != null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
        notes.push({ kind: 'product', identifier: product.identifier, message: `product ${product.identifier} has a ${field} in Kelviq; the catalog format does not carry product images, so it is left out (it stays as it is in Kelviq).` });
      }
    }
    const model = withoutDocumentedDefaults('product', liveProductToModel(product, settings));
    const issues = formatIssues(productInput, model);
    if (issues.length) leftOut('product', product.identifier, `Kelviq holds values the catalog format cannot express: ${describeIssues(issues)}`);
    else products.push(model);
  }

  const features: Feature[] = [];
  for (const feature of live.features.values()) {
    const model = withoutDocumentedDefaults('feature', liveFeatureToModel(feature));
    const issues = formatIssues(featureInput, model);
    if (issues.length) leftOut('feature', feature.identifier, `Kelviq holds values the catalog format cannot express: ${describeIssues(issues)}`);
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
    const issues = formatIssues(planInput, plan, REFERENCE_KEYS);
    if (issues.length) {
      leftOut('plan', identifier, `Kelviq holds values the catalog format cannot express: ${describeIssues(issues)}`);
      continue;
    }
    const kept = withReferencesKept(plan, { products: productIds, features: featureIds }, live, notes);
    if (kept) plans.push(kept);
  }

  const byIdentifier = <T extends { identifier: string }>(items: T[]) => items.sort((a, b) => compareText(a.identifier, b.identifier));
  return { catalog: { products: byIdentifier(products), features: byIdentifier(features), plans: byIdentifier(plans) }, notes };
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
    const listed = [...live.products.values()].some(({ product }) => product.identifier === plan.product);
    note(`plan ${plan.identifier} belongs to a product ${listed ? 'that is left out above' : 'the API does not list (archived?)'}; the plan is left out.`);
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
