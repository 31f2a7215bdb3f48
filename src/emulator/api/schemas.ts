/**
 * Request bodies as the API validates them. Wherever the spec lists an object's properties (every request schema
 * under `/catalog/` in spec/kelviq-openapi.extract.json), a key it does not list is refused with a 400 naming the
 * key: DRF would silently ignore it, but a sync engine that sends one has a bug worth seeing (a field it believes
 * it manages and the server never stores). Objects the spec leaves open (`additionalProperties: true`:
 * PlanEntitlementDetails, metadata, featureDetails, meter, rollover, priceData, advanced) keep unknown keys.
 * Fields the spec lists but the emulator deliberately refuses use `refuse`.
 */
import { z } from 'zod';
import {
  CHARGE_PERIODS,
  FEATURE_SUB_TYPES,
  FEATURE_TYPES,
  LICENSE_DURATION_UNITS,
  PAYMENT_TYPES,
  PRICE_MODELS,
  PRICE_TYPES,
  RESETS,
  TAX_BEHAVIORS,
  TAX_CODES,
  THRESHOLD_TYPES,
} from '../../client/wire.js';
import { SLUG_PATTERN } from '../model/ids.js';

const text = z.string();
const nonBlank = z.string().trim().min(1);
const jsonObject = z.record(z.string(), z.unknown());
const slug = z.string().regex(SLUG_PATTERN, { error: 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.' });
const url = z.url({ protocol: /^https?$/, error: 'Enter a valid URL.' });
const currency = z.string().regex(/^[A-Za-z]{3}$/, { error: 'Enter a valid ISO 4217 currency code.' });
/** Decimal amounts arrive as numbers or as decimal strings ("29.00"), like Django's DecimalField accepts. */
export const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)], { error: 'A valid number is required.' });

/** A key the emulator rejects instead of ignoring; see the module comment. */
const refuse = (message: string) => z.unknown().refine((value) => value === undefined, { error: message }).optional();
const noUploads = refuse('File uploads are not emulated; attach files in the dashboard.');

export const ProductCreate = z.strictObject({
  name: nonBlank,
  identifier: slug.optional(),
  description: text.optional(),
  taxCode: z.enum(TAX_CODES),
  imageKeys: noUploads,
});

export const ProductUpdate = z.strictObject({
  name: nonBlank.optional(),
  description: text.optional(),
  taxCode: z.enum(TAX_CODES).optional(),
  identifier: refuse('This field cannot be changed.'),
  imageKeys: noUploads,
  fileKeys: noUploads,
});

export const ProductSettingsUpdate = z.strictObject({
  vpn: z.boolean().optional(),
  tor: z.boolean().optional(),
  proxy: z.boolean().optional(),
  currency: currency.optional(),
  /** Null or "" clears it (the stored value is then null, as served before it was ever set). */
  productUrl: z.union([url, z.literal(''), z.null()]).optional(),
});

