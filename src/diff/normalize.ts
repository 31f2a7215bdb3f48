/**
 * The one normaliser. Every comparison rule lives here and only here; plan, drift, pull and the tests all use it.
 *
 * Two steps:
 * 1. `live*ToModel`: the API's wire shapes → the canonical catalog model (UUIDs → identifiers, null treated as
 *    absent, numbers that arrive as strings made numbers, the managed-by marker removed), projected onto the
 *    fields the catalog format defines (an allow-list: anything else the server sends is dropped). No value is
 *    ever left out for equalling a presumed server default: Kelviq documents none (`server-defaults.ts`).
 * 2. `comparable*`: model → a plain JSON document in which arrays whose order means nothing become maps keyed by
 *    their natural identity (prices by type+currency, charge-catalog prices by feature, charges by period, tiers
 *    sorted by bound), so a difference has a readable path: `prices/PAID USD/chargeCatalogPrice/(plan fee)/...`.
 */
import type {
  ChargeCatalogPriceWire,
  ChargeWire,
  EntitlementDetailsWire,
  EntitlementWire,
  FeatureWire,
  PlanWire,
  PriceWire,
  ProductSettingsWire,
  ProductWire,
} from '../client/wire.js';
import type {
  Charge,
  ChargeCatalogPrice,
  EntitlementDetails,
  Feature,
  JsonObject,
  Plan,
  Price,
  Product,
  ProductSettings,
  Tier,
} from '../schema/model.js';
import { featureInput } from '../schema/format/feature.js';
import { planInput } from '../schema/format/plan.js';
import { productInput } from '../schema/format/product.js';
import type { LivePlanVersion } from './live-state.js';
import { projectOnto } from './project.js';

/** Metadata marker on features and plans this tool created; the only ones `--prune` may archive. */
export const MANAGED_BY_KEY = 'managed-by';
export const MANAGED_BY_VALUE = 'kelviq-catalog';

export function isManaged(metadata: Record<string, unknown> | null | undefined): boolean {
  return metadata?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

/**
 * What the normaliser relies on from the server, and where Kelviq says so. Nothing here is a server default:
 * the spec declares no `default` and the documentation names no field value a server fills in (see
 * `./server-defaults.ts`, the one table of defaults, which is empty for that reason). Values are read, never
 * assumed.
 */

// ---------------------------------------------------------------------------------------------------------------
// 1. wire → model. Each function canonicalises the values it knows about (UUIDs to identifiers, decimal
//    strings to numbers, null to absent) and then projects the result onto the catalog format (project.ts), so
//    a field the format does not define is dropped here, at the boundary, whatever the server sends.

export function liveProductToModel(product: ProductWire, settings: ProductSettingsWire | undefined): Product {
  const model: Record<string, unknown> = {
    identifier: product.identifier,
    name: product.name,
    description: product.description ?? '',
    taxCode: product.taxCode ?? undefined,
  };
  if (settings) {
    const s: Record<string, unknown> = {};
    for (const key of ['currency', 'vpn', 'tor', 'proxy'] as const) if (settings[key] != null) s[key] = settings[key];
    // An empty productUrl is "no URL", not a URL.
    if (settings.productUrl != null && settings.productUrl !== '') s.productUrl = settings.productUrl;
    model.settings = s;
  }
  return projectOnto(productInput, model) as Product;
}

export function liveFeatureToModel(feature: FeatureWire): Feature {
  const model: Record<string, unknown> = {
    identifier: feature.identifier,
    name: feature.name,
    description: feature.description ?? '',
    featureType: feature.featureType,
  };
  // customerUnit and filters are passed to Kelviq as is (README "Features"): read back as is, a null or a
  // numeric string inside them included, or a feature that cannot be updated differs from its own catalog.
  if (feature.featureDetails) model.featureDetails = withoutNulls(feature.featureDetails, ['customerUnit']);
  if (feature.meter) model.meter = withoutNulls(feature.meter, ['filters']);
  const metadata = userMetadata(feature.metadata);
  if (metadata) model.metadata = metadata;
  return projectOnto(featureInput, model) as Feature;
}

export interface PlanLookups {
  productIdentifierById: Map<string, string>;
  featureIdentifierById: Map<string, string>;
}

/** Stands in for a reference to something the API does not list; never a valid identifier, so never written. */
export function unknownReference(kind: 'product' | 'feature', id: string): string {
  return `<unknown ${kind} ${id}>`;
}

export function livePlanToModel(version: LivePlanVersion, lookups: PlanLookups): Plan {
  const { plan } = version;
  const model: Record<string, unknown> = {
    identifier: plan.identifier,
    product: lookups.productIdentifierById.get(plan.product) ?? unknownReference('product', plan.product),
    name: plan.name,
    description: plan.description ?? '',
  };
  if (plan.isVisible != null) model.isVisible = plan.isVisible;
  if (plan.ordering != null) model.ordering = canonicalValue(plan.ordering, 'ordering');
  const metadata = userMetadata(plan.metadata);
  if (metadata) model.metadata = metadata;
  if (plan.license) model.license = withoutNulls(plan.license);
  if (plan.links?.length) model.links = plan.links.map((link) => ({ name: link.name ?? '', url: link.url ?? '' }));
  if (version.entitlements) model.entitlements = liveEntitlementsToModel(version.entitlements);
  if (version.prices) model.prices = version.prices.map((price) => livePriceToModel(price, lookups));
  return projectOnto(planInput, model) as Plan;
}

function liveEntitlementsToModel(entitlements: EntitlementWire[]): Record<string, EntitlementDetails> {
  const result: Record<string, EntitlementDetails> = {};
  for (const entitlement of entitlements) {
    result[entitlement.feature.identifier] = liveEntitlementDetailsToModel(entitlement.details);
  }
  return result;
}

function liveEntitlementDetailsToModel(details: EntitlementDetailsWire): EntitlementDetails {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    // resetTime is nullable by spec (PlanEntitlementDetails.resetTime) and null is a value there ("no time");
    // elsewhere null means absent.
    if (value === null && key !== 'resetTime') continue;
    cleaned[key] = canonicalValue(value, key);
  }
  return cleaned as EntitlementDetails;
}

