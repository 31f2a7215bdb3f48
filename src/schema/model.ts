/**
 * The canonical catalog model: what a catalog means once every file is parsed, every shorthand expanded and
 * every file merged. The engine (diff, plan, apply, pull) only ever sees this shape.
 *
 * Field semantics the engine relies on (also stated in the README's format reference):
 * - An optional field that is `undefined` is NOT managed: its live value is never diffed or written.
 * - `Plan.entitlements`, when defined, is the plan's complete set: a live entitlement whose feature is not a key
 *   here is removed. `undefined` means entitlements are left alone.
 * - `Plan.prices`, when defined, is the plan's complete price set (replaced atomically). `undefined` means prices
 *   are left alone.
 * - Inside an entitlement's details, a price, a charge-catalog price or a charge, only the fields that are set
 *   are compared; whatever Kelviq holds for the rest never shows as a diff.
 * - Every cross-reference is an identifier slug, never a UUID (`Plan.product`, entitlement keys,
 *   `ChargeCatalogPrice.feature`).
 */
import type {
  CHARGE_PERIODS,
  FEATURE_TYPES,
  LICENSE_DURATION_UNITS,
  PAYMENT_TYPES,
  PRICE_MODELS,
  PRICE_TYPES,
  RESETS,
  TAX_BEHAVIORS,
  TAX_CODES,
  THRESHOLD_TYPES,
} from '../client/wire-enums.js';

export type TaxCode = (typeof TAX_CODES)[number];
export type FeatureType = (typeof FEATURE_TYPES)[number];
export type Reset = (typeof RESETS)[number];
export type PriceType = (typeof PRICE_TYPES)[number];
export type TaxBehavior = (typeof TAX_BEHAVIORS)[number];
export type PriceModel = (typeof PRICE_MODELS)[number];
export type PaymentType = (typeof PAYMENT_TYPES)[number];
export type ChargePeriod = (typeof CHARGE_PERIODS)[number];
export type LicenseDurationUnit = (typeof LICENSE_DURATION_UNITS)[number];
export type ThresholdType = (typeof THRESHOLD_TYPES)[number];

export type JsonObject = { [key: string]: unknown };

export interface ProductSettings {
  currency?: string;
  vpn?: boolean;
  tor?: boolean;
  proxy?: boolean;
  productUrl?: string;
}

export interface Product {
  identifier: string;
  name: string;
  description?: string;
  taxCode: TaxCode;
  /** Undefined: settings are not managed. Inside, each undefined field is not managed. */
  settings?: ProductSettings;
}

export interface Feature {
  identifier: string;
  name: string;
  description?: string;
  featureType: FeatureType;
  /** METER: `{ featureSubType, units, customerUnit? }`. */
  featureDetails?: JsonObject;
  /** RAW_EVENTS meters: `{ aggregation, filters }`. */
  meter?: JsonObject;
  metadata?: JsonObject;
}

export interface UsageAlerts {
  enabled?: boolean;
  thresholds?: number[];
  thresholdType?: ThresholdType;
}

/** The API's PlanEntitlementDetails, expanded. Unknown keys the API accepts are kept verbatim. */
export interface EntitlementDetails {
  /** boolean for BOOLEAN features, number otherwise. */
  value?: boolean | number;
  hasUnlimitedUsage?: boolean;
  reset?: Reset;
  resetTime?: string | null;
  rollover?: JsonObject;
  usageAlerts?: UsageAlerts;
  hardLimit?: boolean;
  [extra: string]: unknown;
}

export interface LicenseConfig {
  enabled?: boolean;
  activationLimit?: number;
  activationLimitEnabled?: boolean;
  durationUnit?: LicenseDurationUnit;
  durationValue?: number;
  hasExpiry?: boolean;
}

export interface PlanLink {
  name: string;
  url: string;
}

export interface Tier {
  flatAmount?: number;
  unitAmount?: number;
  /** A positive integer, or 'inf' for the unbounded last tier. */
  upTo: number | 'inf';
}

export interface Charge {
  chargePeriod?: ChargePeriod;
  /** FLAT/PACKAGE: `{ amount, block_size? }`; TIERED/VOLUME/STAIRSTEP: `{ currency }` or absent. */
  priceData?: JsonObject;
  tiers?: Tier[];
  advanced?: JsonObject;
}

export interface ChargeCatalogPrice {
  /** Feature identifier; null for the flat plan fee. */
  feature: string | null;
  priceModel: PriceModel;
  reset?: Reset;
  resetTime?: string | null;
  hasUnlimitedUsage?: boolean;
  paymentType?: PaymentType;
  rollover?: JsonObject;
  usageAlerts?: UsageAlerts;
  charges: Charge[];
}

export interface Price {
  priceType: PriceType;
  currency?: string;
  freeTrial?: boolean;
  trialPeriod?: number;
  enabled?: boolean;
  taxBehavior?: TaxBehavior;
  chargeCatalogPrice?: ChargeCatalogPrice[];
}

export interface Plan {
  identifier: string;
  /** Product identifier. */
  product: string;
  name: string;
  description?: string;
  isVisible?: boolean;
  /** Settable at creation only: the API's PlanUpdateRequest has no `ordering`. */
  ordering?: number;
  metadata?: JsonObject;
  license?: LicenseConfig;
  links?: PlanLink[];
  /** Keyed by feature identifier. Undefined: entitlements not managed. Defined: the complete set. */
  entitlements?: Record<string, EntitlementDetails>;
  /** Undefined: prices not managed. Defined: the complete set. */
  prices?: Price[];
}

/**
 * The catalog's `policy`: pricing rules enforced by validate (offline rules), plan, apply and promote (src/policy).
 * Not part of `Catalog`: it says what a change may do, not what Kelviq holds, so it is never diffed, pulled or
 * written to Kelviq.
 */
export type PolicySeverity = 'error' | 'warning';

interface PolicyRuleBase {
  /** Default `error`. */
  severity: PolicySeverity;
  /** Where the rule is written, `file:line:col` (set by the loader; a saved plan keeps it). */
  where?: string;
}

export type PolicyRule = PolicyRuleBase &
  (
    | { rule: 'max-price-change'; increase?: number; decrease?: number }
    | { rule: 'keep-grants-with-customers' }
    | { rule: 'migrate-needs-approval'; maxSubscriptions: number }
    | { rule: 'required-currencies'; currencies: string[] }
    | { rule: 'trial-days'; min?: number; max?: number }
  );

export interface Policy {
  rules: PolicyRule[];
}

export interface Catalog {
  products: Product[];
  features: Feature[];
  plans: Plan[];
}

/** Where a thing was declared: 1-based line and column, file path as given to the loader. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `yaml-syntax`, `unknown-key`, `duplicate-identifier`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Other places involved (e.g. the first declaration of a duplicate). */
  related?: Array<SourceLocation & { message: string }>;
}

/**
 * Locations of declarations, addressed by a pointer of identifiers rather than array indexes, so the engine can
 * point at the right line: `/plans/pro-monthly`, `/plans/pro-monthly/name`, `/plans/pro-monthly/entitlements/seats`,
 * `/features/api-calls/featureType`, `/products/acme/settings/currency`.
 */
export interface SourceLocator {
  locate(pointer: string): SourceLocation | undefined;
}

export interface LoadResult {
  /** Present when there are no errors (warnings allowed). */
  catalog?: Catalog;
  diagnostics: Diagnostic[];
  locations: SourceLocator;
  /** Files read, in the order they were merged. */
  files: string[];
  /** The catalog's `policy`, when one of its files holds one (and the catalog is valid). */
  policy?: Policy;
}
