/**
 * The one normaliser. Every comparison rule lives here and only here; plan, drift, pull and the tests all use it.
 *
 * Two steps:
 * 1. `live*ToModel`: the API's wire shapes → the canonical catalog model (UUIDs → identifiers, server-owned
 *    fields dropped, null treated as absent, numbers that arrive as strings made numbers, the managed-by marker
 *    removed). With `omitDefaults` it also leaves out values equal to the server's defaults (what `pull` writes).
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
import type { LivePlanVersion } from './live-state.js';

/** Metadata marker on features and plans this tool created; the only ones `--prune` may archive. */
export const MANAGED_BY_KEY = 'managed-by';
export const MANAGED_BY_VALUE = 'kelviq-catalog';

export function isManaged(metadata: Record<string, unknown> | null | undefined): boolean {
  return metadata?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

export interface NormalizeOptions {
  /** Leave out values equal to Kelviq's server defaults (for `pull`, which writes only what matters). */
  omitDefaults?: boolean;
}

/** Kelviq's server defaults: what the API fills in when a client leaves a field out. */
export const SERVER_DEFAULTS = {
  /** The currency default is left out on purpose: plans' PAID prices are checked against it, so it is always written. */
  productSettings: { vpn: true, tor: true, proxy: true } as Record<string, unknown>,
  plan: { isVisible: true } as Record<string, unknown>,
  license: { enabled: false, activationLimitEnabled: false, hasExpiry: false } as Record<string, unknown>,
  entitlement: {
    hasUnlimitedUsage: false,
    hardLimit: false,
    resetTime: null,
    rollover: {},
    usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' },
  } as Record<string, unknown>,
  price: { enabled: true, freeTrial: false, trialPeriod: 0, taxBehavior: 'UNSPECIFIED' } as Record<string, unknown>,
  chargeCatalogPrice: {
    hasUnlimitedUsage: false,
    paymentType: 'ADVANCE_COMMITMENT',
    resetTime: null,
    rollover: {},
    usageAlerts: { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' },
  } as Record<string, unknown>,
  charge: { advanced: {} } as Record<string, unknown>,
};

/** Fields the server owns inside entitlement details; never written, never compared. */
const ENTITLEMENT_SERVER_FIELDS = new Set(['isInherited', 'isValueOverridden']);
/** Server-assigned ids appear inside prices, charge-catalog prices and charges. */
const SERVER_ID_FIELDS = new Set(['id', 'createdOn', 'modifiedOn']);

// ---------------------------------------------------------------------------------------------------------------
// 1. wire → model

export function liveProductToModel(
  product: ProductWire,
  settings: ProductSettingsWire | undefined,
  options: NormalizeOptions = {},
): Product {
  const model: Product = {
    identifier: product.identifier,
    name: product.name,
    description: product.description ?? '',
    taxCode: product.taxCode as Product['taxCode'],
  };
  if (options.omitDefaults && !model.description) delete model.description;
  if (settings) {
    const s: ProductSettings = {};
    if (settings.currency != null) s.currency = settings.currency;
    if (settings.vpn != null) s.vpn = settings.vpn;
    if (settings.tor != null) s.tor = settings.tor;
    if (settings.proxy != null) s.proxy = settings.proxy;
    if (settings.productUrl != null && settings.productUrl !== '') s.productUrl = settings.productUrl;
    const kept = options.omitDefaults ? (withoutDefaults(s as Record<string, unknown>, SERVER_DEFAULTS.productSettings) as ProductSettings) : s;
    if (!options.omitDefaults || Object.keys(kept).length) model.settings = kept;
  }
  return model;
}

export function liveFeatureToModel(feature: FeatureWire, options: NormalizeOptions = {}): Feature {
  const model: Feature = {
    identifier: feature.identifier,
    name: feature.name,
    description: feature.description ?? '',
    featureType: feature.featureType,
  };
  if (options.omitDefaults && !model.description) delete model.description;
  const featureDetails = cleanObject(feature.featureDetails);
  if (featureDetails && Object.keys(featureDetails).length) model.featureDetails = featureDetails;
  const meter = cleanObject(feature.meter);
  if (meter && Object.keys(meter).length) model.meter = meter;
  const metadata = userMetadata(feature.metadata);
  if (metadata) model.metadata = metadata;
  return model;
}

export interface PlanLookups {
  productIdentifierById: Map<string, string>;
  featureIdentifierById: Map<string, string>;
}

export function livePlanToModel(version: LivePlanVersion, lookups: PlanLookups, options: NormalizeOptions = {}): Plan {
  const { plan } = version;
  const model: Plan = {
    identifier: plan.identifier,
    product: lookups.productIdentifierById.get(plan.product) ?? `<unknown product ${plan.product}>`,
    name: plan.name,
    description: plan.description ?? '',
  };
  if (options.omitDefaults && !model.description) delete model.description;
  if (plan.isVisible != null && !(options.omitDefaults && plan.isVisible === SERVER_DEFAULTS.plan.isVisible)) {
    model.isVisible = plan.isVisible;
  }
  if (plan.ordering != null) model.ordering = plan.ordering;
  const metadata = userMetadata(plan.metadata);
  if (metadata) model.metadata = metadata;
  const license = cleanObject(plan.license);
  if (license) {
    const kept = options.omitDefaults ? withoutDefaults(license, SERVER_DEFAULTS.license) : license;
    if (Object.keys(kept).length) model.license = kept as Plan['license'];
  }
  if (plan.links?.length) {
    model.links = plan.links.map((link) => ({ name: link.name ?? '', url: link.url ?? '' }));
  }
  if (version.entitlements) model.entitlements = liveEntitlementsToModel(version.entitlements, options);
  if (version.prices) model.prices = version.prices.map((price) => livePriceToModel(price, lookups, options));
  return model;
}

export function liveEntitlementsToModel(
  entitlements: EntitlementWire[],
  options: NormalizeOptions = {},
): Record<string, EntitlementDetails> {
  const result: Record<string, EntitlementDetails> = {};
  for (const entitlement of entitlements) {
    result[entitlement.feature.identifier] = liveEntitlementDetailsToModel(entitlement.details, options);
  }
  return result;
}

export function liveEntitlementDetailsToModel(details: EntitlementDetailsWire, options: NormalizeOptions = {}): EntitlementDetails {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (ENTITLEMENT_SERVER_FIELDS.has(key) || value === undefined) continue;
    // resetTime: null is meaningful to the API ("no time"), but equals its default; keep it only when not omitting.
    if (value === null && key !== 'resetTime') continue;
    cleaned[key] = canonicalValue(value, key);
  }
  return (options.omitDefaults ? withoutDefaults(cleaned, SERVER_DEFAULTS.entitlement) : cleaned) as EntitlementDetails;
}

export function livePriceToModel(price: PriceWire, lookups: PlanLookups, options: NormalizeOptions = {}): Price {
  const model: Record<string, unknown> = { priceType: price.priceType };
  for (const key of ['currency', 'freeTrial', 'trialPeriod', 'enabled', 'taxBehavior'] as const) {
    if (price[key] != null) model[key] = price[key];
  }
  if (price.chargeCatalogPrice?.length) {
    model.chargeCatalogPrice = price.chargeCatalogPrice.map((item) => liveChargeCatalogPriceToModel(item, lookups, options));
  }
  return (options.omitDefaults ? withoutDefaults(model, SERVER_DEFAULTS.price) : model) as unknown as Price;
}

function liveChargeCatalogPriceToModel(
  item: ChargeCatalogPriceWire,
  lookups: PlanLookups,
  options: NormalizeOptions,
): ChargeCatalogPrice {
  const feature = item.feature == null ? null : lookups.featureIdentifierById.get(item.feature) ?? `<unknown feature ${item.feature}>`;
  const model: Record<string, unknown> = { feature, priceModel: item.priceModel };
  for (const [key, value] of Object.entries(item)) {
    if (key === 'feature' || key === 'priceModel' || key === 'charges' || SERVER_ID_FIELDS.has(key)) continue;
    if (value === undefined || (value === null && key !== 'resetTime')) continue;
    model[key] = canonicalValue(value, key);
  }
  model.charges = (item.charges ?? []).map((charge) => liveChargeToModel(charge, options));
  return (options.omitDefaults ? withoutDefaults(model, SERVER_DEFAULTS.chargeCatalogPrice) : model) as unknown as ChargeCatalogPrice;
}

function liveChargeToModel(charge: ChargeWire, options: NormalizeOptions): Charge {
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(charge)) {
    if (SERVER_ID_FIELDS.has(key) || value == null) continue;
    if (key === 'tiers') {
      model.tiers = canonicalTiers(value as ChargeWire['tiers']);
    } else if (key === 'priceData') {
      const priceData = withoutIds(value as Record<string, unknown>);
      if (Object.keys(priceData).length) model.priceData = priceData;
    } else {
      model[key] = canonicalValue(value, key);
    }
  }
  return (options.omitDefaults ? withoutDefaults(model, SERVER_DEFAULTS.charge) : model) as Charge;
}