function livePriceToModel(price: PriceWire, lookups: PlanLookups): Price {
  const model: Record<string, unknown> = { priceType: price.priceType };
  for (const key of ['currency', 'freeTrial', 'trialPeriod', 'enabled', 'taxBehavior'] as const) {
    if (price[key] != null) model[key] = canonicalValue(price[key], key);
  }
  if (price.chargeCatalogPrice?.length) {
    model.chargeCatalogPrice = price.chargeCatalogPrice.map((item) => liveChargeCatalogPriceToModel(item, lookups));
  }
  return model as unknown as Price;
}

function liveChargeCatalogPriceToModel(item: ChargeCatalogPriceWire, lookups: PlanLookups): ChargeCatalogPrice {
  const feature = item.feature == null ? null : lookups.featureIdentifierById.get(item.feature) ?? unknownReference('feature', item.feature);
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined || (value === null && key !== 'resetTime')) continue;
    model[key] = canonicalValue(value, key);
  }
  model.feature = feature;
  model.charges = (item.charges ?? []).map((charge) => liveChargeToModel(charge));
  return model as unknown as ChargeCatalogPrice;
}

function liveChargeToModel(charge: ChargeWire): Charge {
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(charge)) {
    if (value == null) continue;
    model[key] = key === 'tiers' ? canonicalTiers(value as ChargeWire['tiers']) : canonicalValue(value, key);
  }
  return model as Charge;
}

function canonicalTiers(tiers: ChargeWire['tiers']): Tier[] {
  return (tiers ?? []).map((tier) => {
    const model: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tier)) {
      if (value == null) continue;
      model[key] = key === 'upTo' ? canonicalUpTo(value) : canonicalValue(value, key);
    }
    if (model.upTo === undefined) model.upTo = 'inf';
    return model as unknown as Tier;
  });
}

/** The API spells an unbounded tier as null, "inf" or (from some clients) "Infinity". */
export function canonicalUpTo(value: unknown): number | 'inf' {
  if (value == null) return 'inf';
  if (typeof value === 'number') return Number.isFinite(value) ? value : 'inf';
  const text = String(value).trim().toLowerCase();
  if (text === 'inf' || text === 'infinity' || text === '') return 'inf';
  const number = Number(text);
  return Number.isFinite(number) ? number : 'inf';
}

/**
 * Canonical JSON value: numbers that arrive as decimal strings ("29.00") become numbers, nulls inside objects
 * are dropped (null and absent alike). Unknown fields are not this function's business: the projection onto
 * the format drops them.
 */
export function canonicalValue(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined && NUMERIC_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  if (Array.isArray(value)) return value.map((item) => canonicalValue(item, key));
  if (value && typeof value === 'object') return withoutNulls(value as Record<string, unknown>);
  return value;
}

/**
 * API fields that are numbers by contract. A decimal field may arrive as a string ("29.00"); only these are
 * coerced, so a metadata value "1" stays the string the user wrote.
 */
const NUMERIC_KEYS = new Set([
  'amount', 'block_size', 'unitAmount', 'flatAmount', 'upTo', 'value', 'trialPeriod', 'thresholds', 'percentage',
  'limit', 'activationLimit', 'durationValue', 'min_quantity', 'max_quantity',
]);

function withoutNulls(object: Record<string, unknown>, asIs: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (asIs.includes(key)) {
      if (value != null) result[key] = value;
      continue;
    }
    // resetTime: null is a value (README: "string or null"), not an absent key: dropping it on the catalog's side
    // made `resetTime: null` unmanaged, so a live reset time it clears never showed.
    if (value === undefined || (value === null && key !== 'resetTime')) continue;
    result[key] = canonicalValue(value, key);
  }
  return result;
}

