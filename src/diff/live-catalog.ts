/**
 * A live snapshot as a catalog: what `pull` writes to files and what `promote` reconciles another environment
 * toward. Built with the same normaliser the diff uses, so a pulled catalog plans to "no changes" against the
 * environment it came from.
 */
import type { Catalog, FeatureType, Plan } from '../schema/model.js';
import { lookupsOf } from './diff-catalog.js';
import { planStatus, type LiveState } from './live-state.js';
import { liveFeatureToModel, livePlanToModel, liveProductToModel } from './normalize.js';

export interface LiveCatalogOptions {
  /**
   * Which version of a plan with a pending draft becomes the catalog's plan. `newest` (the default) is the draft:
   * what writes go to, so a pulled catalog plans to no changes. `published` is what customers see.
   */
  version?: 'newest' | 'published';
  /**
   * Leave out values equal to Kelviq's server defaults (pull writes only what matters). Default true. A function
   * decides per resource (promote keeps every value of resources the target already has).
   */
  omitDefaults?: boolean | ((kind: 'product' | 'feature' | 'plan', identifier: string) => boolean);
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

/** The reset Kelviq gives usage that a client leaves unset: metered usage monthly, everything else never. */
export function defaultResetFor(featureType: FeatureType | undefined | null): 'EVERY_MONTH' | 'NEVER' {
  return featureType === 'METER' ? 'EVERY_MONTH' : 'NEVER';
}

/**
 * Needs a snapshot taken with FULL_SCOPE (or a scope that covers every plan's entitlements and prices): a plan
 * whose entitlements or prices were not fetched is written without them, which the catalog reads as "not managed".
 */
export function liveStateToCatalog(live: LiveState, options: LiveCatalogOptions = {}): LiveCatalog {
  const omitFor = (kind: 'product' | 'feature' | 'plan', identifier: string): boolean =>
    typeof options.omitDefaults === 'function' ? options.omitDefaults(kind, identifier) : (options.omitDefaults ?? true);
  const notes: LiveCatalogNote[] = [];
  const lookups = lookupsOf(live);
  const byIdentifier = <T>(items: T[], identifierOf: (item: T) => string) =>
    items.sort((a, b) => compareText(identifierOf(a), identifierOf(b)));

  const products = byIdentifier(
    [...live.products.values()].map(({ product, settings }) => {
      for (const field of ['image', 'images', 'logo'] as const) {
        const value = (product as Record<string, unknown>)[field];
        if (value != null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
          notes.push({ kind: 'product', identifier: product.identifier, message: `product ${product.identifier} has a ${field} in Kelviq; the catalog format does not carry product images, so it is left out (it stays as it is in Kelviq).` });
        }
      }
      return liveProductToModel(product, settings, { omitDefaults: omitFor('product', product.identifier) });
    }),
    (product) => product.identifier,
  );

  const featureTypes = new Map<string, FeatureType>();
  const features = byIdentifier(
    [...live.features.values()].map((feature) => {
      featureTypes.set(feature.identifier, feature.featureType);
      return liveFeatureToModel(feature, { omitDefaults: omitFor('feature', feature.identifier) });
    }),
    (feature) => feature.identifier,
  );

  const plans = byIdentifier(
    [...live.plans.values()].map((livePlan) => {
      const newest = livePlan.newest;
      const usePublished = options.version === 'published' && livePlan.published;
      const version = usePublished ? livePlan.published! : newest;
      const identifier = newest.plan.identifier;
      const status = planStatus(newest.plan);
      if (status === 'pending-draft') {
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
      const omitDefaults = omitFor('plan', identifier);
      const plan = livePlanToModel(version, lookups, { omitDefaults });
      if (omitDefaults) omitTypeDependentDefaults(plan, featureTypes);
      return plan;
    }),
    (plan) => plan.identifier,
  );

  return { catalog: { products, features, plans }, notes };
}

/**
 * Defaults that depend on the feature's type, which the per-object normaliser cannot see. A limited METER
 * allowance keeps its `reset` even at the default: the catalog format asks for it to be written (without it the
 * validator warns that usage never resets, and "fixing" that with `reset: NEVER` would change the plan).
 */
function omitTypeDependentDefaults(plan: Plan, featureTypes: Map<string, FeatureType>): void {
  for (const [feature, details] of Object.entries(plan.entitlements ?? {})) {
    const type = featureTypes.get(feature);
    if (type === 'METER' && details.hasUnlimitedUsage !== true) continue;
    if (details.reset === defaultResetFor(type)) delete details.reset;
  }
  for (const price of plan.prices ?? []) {
    for (const item of price.chargeCatalogPrice ?? []) {
      if (item.reset === defaultResetFor(item.feature ? featureTypes.get(item.feature) : null)) delete item.reset;
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
