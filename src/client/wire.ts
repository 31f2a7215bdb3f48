/**
 * The Kelviq catalog API's wire format, as zod schemas.
 *
 * Source of truth: the official OpenAPI spec (`components.schemas` Product, ProductSettings, CatalogFeature,
 * CatalogPlan, PlanFeatureEntitlement, PlanPrice, Paginated*). Tests check these against the spec.
 *
 * The schemas are deliberately loose objects: the real API adds fields over time and a client that rejects
 * unknown keys breaks on every server release. They are strict only about what the engine relies on to address
 * resources (ids, identifiers, versions); enumerations are read as plain strings, because Kelviq's documentation
 * lists values its spec lacks (billing periods WEEKLY, TWENTY_EIGHT_DAYS, SIX_MONTHS) and a value we do not know
 * must cost one resource a warning, not the whole run. What a value means is checked later, once, against the
 * catalog format (src/diff/project.ts). Fields the spec marks nullable, or that servers are known to
 * send as null, accept null; the normaliser treats null and absent alike.
 */
import { z } from 'zod';

export { TAX_CODES, FEATURE_TYPES, FEATURE_SUB_TYPES, RESETS, PRICE_TYPES, TAX_BEHAVIORS, PRICE_MODELS, PAYMENT_TYPES, CHARGE_PERIODS, LICENSE_DURATION_UNITS, THRESHOLD_TYPES } from './wire-enums.js';
import type { TAX_CODES, FEATURE_TYPES, FEATURE_SUB_TYPES, RESETS, PRICE_TYPES, TAX_BEHAVIORS, PRICE_MODELS, PAYMENT_TYPES, CHARGE_PERIODS, LICENSE_DURATION_UNITS, THRESHOLD_TYPES } from './wire-enums.js';

const uuid = z.string().min(1);
const jsonObject = z.record(z.string(), z.unknown());
const optionalText = z.string().nullish();

export const ProductImageWire = z.looseObject({
  id: uuid,
  name: z.string().nullish(),
  image: z.string().nullish(),
  ordering: z.number().nullish(),
  thumbnail: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
});

export const ProductWire = z.looseObject({
  id: uuid,
  identifier: z.string(),
  name: z.string(),
  description: optionalText,
  taxCode: z.string().nullish(),
  createdBy: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  images: z.array(ProductImageWire).nullish(),
});
export type ProductWire = z.infer<typeof ProductWire>;

export const ProductRetrieveWire = ProductWire.extend({
  plans: z.array(z.string()).nullish(),
});

export const ProductSettingsWire = z.looseObject({
  vpn: z.boolean().nullish(),
  tor: z.boolean().nullish(),
  proxy: z.boolean().nullish(),
  currency: z.string().nullish(),
  productUrl: z.string().nullish(),
});
export type ProductSettingsWire = z.infer<typeof ProductSettingsWire>;

export const FeatureWire = z.looseObject({
  id: uuid,
  identifier: z.string(),
  name: z.string(),
  description: optionalText,
  // A string, not the enum: a type Kelviq adds later must not make every list fail to parse. The normaliser
  // checks it against the catalog format and reports a feature it cannot express.
  featureType: z.string(),
  featureDetails: jsonObject.nullish(),
  meter: jsonObject.nullish(),
  details: jsonObject.nullish(),
  metadata: jsonObject.nullish(),
  isArchived: z.boolean().nullish(),
  modifiedOn: z.string().nullish(),
});
export type FeatureWire = z.infer<typeof FeatureWire>;

export const LicenseConfigWire = z.looseObject({
  enabled: z.boolean().nullish(),
  activationLimit: z.number().nullish(),
  activationLimitEnabled: z.boolean().nullish(),
  durationUnit: z.string().nullish(),
  durationValue: z.number().nullish(),
  hasExpiry: z.boolean().nullish(),
});
export type LicenseConfigWire = z.infer<typeof LicenseConfigWire>;

export const PlanLinkWire = z.looseObject({ name: z.string().nullish(), url: z.string().nullish() });
export type PlanLinkWire = z.infer<typeof PlanLinkWire>;

export const PlanFileWire = z.looseObject({
  id: uuid,
  name: z.string().nullish(),
  file: z.string().nullish(),
  ordering: z.number().nullish(),
  enabled: z.boolean().nullish(),
  downloadUrl: z.string().nullish(),
});