/** Metadata without the managed-by marker; undefined when nothing else is in it. */
export function userMetadata(metadata: Record<string, unknown> | null | undefined): JsonObject | undefined {
  if (!metadata) return undefined;
  const { [MANAGED_BY_KEY]: _marker, ...rest } = metadata;
  return Object.keys(rest).length ? (rest as JsonObject) : undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => deepEqual(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!deepEqual(left[key], right[key])) return false;
  return true;
}

/**
 * The live plan as the desired one sees it. A price the catalog declares without a currency does not manage its
 * currency: Kelviq fills one in (the product's), so the live price of the same type whose currency no other
 * declared price claims is matched to it with the currency left out.
 */
export function livePlanFor(desired: Plan, version: LivePlanVersion, lookups: PlanLookups): Plan {
  return alignedTo(desired, livePlanToModel(version, lookups));
}

/** `live` (a live plan's model, left untouched) as `desired` sees it: see `livePlanFor`. */
export function alignedTo(desired: Plan, live: Plan): Plan {
  return desired.prices && live.prices ? { ...live, prices: alignPrices(desired.prices, live.prices) } : live;
}

export function alignPrices(desired: Price[], live: Price[]): Price[] {
  const claimed = new Set(desired.filter((price) => price.currency).map(priceKey));
  const result = live.map((price) => ({ ...price }));
  for (const price of desired) {
    if (price.currency) continue;
    const candidates = result.filter((l) => l.priceType === price.priceType && l.currency && !claimed.has(priceKey(l)));
    if (candidates.length === 1 && candidates[0]) delete candidates[0].currency;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. model → comparable document

export type Comparable = { [key: string]: unknown };

/** Identity of a price in its plan: PAID prices are unique per currency. */
export function priceKey(price: Pick<Price, 'priceType' | 'currency'>): string {
  return price.currency ? `${price.priceType} ${price.currency.toUpperCase()}` : price.priceType;
}

export const PLAN_FEE_KEY = '(plan fee)';

function keyed<T>(items: T[], keyOf: (item: T) => string, map: (item: T) => unknown): Comparable {
  const result: Comparable = {};
  const seen = new Map<string, number>();
  for (const item of items) {
    const base = keyOf(item);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    result[count === 1 ? base : `${base} #${count}`] = map(item);
  }
  return result;
}

// Each comparable starts from the model projected onto the format, on both sides alike: an empty object of a
// format-defined shape (`rollover: {}`) sets nothing, whether a file or the server holds it.

export function comparableProduct(product: Product): Comparable {
  const doc: Comparable = { ...(projectOnto(productInput, product) as Product) };
  delete doc.identifier;
  return dropUndefined(doc);
}

export function comparableFeature(input: Feature): Comparable {
  const feature = projectOnto(featureInput, input) as Feature;
  const doc: Comparable = { ...feature };
  delete doc.identifier;
  if (feature.metadata) doc.metadata = userMetadata(feature.metadata) ?? {};
  return dropUndefined(doc);
}

export function comparablePlan(input: Plan): Comparable {
  const plan = projectOnto(planInput, input) as Plan;
  const doc: Comparable = { ...plan };
  delete doc.identifier;
  if (plan.metadata) doc.metadata = userMetadata(plan.metadata) ?? {};
  if (plan.entitlements) {
    const entitlements: Comparable = {};
    for (const key of Object.keys(plan.entitlements).sort()) {
      entitlements[key] = canonicalValue(plan.entitlements[key]);
    }
    doc.entitlements = entitlements;
  }
  if (plan.prices) doc.prices = keyed(plan.prices, priceKey, comparablePrice);
  return dropUndefined(doc);
}

function comparablePrice(price: Price): Comparable {
  const doc: Comparable = { ...price };
  if (typeof doc.currency === 'string') doc.currency = doc.currency.toUpperCase();
  if (price.chargeCatalogPrice) {
    doc.chargeCatalogPrice = keyed(
      price.chargeCatalogPrice,
      (item) => item.feature ?? PLAN_FEE_KEY,
      (item) => {
        const itemDoc: Comparable = { ...(canonicalValue(item) as Comparable), feature: item.feature ?? null };
        itemDoc.charges = keyed(item.charges ?? [], (charge) => charge.chargePeriod ?? '(no period)', comparableCharge);
        return dropUndefined(itemDoc);
      },
    );
  }
  return dropUndefined(doc);
}

function comparableCharge(charge: Charge): Comparable {
  const doc = canonicalValue(charge) as Comparable;
  if (charge.tiers) {
    doc.tiers = [...charge.tiers]
      .map((tier) => ({ ...(canonicalValue(tier) as Comparable), upTo: canonicalUpTo(tier.upTo) }))
      .sort((a, b) => boundOf(a.upTo) - boundOf(b.upTo));
  }
  return doc;
}

function boundOf(upTo: unknown): number {
  return upTo === 'inf' ? Number.POSITIVE_INFINITY : Number(upTo);
}

function dropUndefined(doc: Comparable): Comparable {
  for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key];
  return doc;
}