export const FeatureCreate = z
  .strictObject({
    name: nonBlank,
    identifier: slug.optional(),
    description: text.optional(),
    featureType: z.enum(FEATURE_TYPES),
    featureDetails: jsonObject.optional(),
    meter: jsonObject.optional(),
    metadata: jsonObject.optional(),
  })
  .superRefine((feature, context) => {
    if (feature.featureType !== 'METER') return;
    const details = feature.featureDetails ?? {};
    const subType = details.featureSubType;
    if (subType === undefined || subType === null) {
      context.addIssue({ code: 'custom', path: ['featureDetails', 'featureSubType'], message: 'This field is required for METER features.' });
    } else if (!(FEATURE_SUB_TYPES as readonly unknown[]).includes(subType)) {
      context.addIssue({ code: 'custom', path: ['featureDetails', 'featureSubType'], message: `"${String(subType)}" is not a valid choice.` });
    }
    const units = details.units;
    if (units === undefined || units === null || units === '') {
      context.addIssue({ code: 'custom', path: ['featureDetails', 'units'], message: 'This field is required for METER features.' });
    } else {
      // Units are `{ singular, plural }` (the spec's example; docs product-catalog/create-a-feature.mdx, Method 2),
      // and "A Meter feature cannot be created" without them: "Enter both the singular and plural unit names"
      // (create-a-feature.mdx, "Common problems").
      const names = typeof units === 'object' && !Array.isArray(units) ? (units as Record<string, unknown>) : {};
      for (const key of ['singular', 'plural']) {
        const name = names[key];
        if (typeof name !== 'string' || name.trim() === '') context.addIssue({ code: 'custom', path: ['featureDetails', 'units', key], message: 'This field is required for METER features.' });
      }
    }
    if (subType !== 'RAW_EVENTS') return;
    const meter = feature.meter;
    if (!meter) {
      context.addIssue({ code: 'custom', path: ['meter'], message: 'This field is required for RAW_EVENTS meters.' });
      return;
    }
    if (meter.aggregation === undefined || meter.aggregation === null || typeof meter.aggregation !== 'object') {
      context.addIssue({ code: 'custom', path: ['meter', 'aggregation'], message: 'This field is required for RAW_EVENTS meters.' });
    }
    if (meter.filters === undefined || meter.filters === null || typeof meter.filters !== 'object') {
      context.addIssue({ code: 'custom', path: ['meter', 'filters'], message: 'This field is required for RAW_EVENTS meters.' });
    }
  });

export const LicenseConfig = z.strictObject({
  enabled: z.boolean().optional(),
  activationLimit: z.int().min(1).optional(),
  activationLimitEnabled: z.boolean().optional(),
  durationUnit: z.enum(LICENSE_DURATION_UNITS).optional(),
  durationValue: z.int().min(1).optional(),
  hasExpiry: z.boolean().optional(),
});

/** "Each link requires both a name and URL to be saved"; URLs "must start with https:// or http://" (docs product-catalog/links.mdx). */
export const PlanLink = z.strictObject({ name: nonBlank, url });

const planWritable = {
  name: nonBlank,
  description: text.optional(),
  metadata: jsonObject.optional(),
  isVisible: z.boolean().optional(),
  license: LicenseConfig.optional(),
  links: z.array(PlanLink).optional(),
  fileKeys: noUploads,
};

export const PlanCreate = z.strictObject({
  ...planWritable,
  identifier: slug.optional(),
  product: text,
  ordering: z.int().nullable().optional(),
});

/** PlanUpdateRequest has neither `ordering` nor `product`: the emulator answers 400 rather than ignore them. */
export const PlanUpdate = z.strictObject({
  ...planWritable,
  name: nonBlank.optional(),
  identifier: refuse('This field cannot be changed.'),
  product: refuse('This field cannot be changed: a plan belongs to one product.'),
  ordering: refuse('This field cannot be updated; the API sets ordering only when a plan is created.'),
});

export const PlanPublish = z.strictObject({
  updateFeatures: z.boolean().optional(),
  updatePricing: z.boolean().optional(),
});

/**
 * Threshold ranges as documented: "`thresholdType` is `PERCENTAGE` (thresholds are 1-100) or `BALANCE` (thresholds
 * are absolute usage values)" (openapi.json, PlanEntitlementDetails.usageAlerts and
 * PlanChargeCatalogPrice.usageAlerts), with the valid values "1–100" for PERCENTAGE and "Any number greater than
 * or equal to 1" for BALANCE (docs product-catalog/usage-alerts.mdx, "Choose a threshold type"). Without a
 * thresholdType (Kelviq documents no default) only what both types forbid, below 1, is refused.
 */
const UsageAlerts = z
  .strictObject({
    enabled: z.boolean().optional(),
    thresholds: z.array(z.number()).optional(),
    thresholdType: z.enum(THRESHOLD_TYPES).optional(),
  })
  .superRefine((alerts, context) => {
    for (const threshold of alerts.thresholds ?? []) {
      if (alerts.thresholdType === 'PERCENTAGE' && (threshold < 1 || threshold > 100)) {
        context.addIssue({ code: 'custom', path: ['thresholds'], message: `PERCENTAGE thresholds are 1 to 100, got ${threshold}.` });
      } else if (threshold < 1) {
        context.addIssue({ code: 'custom', path: ['thresholds'], message: `Thresholds are at least 1, got ${threshold}.` });
      }
    }
  });

