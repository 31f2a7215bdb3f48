/**
 * Regional (location-based) prices: a plan's PAID prices in other currencies than its base price
 * (https://docs.kelviq.com/product-catalog/location-based-pricing). The dashboard shows, for each localized price,
 * "the billing cycles you already enabled for your default base price and usage based pricing" and asks for "the
 * exact localized amount … for each active interval"; for usage, "You must configure these usage rates across all
 * active billing periods … ensure every input has a defined price", with "localized unit prices and flat fees for
 * every single usage tier". So every other-currency price charges what the base price charges: the same features
 * (and the plan fee), in every charge period the base uses, with every tier bound (`upTo`) the base has.
 *
 * The usage controls are the base price's alone: "Regional prices inherit the base price's usage reset, usage alert,
 * and credit rollover settings. Regional pricing changes the localized monetary price; it does not create a separate
 * usage-policy configuration" (location-based-pricing), and "Update these controls on the base price"
 * (usage-based-billing, "Regional pricing and usage controls"). A localized charge that writes a `reset`,
 * `usageAlerts` or `rollover` other than the base's is a warning: the value is not what applies, and the pages do
 * not say what the API does with it.
 *
 * The base price is the PAID price in the product's `settings.currency` (the product's default currency). When the
 * product declares no currency, the first PAID price of the plan stands in for it, as the price the others are
 * written against. When the product's currency has no PAID price, `product-currency-price-missing` reports that
 * and nothing here is checked.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Charge, ChargeCatalogPrice, Price } from '../model.js';
import { error, warning } from '../diagnostics.js';
import type { Declared } from '../validate/declarations.js';
import { keyAt, related, valueAt, type RuleContext } from './context.js';

const TIERED_MODELS = new Set(['TIERED', 'VOLUME', 'STAIRSTEP']);

const describeItem = (feature: string | null) => (feature === null ? 'the plan fee' : `"${feature}"`);

export function basePriceIndex(context: RuleContext, plan: Declared<'plans'>): number {
  const prices = plan.value.prices ?? [];
  const productCurrency = context.products.get(plan.value.product)?.value.settings?.currency;
  const paid = (price: Price) => price.priceType === 'PAID' && price.currency !== undefined;
  if (productCurrency !== undefined) return prices.findIndex((price) => paid(price) && price.currency === productCurrency);
  return prices.findIndex(paid);
}

export function checkRegionalPrices(context: RuleContext, plan: Declared<'plans'>): void {
  const prices = plan.value.prices ?? [];
  const b = basePriceIndex(context, plan);
  if (b < 0) return;
  const base = prices[b]!;
  const baseItems = base.chargeCatalogPrice ?? [];
  prices.forEach((price, p) => {
    if (p === b || price.priceType !== 'PAID' || price.currency === undefined || price.currency === base.currency) return;
    const where = `plan "${plan.id}", PAID price in ${price.currency}`;
    const items = price.chargeCatalogPrice ?? [];
    baseItems.forEach((baseItem, bc) => {
      const basePath = ['prices', b, 'chargeCatalogPrice', bc];
      const c = items.findIndex((item) => item.feature === baseItem.feature);
      if (c < 0) {
        context.report(
          error(
            'regional-price-incomplete',
            `${where}: the base price (${base.currency}) charges ${describeItem(baseItem.feature)}, this price does not; a localized price needs an amount for everything the base price charges: add a chargeCatalogPrice for ${describeItem(baseItem.feature)} in ${price.currency}`,
            valueAt(plan, ['prices', p, 'currency']),
            [related(baseItem.feature === null ? valueAt(plan, basePath) : valueAt(plan, [...basePath, 'feature']), 'charged by the base price here')],
          ),
        );
        return;
      }
      checkUsageControls(context, plan, where, base.currency!, baseItem, items[c]!, basePath, ['prices', p, 'chargeCatalogPrice', c]);
      checkCharges(context, plan, where, base.currency!, baseItem, items[c]!, basePath, ['prices', p, 'chargeCatalogPrice', c]);
    });
  });
}

const USAGE_CONTROLS = ['reset', 'usageAlerts', 'rollover'] as const;

function checkUsageControls(
  context: RuleContext,
  plan: Declared<'plans'>,
  where: string,
  baseCurrency: string,
  baseItem: ChargeCatalogPrice,
  item: ChargeCatalogPrice,
  basePath: (string | number)[],
  path: (string | number)[],
): void {
  if (baseItem.feature === null) return;
  for (const key of USAGE_CONTROLS) {
    if (item[key] === undefined || isDeepStrictEqual(item[key], baseItem[key])) continue;
    const base = baseItem[key] === undefined ? 'writes none' : `writes ${JSON.stringify(baseItem[key])}`;
    context.report(
      warning(
        'regional-price-usage-controls',
        `${where}: "${baseItem.feature}" writes ${key} ${JSON.stringify(item[key])}, but a localized price inherits the base price's usage reset, usage alerts and credit rollover, and the base price (${baseCurrency}) ${base} (Kelviq's docs do not say what the API does with a different value here); change ${key} on the base price, and leave it out of this price or write the same value`,
        keyAt(plan, [...path, key]),
        baseItem[key] === undefined ? [] : [related(keyAt(plan, [...basePath, key]), 'base price setting here')],
      ),
    );
  }
}

function checkCharges(
  context: RuleContext,
  plan: Declared<'plans'>,
  where: string,
  baseCurrency: string,
  baseItem: ChargeCatalogPrice,
  item: ChargeCatalogPrice,
  basePath: (string | number)[],
  path: (string | number)[],
): void {
  const what = describeItem(baseItem.feature);
  baseItem.charges.forEach((baseCharge, bk) => {
    if (baseCharge.chargePeriod === undefined) return;
    const baseAt = valueAt(plan, [...basePath, 'charges', bk, 'chargePeriod']);
    const k = item.charges.findIndex((charge) => charge.chargePeriod === baseCharge.chargePeriod);
    if (k < 0) {
      context.report(
        error(
          'regional-price-incomplete',
          `${where}: the base price (${baseCurrency}) charges ${what} ${baseCharge.chargePeriod}, this price does not; a localized price needs an amount for every billing period of the base price: add a ${baseCharge.chargePeriod} charge for ${what}`,
          keyAt(plan, [...path, 'charges']),
          [related(baseAt, 'charged by the base price here')],
        ),
      );
      return;
    }
    if (!TIERED_MODELS.has(baseItem.priceModel)) return;
    const missing = missingTierBounds(baseCharge, item.charges[k]!);
    if (missing.length) {
      context.report(
        error(
          'regional-price-incomplete',
          `${where}: the base price (${baseCurrency}) prices ${what} ${baseCharge.chargePeriod} in tiers up to ${missing.join(', ')}, this price has no such tier; a localized price needs an amount for every tier of the base price: add the tiers with the same upTo bounds`,
          item.charges[k]!.tiers ? keyAt(plan, [...path, 'charges', k, 'tiers']) : valueAt(plan, [...path, 'charges', k]),
          [related(keyAt(plan, [...basePath, 'charges', bk, 'tiers']), 'base price tiers here')],
        ),
      );
    }
  });
}

function missingTierBounds(base: Charge, regional: Charge): Array<number | 'inf'> {
  const bounds = new Set((regional.tiers ?? []).map((tier) => tier.upTo));
  return (base.tiers ?? []).map((tier) => tier.upTo).filter((upTo) => !bounds.has(upTo));
}
