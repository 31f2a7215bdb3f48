/**
 * Plan prices. The bulk endpoint replaces the whole set atomically: every check runs first, and a 400 leaves
 * the plan (and its version history) untouched.
 */
import { cloneJson } from '../model/clone.js';
import { nowIso } from '../model/ids.js';
import type { JsonObject, PlanRecord } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { FieldErrors, parseBody } from './errors.js';
import { paginate } from './pagination.js';
import { json, type Route } from './route.js';
import { livePlan, refuseOlderVersionWrite, requestedVersion } from './plans.js';
import { PriceBulk, decimal, type PriceInput } from './schemas.js';

const MODELS_WITH_AMOUNT = new Set(['FLAT', 'PACKAGE']);

/** Checks a parsed price list against the business rules and the store; returns the prices to store. */
export function pricesToStore(store: CatalogStore, plan: PlanRecord, prices: readonly PriceInput[], errors: FieldErrors): JsonObject[] {
  const paidCurrencies = new Set<string>();
  prices.forEach((price, index) => {
    const at = ['prices', index];
    if (price.priceType === 'PAID') {
      if (!price.currency) errors.add([...at, 'currency'], 'This field is required for PAID prices.');
      else if (paidCurrencies.has(price.currency.toUpperCase())) {
        errors.add([...at, 'currency'], `Duplicate PAID price in ${price.currency.toUpperCase()}: one price per currency.`);
      } else paidCurrencies.add(price.currency.toUpperCase());
    }
    (price.chargeCatalogPrice ?? []).forEach((item, itemIndex) => {
      const itemAt = [...at, 'chargeCatalogPrice', itemIndex];
      if (item.feature != null) {
        const feature = store.features.get(item.feature);
        if (!feature || feature.archived) errors.add([...itemAt, 'feature'], `Invalid pk "${item.feature}" - object does not exist.`);
      } else if (item.priceModel !== 'FLAT') {
        errors.add([...itemAt, 'feature'], `A ${item.priceModel} price needs a feature; only FLAT pricing can be the plan fee.`);
      }
      if (!MODELS_WITH_AMOUNT.has(item.priceModel)) return;
      (item.charges ?? []).forEach((charge, chargeIndex) => {
        const amount = charge.priceData?.amount;
        const amountAt = [...itemAt, 'charges', chargeIndex, 'priceData', 'amount'];
        if (amount === undefined || amount === null) errors.add(amountAt, `This field is required for ${item.priceModel} prices.`);
        else if (!decimal.safeParse(amount).success) errors.add(amountAt, 'A valid number is required.');
      });
    });
  });
  const product = store.products.get(plan.productId);
  const productCurrency = product ? store.settingsOf(product).currency : 'USD';
  const featureTypeOf = (featureId: string) => store.features.get(featureId)?.featureType ?? null;
  return prices.map((price) => store.values.price(price as JsonObject, { productCurrency, featureTypeOf }));
}

export const priceRoutes: Route[] = [
  {
    method: 'GET',
    template: '/catalog/plans/{identifier}/prices/',
    handle(context) {
      const plan = livePlan(context);
      const version = requestedVersion(context, plan);
      const page = paginate(version.prices, context.url);
      return json({ ...page, results: page.results.map((price) => cloneJson(price)) });
    },
  },
  {
    method: 'POST',
    template: '/catalog/plans/{identifier}/prices/bulk/',
    handle(context) {
      const { store } = context;
      const plan = livePlan(context);
      refuseOlderVersionWrite(context, plan);
      const errors = new FieldErrors();
      const input = parseBody(PriceBulk, context.body, errors);
      const prices = pricesToStore(store, plan, input.prices, errors);
      errors.throwIfAny();
      const version = store.versionForWrite(plan);
      version.prices = prices;
      version.modifiedOn = nowIso();
      return json({ prices: cloneJson(prices) });
    },
  },
];
