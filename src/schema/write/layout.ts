/**
 * The canonical layout of a catalog file: for every object the format has, the order its keys are written in
 * (the order the README's format reference lists them: what identifies a thing first, then what describes it,
 * then what it grants and costs), and what each key holds. `pull`/`init` write in this order and `fmt`
 * rewrites files into it, so both agree byte for byte.
 *
 * Free-form values (`metadata`, `meter.filters`, `featureDetails.customerUnit`) are kept as written: their
 * keys belong to the user, not to the format.
 */

export type Layout =
  | { kind: 'object'; keys: readonly string[]; fields: Readonly<Record<string, Layout>> }
  | { kind: 'list'; item: Layout }
  /** A mapping keyed by user data (entitlements keyed by feature identifier): keys kept as written. */
  | { kind: 'map'; value: Layout }
  /** A scalar, or free-form data: nothing to order. */
  | { kind: 'free' };

const free: Layout = { kind: 'free' };
const list = (item: Layout): Layout => ({ kind: 'list', item });
const map = (value: Layout): Layout => ({ kind: 'map', value });

/** An object whose keys are written in the order given; `fields` says what the non-scalar keys hold. */
function object(keys: readonly string[], fields: Record<string, Layout> = {}): Layout {
  for (const key of Object.keys(fields)) {
    if (!keys.includes(key)) throw new Error(`layout: "${key}" has a layout but no place in the key order`);
  }
  const all: Record<string, Layout> = {};
  for (const key of keys) all[key] = fields[key] ?? free;
  return { kind: 'object', keys, fields: all };
}

const usageAlerts = object(['enabled', 'thresholds', 'thresholdType'], { thresholds: list(free) });
const rollover = object(['enabled', 'percentage', 'limit']);

export const PRODUCT_SETTINGS_LAYOUT = object(['currency', 'vpn', 'tor', 'proxy', 'productUrl']);

export const PRODUCT_LAYOUT = object(['identifier', 'name', 'description', 'taxCode', 'settings'], {
  settings: PRODUCT_SETTINGS_LAYOUT,
});

export const FEATURE_LAYOUT = object(['identifier', 'name', 'description', 'featureType', 'featureDetails', 'meter', 'metadata'], {
  featureDetails: object(['featureSubType', 'units', 'customerUnit'], { units: object(['singular', 'plural']) }),
  meter: object(['aggregation', 'filters'], { aggregation: object(['function', 'field']) }),
});

export const ENTITLEMENT_LAYOUT = object(['value', 'hasUnlimitedUsage', 'reset', 'resetTime', 'rollover', 'usageAlerts', 'hardLimit'], {
  rollover,
  usageAlerts,
});

export const TIER_LAYOUT = object(['upTo', 'unitAmount', 'flatAmount']);

export const CHARGE_LAYOUT = object(['chargePeriod', 'priceData', 'tiers', 'advanced'], {
  priceData: object(['amount', 'block_size', 'currency']),
  tiers: list(TIER_LAYOUT),
  advanced: object(['min_quantity', 'max_quantity']),
});

export const CHARGE_CATALOG_PRICE_LAYOUT = object(
  ['feature', 'priceModel', 'reset', 'resetTime', 'hasUnlimitedUsage', 'rollover', 'usageAlerts', 'paymentType', 'charges'],
  { rollover, usageAlerts, charges: list(CHARGE_LAYOUT) },
);

export const PRICE_LAYOUT = object(['priceType', 'currency', 'freeTrial', 'trialPeriod', 'enabled', 'taxBehavior', 'chargeCatalogPrice'], {
  chargeCatalogPrice: list(CHARGE_CATALOG_PRICE_LAYOUT),
});

export const LICENSE_LAYOUT = object(['enabled', 'activationLimitEnabled', 'activationLimit', 'hasExpiry', 'durationUnit', 'durationValue']);

export const LINK_LAYOUT = object(['name', 'url']);

export const PLAN_LAYOUT = object(
  ['identifier', 'product', 'name', 'description', 'isVisible', 'ordering', 'metadata', 'license', 'links', 'entitlements', 'prices'],
  { license: LICENSE_LAYOUT, links: list(LINK_LAYOUT), entitlements: map(ENTITLEMENT_LAYOUT), prices: list(PRICE_LAYOUT) },
);

/** A policy rule: its name, its parameters, then its severity. */
export const POLICY_RULE_LAYOUT = object(['rule', 'increase', 'decrease', 'maxSubscriptions', 'currencies', 'min', 'max', 'severity'], {
  currencies: list(free),
});

export const POLICY_LAYOUT = object(['rules'], { rules: list(POLICY_RULE_LAYOUT) });

/** A whole catalog file: what Kelviq holds, then the policy that guards changes to it. */
export const CATALOG_FILE_LAYOUT = object(['products', 'features', 'plans', 'policy'], {
  products: list(PRODUCT_LAYOUT),
  features: list(FEATURE_LAYOUT),
  plans: list(PLAN_LAYOUT),
  policy: POLICY_LAYOUT,
});

/** Where `key` goes among `keys`: its position, or after every known key (unknown keys keep their order). */
export function keyRank(layout: Extract<Layout, { kind: 'object' }>, key: string): number {
  const index = layout.keys.indexOf(key);
  return index === -1 ? layout.keys.length : index;
}
