/**
 * A deterministic, realistic catalog of any size, in the canonical model: used by the engine benchmark and by
 * tests that need scale (pagination, pull round trips). Entitlements cycle through all three feature types; each
 * plan has a PAID price per currency with a flat monthly fee.
 */
import type { Catalog, EntitlementDetails, Feature, Plan, Price } from '../src/schema/model.js';

export interface GenerateOptions {
  plans: number;
  entitlementsPerPlan: number;
  pricesPerPlan: number;
  products?: number;
  /** Features in the catalog (default: entitlementsPerPlan); plan i is entitled to entitlementsPerPlan of them, from (i × entitlementsPerPlan) on, cyclically. */
  features?: number;
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'JPY', 'AUD', 'CAD'];

export function generateCatalog(options: GenerateOptions): Catalog {
  const productCount = options.products ?? Math.max(1, Math.ceil(options.plans / 250));
  if (options.pricesPerPlan > CURRENCIES.length) throw new RangeError(`at most ${CURRENCIES.length} prices per plan`);
  const products = Array.from({ length: productCount }, (_, index) => ({
    identifier: `product-${index + 1}`,
    name: `Product ${index + 1}`,
    taxCode: 'saas' as const,
    settings: { currency: 'USD' },
  }));
  const featureCount = options.features ?? options.entitlementsPerPlan;
  if (options.entitlementsPerPlan > featureCount) throw new RangeError('more entitlements per plan than features');
  const features: Feature[] = Array.from({ length: featureCount }, (_, index) => featureAt(index));
  const plans: Plan[] = Array.from({ length: options.plans }, (_, index) => {
    const entitlements: Record<string, EntitlementDetails> = {};
    for (let k = 0; k < options.entitlementsPerPlan; k++) {
      const feature = features[(index * options.entitlementsPerPlan + k) % featureCount]!;
      entitlements[feature.identifier] = entitlementFor(feature, index);
    }
    const prices: Price[] = CURRENCIES.slice(0, options.pricesPerPlan).map((currency) => ({
      priceType: 'PAID',
      currency,
      chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 10 + (index % 90) } }] }],
    }));
    return {
      identifier: `plan-${String(index + 1).padStart(4, '0')}`,
      product: products[index % productCount]?.identifier ?? 'product-1',
      name: `Plan ${index + 1}`,
      description: `Generated plan ${index + 1}`,
      entitlements,
      prices,
    };
  });
  return { products, features, plans };
}

function featureAt(index: number): Feature {
  const identifier = `feature-${String(index + 1).padStart(2, '0')}`; // feature-01 … feature-99, feature-100
  switch (index % 3) {
    case 0:
      return { identifier, name: `Feature ${index + 1}`, featureType: 'BOOLEAN' };
    case 1:
      return { identifier, name: `Feature ${index + 1}`, featureType: 'CUSTOMIZABLE' };
    default:
      return {
        identifier,
        name: `Feature ${index + 1}`,
        featureType: 'METER',
        featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'unit', plural: 'units' } },
      };
  }
}

function entitlementFor(feature: Feature, planIndex: number): EntitlementDetails {
  if (feature.featureType === 'BOOLEAN') return { value: planIndex % 2 === 0 };
  if (feature.featureType === 'CUSTOMIZABLE') return { value: 1 + (planIndex % 50) };
  return { value: 1000 * (1 + (planIndex % 10)), reset: 'EVERY_MONTH' };
}

/** Changes `fraction` of the plans (name and one entitlement value), deterministically. */
export function mutateCatalog(catalog: Catalog, fraction: number): Catalog {
  const every = Math.max(1, Math.round(1 / fraction));
  const plans = catalog.plans.map((plan, index) => {
    if (index % every !== 0) return plan;
    const entitlements = { ...plan.entitlements };
    const first = Object.keys(entitlements).find((key) => typeof entitlements[key]?.value === 'number');
    if (first) entitlements[first] = { ...entitlements[first], value: Number(entitlements[first]?.value) + 1 };
    return { ...plan, name: `${plan.name} (revised)`, entitlements };
  });
  return { ...catalog, plans };
}
