/**
 * Catalog model → API request bodies. The only place where identifiers become UUIDs (through `Ids`), so the
 * rest of the engine never handles a UUID.
 */
import type {
  ChargeCatalogPriceBody,
  EntitlementDetailsBody,
  FeatureCreateBody,
  PlanCreateBody,
  PlanUpdateBody,
  PriceBody,
  ProductCreateBody,
  ProductSettingsUpdateBody,
} from '../client/wire.js';
import type { EntitlementDetails, Feature, Plan, Price, Product, ProductSettings } from '../schema/model.js';
import type { PlanFieldUpdate } from './actions.js';

/** Identifier → UUID lookups, seeded from the live state and filled in as the run creates resources. */
export class Ids {
  readonly products = new Map<string, string>();
  readonly features = new Map<string, string>();

  product(identifier: string): string {
    const id = this.products.get(identifier);
    if (!id) throw new Error(`product ${identifier} does not exist in Kelviq (and was not created by this run)`);
    return id;
  }

  feature(identifier: string): string {
    const id = this.features.get(identifier);
    if (!id) throw new Error(`feature ${identifier} does not exist in Kelviq (and was not created by this run)`);
    return id;
  }
}

export function productCreateBody(product: Product): ProductCreateBody {
  return withoutUndefined({ name: product.name, identifier: product.identifier, description: product.description, taxCode: product.taxCode });
}

export function productSettingsBody(settings: ProductSettings): ProductSettingsUpdateBody {
  return withoutUndefined({ ...settings });
}

export function featureCreateBody(feature: Feature): FeatureCreateBody {
  return withoutUndefined({
    name: feature.name,
    identifier: feature.identifier,
    description: feature.description,
    featureType: feature.featureType,
    featureDetails: feature.featureDetails,
    meter: feature.meter,
    metadata: feature.metadata,
  });
}

export function planCreateBody(plan: Plan, ids: Ids): PlanCreateBody {
  return withoutUndefined({
    name: plan.name,
    identifier: plan.identifier,
    description: plan.description,
    product: ids.product(plan.product),
    metadata: plan.metadata,
    isVisible: plan.isVisible,
    license: plan.license,
    links: plan.links,
    ordering: plan.ordering,
  });
}

export function planUpdateBody(fields: PlanFieldUpdate): PlanUpdateBody {
  return withoutUndefined({ ...fields });
}

export function entitlementDetailsBody(details: EntitlementDetails): EntitlementDetailsBody {
  return withoutUndefined({ ...details });
}

export function priceBodies(prices: Price[], ids: Ids): PriceBody[] {
  return prices.map((price) =>
    withoutUndefined({
      ...price,
      chargeCatalogPrice: price.chargeCatalogPrice?.map(
        (item): ChargeCatalogPriceBody => withoutUndefined({ ...item, feature: item.feature === null ? null : ids.feature(item.feature) }),
      ),
    }),
  );
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