/**
 * Open like the spec's rollover ("Optional `{ enabled, percentage, limit }`", additionalProperties), with the one
 * documented range: the percentage of unused units carried forward "can be from 0% to 100%" (docs
 * product-catalog/usage-based-billing.mdx, "Credit rollover").
 */
const Rollover = jsonObject.superRefine((rollover, context) => {
  const { percentage } = rollover;
  if (typeof percentage === 'number' && (percentage < 0 || percentage > 100)) {
    context.addIssue({ code: 'custom', path: ['percentage'], message: `The rollover percentage is 0 to 100, got ${percentage}.` });
  }
});

/** Open-ended like the spec's PlanEntitlementDetails: known keys are typed, other keys kept. */
export const EntitlementDetails = z.looseObject({
  value: z.union([z.boolean(), z.number()], { error: 'Must be a boolean or a number.' }).nullable().optional(),
  hasUnlimitedUsage: z.boolean().optional(),
  reset: z.enum(RESETS).optional(),
  resetTime: z.string().nullable().optional(),
  rollover: Rollover.optional(),
  usageAlerts: UsageAlerts.optional(),
  hardLimit: z.boolean().optional(),
  isInherited: z.boolean().optional(),
  isValueOverridden: z.boolean().optional(),
});

export const EntitlementAdd = z.strictObject({
  planEntitlements: z.array(z.strictObject({ feature: text, details: EntitlementDetails })).min(1),
});

export const EntitlementPatch = z.strictObject({ details: EntitlementDetails });

/**
 * A tier amount is a `number` in the spec (PlanCharge.tiers[].flatAmount / unitAmount), in requests and in
 * responses alike: a decimal string is accepted as DecimalField accepts one, but stored and served as the number
 * it spells, so a response never carries a string where the spec promises a number.
 */
const tierAmount = decimal.transform((value) => (typeof value === 'string' ? Number(value) : value));

const Tier = z.strictObject({
  flatAmount: tierAmount.optional(),
  unitAmount: tierAmount.optional(),
  // "Upper bound of the tier. Integer, or the string "inf" for an unbounded final tier." (PlanCharge.tiers[].upTo)
  upTo: z.union([z.int(), z.literal('inf')], { error: 'Enter an integer, or "inf" for an unbounded final tier.' }).nullable().optional(),
});

/** Only the final tier may be unbounded: "inf" is "for an unbounded final tier" (the spec's PlanCharge.tiers). */
const Tiers = z.array(Tier).superRefine((tiers, context) => {
  tiers.forEach((tier, index) => {
    if (tier.upTo === 'inf' && index < tiers.length - 1) {
      context.addIssue({ code: 'custom', path: [index, 'upTo'], message: 'Only the final tier can be unbounded ("inf").' });
    }
  });
});

const Charge = z.strictObject({
  chargePeriod: z.enum(CHARGE_PERIODS).optional(),
  priceData: jsonObject.optional(),
  tiers: Tiers.optional(),
  advanced: jsonObject.optional(),
});

const ChargeCatalogPrice = z.strictObject({
  feature: text.nullable().optional(),
  priceModel: z.enum(PRICE_MODELS),
  reset: z.enum(RESETS).optional(),
  resetTime: z.string().nullable().optional(),
  hasUnlimitedUsage: z.boolean().optional(),
  paymentType: z.enum(PAYMENT_TYPES).optional(),
  rollover: Rollover.optional(),
  usageAlerts: UsageAlerts.optional(),
  charges: z.array(Charge).optional(),
});

export const Price = z.strictObject({
  priceType: z.enum(PRICE_TYPES),
  currency: currency.optional(),
  freeTrial: z.boolean().optional(),
  trialPeriod: z.int().min(0).optional(),
  enabled: z.boolean().optional(),
  taxBehavior: z.enum(TAX_BEHAVIORS).optional(),
  chargeCatalogPrice: z.array(ChargeCatalogPrice).optional(),
});
export type PriceInput = z.infer<typeof Price>;

export const PriceBulk = z.strictObject({ prices: z.array(Price) });
