/** Records → the spec's response shapes (Product, ProductSettings, CatalogFeature, CatalogPlan, ...). */
import { cloneJson } from '../model/clone.js';
import type { CatalogStore } from '../model/store.js';
import type { EntitlementRecord, FeatureRecord, JsonObject, PlanRecord, PlanVersion, ProductRecord, ProductSettingsRecord } from '../model/records.js';

export function productWire(product: ProductRecord): JsonObject {
  return {
    id: product.id,
    identifier: product.identifier,
    name: product.name,
    description: product.description,
    taxCode: product.taxCode,
    createdBy: product.createdBy,
    modifiedOn: product.modifiedOn,
    images: [],
  };
}

/** The detail view adds the identifiers of the product's published, non-archived plans. */
export function productRetrieveWire(store: CatalogStore, product: ProductRecord): JsonObject {
  const plans = [...store.plans.values()]
    .filter((plan) => plan.productId === product.id && !plan.archived && plan.publishedVersion !== null)
    .map((plan) => plan.identifier);
  return { ...productWire(product), plans };
}

export function settingsWire(settings: ProductSettingsRecord): JsonObject {
  return { ...settings };
}

export function featureWire(feature: FeatureRecord): JsonObject {
  return {
    id: feature.id,
    identifier: feature.identifier,
    name: feature.name,
    description: feature.description,
    featureType: feature.featureType,
    featureDetails: cloneJson(feature.featureDetails),
    meter: cloneJson(feature.meter),
    details: cloneJson(feature.details),
    metadata: cloneJson(feature.metadata),
    isArchived: feature.archived,
    modifiedOn: feature.modifiedOn,
  };
}

export function planWire(plan: PlanRecord, version: PlanVersion): JsonObject {
  const { fields } = version;
  return {
    identifier: plan.identifier,
    name: fields.name,
    description: fields.description,
    product: plan.productId,
    metadata: cloneJson(fields.metadata),
    version: version.version,
    isLatest: plan.publishedVersion === version.version,
    modifiedOn: version.modifiedOn,
    createdOn: version.createdOn,
    details: cloneJson(fields.details),
    isVisible: fields.isVisible,
    isImported: fields.isImported,
    countries: [...fields.countries],
    license: cloneJson(fields.license),
    links: cloneJson(fields.links),
    files: cloneJson(fields.files),
    ordering: fields.ordering,
    // Not in the spec's CatalogPlan, but archiving "sets isArchived=true" (its DELETE): shown on archived plans,
    // the only ones a client can still see (GET by identifier), so active rows stay as the spec lists them.
    ...(plan.archived ? { isArchived: true } : {}),
  };
}

export function entitlementWire(store: CatalogStore, entitlement: EntitlementRecord): JsonObject {
  const feature = store.features.get(entitlement.featureId);
  if (!feature) throw new Error(`entitlement refers to unknown feature ${entitlement.featureId}`);
  return { feature: featureWire(feature), details: cloneJson(entitlement.details) };
}

export function priceWire(price: JsonObject): JsonObject {
  return cloneJson(price);
}
