/**
 * What the emulator (in its default mode) stores for fields a client leaves out, and the server-owned ids it
 * adds. Kelviq documents no default for any of these (NOTES.md; src/diff/server-defaults.ts): they are this
 * emulator's own choices, present in every response so the tool is tested against a server that fills fields
 * in. The spec-examples mode fills the same fields from the spec's examples instead, and the engine must not
 * care which.
 */
import { newId } from './ids.js';
import type { FeatureType, JsonObject, PlanFields, ProductSettingsRecord } from './records.js';

export const DEFAULT_CURRENCY = 'USD';
export const EMULATOR_CREATED_BY = 'Kelviq Emulator';

export function defaultProductSettings(): ProductSettingsRecord {
  return { vpn: true, tor: true, proxy: true, currency: DEFAULT_CURRENCY, productUrl: null };
}

/** Only the flags: limits and durations have a minimum of 1 in the spec, so "unset" means absent. */
export function defaultLicense(): JsonObject {
  return { enabled: false, activationLimitEnabled: false, hasExpiry: false };
}

export function defaultUsageAlerts(): JsonObject {
  return { enabled: false, thresholds: [], thresholdType: 'PERCENTAGE' };
}

export function defaultPlanFields(name: string): PlanFields {
  return {
    name,
    description: '',
    metadata: {},
    isVisible: true,
    license: defaultLicense(),
    links: [],
    files: [],
    countries: [],
    ordering: null,
    isImported: false,
    details: {},
  };
}

/** Metered usage resets monthly unless told otherwise; on/off flags and fixed limits never reset. */
function defaultReset(featureType: FeatureType | null): string {
  return featureType === 'METER' ? 'EVERY_MONTH' : 'NEVER';
}

export function entitlementDetailsWithDefaults(details: JsonObject, featureType: FeatureType): JsonObject {
  return {
    hasUnlimitedUsage: false,
    hardLimit: false,
    isInherited: false,
    isValueOverridden: false,
    reset: defaultReset(featureType),
    resetTime: null,
    rollover: {},
    usageAlerts: defaultUsageAlerts(),
    ...structuredClone(details),
  };
}

export interface PriceDefaultsContext {
  /** The product's settings currency: non-PAID prices sent without one get it. */
  productCurrency: string;
  featureTypeOf(featureId: string): FeatureType | null;
}

/** A validated price body → the stored price: ids added at every level, omitted fields defaulted. */
export function priceWithDefaults(body: JsonObject, context: PriceDefaultsContext): JsonObject {
  const items = Array.isArray(body.chargeCatalogPrice) ? (body.chargeCatalogPrice as JsonObject[]) : [];
  return {
    id: newId(),
    enabled: true,
    taxBehavior: 'UNSPECIFIED',
    freeTrial: false,
    trialPeriod: 0,
    ...structuredClone(body),
    currency: body.currency ?? context.productCurrency,
    chargeCatalogPrice: items.map((item) => chargeCatalogPriceWithDefaults(item, context)),
  };
}

function chargeCatalogPriceWithDefaults(item: JsonObject, context: PriceDefaultsContext): JsonObject {
  const feature = typeof item.feature === 'string' ? item.feature : null;
  const charges = Array.isArray(item.charges) ? (item.charges as JsonObject[]) : [];
  return {
    id: newId(),
    feature,
    reset: defaultReset(feature ? context.featureTypeOf(feature) : null),
    resetTime: null,
    hasUnlimitedUsage: false,
    paymentType: 'ADVANCE_COMMITMENT',
    rollover: {},
    usageAlerts: defaultUsageAlerts(),
    ...structuredClone(item),
    charges: charges.map((charge) => ({ id: newId(), advanced: {}, ...structuredClone(charge) })),
  };
}