export const PlanWire = z.looseObject({
  identifier: z.string(),
  name: z.string(),
  description: optionalText,
  product: uuid,
  metadata: jsonObject.nullish(),
  version: z.number().int(),
  isLatest: z.boolean(),
  modifiedOn: z.string().nullish(),
  createdOn: z.string().nullish(),
  details: jsonObject.nullish(),
  isVisible: z.boolean().nullish(),
  isImported: z.boolean().nullish(),
  countries: z.array(z.string()).nullish(),
  license: LicenseConfigWire.nullish(),
  links: z.array(PlanLinkWire).nullish(),
  files: z.array(PlanFileWire).nullish(),
  ordering: z.number().nullish(),
  /** Not in the spec's CatalogPlan; archiving sets it (the spec's DELETE). Seen on a GET by identifier. */
  isArchived: z.boolean().nullish(),
});
export type PlanWire = z.infer<typeof PlanWire>;

export const UsageAlertsWire = z.looseObject({
  enabled: z.boolean().nullish(),
  thresholds: z.array(z.number()).nullish(),
  thresholdType: z.string().nullish(),
});

/** `details` of an entitlement. Open-ended by spec (`additionalProperties: true`). */
export const EntitlementDetailsWire = z.looseObject({
  // Untyped in the spec ("For BOOLEAN: a boolean. For CUSTOMIZABLE / METER: a number."): a decimal string is
  // read too, and normalize makes it the number it spells (anything else costs the plan a warning).
  value: z.union([z.boolean(), z.number(), z.string()]).nullish(),
  hasUnlimitedUsage: z.boolean().nullish(),
  reset: z.string().nullish(),
  resetTime: z.string().nullish(),
  rollover: jsonObject.nullish(),
  usageAlerts: UsageAlertsWire.nullish(),
  hardLimit: z.boolean().nullish(),
  isInherited: z.boolean().nullish(),
  isValueOverridden: z.boolean().nullish(),
});
export type EntitlementDetailsWire = z.infer<typeof EntitlementDetailsWire>;

export const EntitlementWire = z.looseObject({
  feature: FeatureWire,
  details: EntitlementDetailsWire,
});
export type EntitlementWire = z.infer<typeof EntitlementWire>;

/**
 * The spec types tier amounts as numbers, but a decimal may arrive as a string ("0.0008", as DecimalField renders
 * it): read either here, so such a value costs its plan a warning where the catalog format cannot take it
 * (src/diff/project.ts), not the whole run a parse error. priceData, an open object, was already read as is.
 */
const amountWire = z.union([z.number(), z.string()]).nullish();

export const TierWire = z.looseObject({
  flatAmount: amountWire,
  unitAmount: amountWire,
  upTo: z.union([z.number(), z.string()]).nullish(),
});

export const ChargeWire = z.looseObject({
  chargePeriod: z.string().nullish(),
  priceData: jsonObject.nullish(),
  tiers: z.array(TierWire).nullish(),
  advanced: jsonObject.nullish(),
});
export type ChargeWire = z.infer<typeof ChargeWire>;

export const ChargeCatalogPriceWire = z.looseObject({
  feature: z.string().nullish(),
  priceModel: z.string().nullish(),
  reset: z.string().nullish(),
  resetTime: z.string().nullish(),
  hasUnlimitedUsage: z.boolean().nullish(),
  paymentType: z.string().nullish(),
  rollover: jsonObject.nullish(),
  usageAlerts: UsageAlertsWire.nullish(),
  charges: z.array(ChargeWire).nullish(),
});
export type ChargeCatalogPriceWire = z.infer<typeof ChargeCatalogPriceWire>;

export const PriceWire = z.looseObject({
  id: z.string().nullish(),
  // A string for the same reason as FeatureWire.featureType.
  priceType: z.string(),
  currency: z.string().nullish(),
  freeTrial: z.boolean().nullish(),
  trialPeriod: z.number().nullish(),
  enabled: z.boolean().nullish(),
  taxBehavior: z.string().nullish(),
  chargeCatalogPrice: z.array(ChargeCatalogPriceWire).nullish(),
});
export type PriceWire = z.infer<typeof PriceWire>;

/**
 * A subscription (the spec's Subscription), read with an allow-list: only what customer impact needs. The spec
 * names the plan by `plan.identifier` (and `name`), with no version: a count is per plan, not per version.
 * `status` is a free string in the spec ("common values: incomplete, incomplete_expired, trialing, active,
 * past_due, canceled" in its listSubscriptions parameter), so it is not an enum here either.
 */
export const SubscriptionWire = z.looseObject({
  id: z.string(),
  status: z.string().nullish(),
  customerId: z.string().nullish(),
  plan: z.looseObject({ identifier: z.string().nullish(), name: z.string().nullish() }).nullish(),
});
export type SubscriptionWire = z.infer<typeof SubscriptionWire>;