function canonicalTiers(tiers: ChargeWire['tiers']): Tier[] {
  return (tiers ?? []).map((tier) => {
    const model: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tier)) {
      if (SERVER_ID_FIELDS.has(key) || value == null) continue;
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
 * are dropped, server ids inside nested objects are dropped.
 */
export function canonicalValue(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined && NUMERIC_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  if (Array.isArray(value)) return value.map((item) => canonicalValue(item, key));
  if (value && typeof value === 'object') return withoutIds(value as Record<string, unknown>);
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

function withoutIds(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (SERVER_ID_FIELDS.has(key) || value == null) continue;
    result[key] = canonicalValue(value, key);
  }
  return result;
}

function cleanObject(value: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  return value ? withoutIds(value) : undefined;
}

/** Metadata without the managed-by marker; undefined when nothing else is in it. */
export function userMetadata(metadata: Record<string, unknown> | null | undefined): JsonObject | undefined {
  if (!metadata) return undefined;
  const { [MANAGED_BY_KEY]: _marker, ...rest } = metadata;
  return Object.keys(rest).length ? (rest as JsonObject) : undefined;
}

function withoutDefaults(object: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key in defaults && deepEqual(value, defaults[key])) continue;
    result[key] = value;
  }
  return result;
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
  const model = livePlanToModel(version, lookups);
  if (desired.prices && model.prices) model.prices = alignPrices(desired.prices, model.prices);
  return model;
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

export function comparableProduct(product: Product): Comparable {
  const doc: Comparable = { ...product };
  delete doc.identifier;
  if (typeof doc.description === 'string' && doc.description === '') doc.description = '';
  return dropUndefined(doc);
}

export function comparableFeature(feature: Feature): Comparable {
  const doc: Comparable = { ...feature };
  delete doc.identifier;
  if (feature.metadata) doc.metadata = userMetadata(feature.metadata) ?? {};
  return dropUndefined(doc);
}

export function comparablePlan(plan: Plan): Comparable {
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
