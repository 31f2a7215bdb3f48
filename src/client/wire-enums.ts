/**
 * The Kelviq API's enumerations, apart from the wire schemas (`wire.ts`) so the catalog format can use them
 * without building the client's zod schemas: `validate` never talks to Kelviq and starts faster without them.
 */
export const TAX_CODES = [
  'saas',
  'saas_business',
  'software',
  'videocontent',
  'informationservice',
  'ebook',
  'digitalgraphic',
  'videogame',
  'eservice',
  'training',
] as const;
export const FEATURE_TYPES = ['BOOLEAN', 'CUSTOMIZABLE', 'METER'] as const;
export const FEATURE_SUB_TYPES = ['PRE_AGGREGATED_USAGE', 'RAW_EVENTS'] as const;
export const RESETS = ['NEVER', 'EVERY_DAY', 'EVERY_28_DAYS', 'EVERY_MONTH', 'EVERY_QUARTER', 'EVERY_YEAR'] as const;
export const PRICE_TYPES = ['FREE', 'PAID', 'CUSTOM'] as const;
export const TAX_BEHAVIORS = ['INCLUSIVE', 'EXCLUSIVE', 'UNSPECIFIED'] as const;
export const PRICE_MODELS = ['FLAT', 'PACKAGE', 'TIERED', 'VOLUME', 'STAIRSTEP'] as const;
export const PAYMENT_TYPES = ['ADVANCE_COMMITMENT', 'PAY_AS_YOU_GO'] as const;
export const CHARGE_PERIODS = ['ONE_TIME', 'DAILY', 'MONTHLY', 'QUARTERLY', 'YEARLY'] as const;
export const LICENSE_DURATION_UNITS = ['DAY', 'MONTH', 'YEAR'] as const;
export const THRESHOLD_TYPES = ['PERCENTAGE', 'BALANCE'] as const;