function buildPaginated<T extends z.ZodType>(item: T) {
  return z.looseObject({
    count: z.number().int().nonnegative(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

const paginatedCache = new WeakMap<z.ZodType, ReturnType<typeof buildPaginated>>();

/**
 * The page envelope around `item`. Built once per item schema: zod compiles each schema instance on first use,
 * and rebuilding it per request made parsing ~9x slower (a third of the client's CPU in a 500-plan plan).
 */
export function paginated<T extends z.ZodType>(item: T): ReturnType<typeof buildPaginated<T>> {
  let schema = paginatedCache.get(item);
  if (!schema) {
    schema = buildPaginated(item);
    paginatedCache.set(item, schema);
  }
  return schema as ReturnType<typeof buildPaginated<T>>;
}
export interface Page<T> {
  count: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
}

export const PublishResponseWire = z.looseObject({ status: z.string().nullish() });
export const PriceBulkResponseWire = z.looseObject({ prices: z.array(PriceWire) });
export const EntitlementPatchResponseWire = z.looseObject({ details: EntitlementDetailsWire });

// ---- Request bodies (what the client sends). Types only: the spec's request schemas are the contract,
// and the contract tests validate every body the client sends against them.

export interface ProductCreateBody {
  name: string;
  identifier?: string;
  description?: string;
  taxCode: (typeof TAX_CODES)[number];
}
export type ProductUpdateBody = Partial<Omit<ProductCreateBody, 'identifier'>>;
export interface ProductSettingsUpdateBody {
  vpn?: boolean;
  tor?: boolean;
  proxy?: boolean;
  currency?: string;
  productUrl?: string;
}
export interface FeatureCreateBody {
  name: string;
  identifier?: string;
  description?: string;
  featureType: (typeof FEATURE_TYPES)[number];
  featureDetails?: Record<string, unknown>;
  meter?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
export interface LicenseConfigBody {
  enabled?: boolean;
  activationLimit?: number;
  activationLimitEnabled?: boolean;
  durationUnit?: (typeof LICENSE_DURATION_UNITS)[number];
  durationValue?: number;
  hasExpiry?: boolean;
}
export interface PlanLinkBody {
  name: string;
  url: string;
}
export interface PlanCreateBody {
  name: string;
  identifier?: string;
  description?: string;
  /** Product UUID. */
  product: string;
  metadata?: Record<string, unknown>;
  isVisible?: boolean;
  license?: LicenseConfigBody;
  links?: PlanLinkBody[];
  ordering?: number;
}
/** The spec's PlanUpdateRequest: note that `ordering` and `product` are not updatable. */
export type PlanUpdateBody = Partial<Pick<PlanCreateBody, 'name' | 'description' | 'metadata' | 'isVisible' | 'license' | 'links'>>;
export interface PlanPublishBody {
  updateFeatures?: boolean;
  updatePricing?: boolean;
}
export type EntitlementDetailsBody = Record<string, unknown>;
export interface EntitlementAddBody {
  planEntitlements: Array<{ /** Feature UUID. */ feature: string; details: EntitlementDetailsBody }>;
}
export interface ChargeBody {
  chargePeriod?: (typeof CHARGE_PERIODS)[number];
  priceData?: Record<string, unknown>;
  tiers?: Array<{ flatAmount?: number; unitAmount?: number; upTo?: number | string | null }>;
  advanced?: Record<string, unknown>;
}
export interface ChargeCatalogPriceBody {
  /** Feature UUID, or null for the flat plan fee. */
  feature?: string | null;
  priceModel?: (typeof PRICE_MODELS)[number];
  reset?: (typeof RESETS)[number];
  resetTime?: string | null;
  hasUnlimitedUsage?: boolean;
  paymentType?: (typeof PAYMENT_TYPES)[number];
  rollover?: Record<string, unknown>;
  usageAlerts?: { enabled?: boolean; thresholds?: number[]; thresholdType?: (typeof THRESHOLD_TYPES)[number] };
  charges?: ChargeBody[];
}
export interface PriceBody {
  priceType: (typeof PRICE_TYPES)[number];
  currency?: string;
  freeTrial?: boolean;
  trialPeriod?: number;
  enabled?: boolean;
  taxBehavior?: (typeof TAX_BEHAVIORS)[number];
  chargeCatalogPrice?: ChargeCatalogPriceBody[];
}
export interface PriceBulkBody {
  prices: PriceBody[];
}
