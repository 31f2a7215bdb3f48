/**
 * Kelviq's rules for a plan's price set (when the plan manages its prices):
 * - it is not empty: Kelviq refuses to publish a plan without a price;
 * - a PAID price has a currency and something to charge; one PAID price per currency;
 * - a free trial has a trial period;
 * - when the product declares a currency and the plan has PAID prices, one of them is in that currency;
 * - within a price, one charge-catalog price per feature (and one plan fee).
 * Warnings: charges on a FREE price, a trial period on a price that says there is no trial.
 * Documented rules on a price's billing periods (pay as you go, one-time fees, trials): billing-periods.ts; on
 * prices in other currencies than the base price: regional-prices.ts.
 */
import type { Price } from '../model.js';
import { error, warning } from '../diagnostics.js';
import type { Declared } from '../validate/declarations.js';
import { checkBillingPeriods } from './billing-periods.js';
import { checkChargeCatalogPrice } from './charges.js';
import { keyAt, related, valueAt, type Rule, type RuleContext } from './context.js';
import { checkRegionalPrices } from './regional-prices.js';

function checkPrice(context: RuleContext, plan: Declared<'plans'>, price: Price, p: number): void {
  const report = context.report;
  const where = `plan "${plan.id}", ${price.priceType} price${price.currency ? ` in ${price.currency}` : ''}`;
  const charges = price.chargeCatalogPrice ?? [];
  if (price.priceType === 'PAID') {
    if (price.currency === undefined) report(error('price-currency-required', `plan "${plan.id}": a PAID price needs a currency`, valueAt(plan, ['prices', p, 'priceType'])));
    if (!charges.length) {
      report(error('paid-price-without-charges', `${where}: a PAID price needs chargeCatalogPrice (at least the plan fee)`, valueAt(plan, ['prices', p, 'priceType'])));
    }
  } else if (price.priceType === 'FREE' && charges.length) {
    report(warning('free-price-with-charges', `${where}: a FREE price charges nothing; its chargeCatalogPrice is ignored`, keyAt(plan, ['prices', p, 'chargeCatalogPrice'])));
  }
  if (price.freeTrial === true && !(price.trialPeriod && price.trialPeriod > 0)) {
    report(error('trial-period-required', `${where}: freeTrial needs a trialPeriod of at least 1 day`, keyAt(plan, ['prices', p, 'freeTrial'])));
  }
  if (price.freeTrial === false && price.trialPeriod !== undefined && price.trialPeriod > 0) {
    report(warning('trial-period-without-trial', `${where}: trialPeriod ${price.trialPeriod} is ignored because freeTrial is false`, keyAt(plan, ['prices', p, 'trialPeriod'])));
  }
  const byFeature = new Map<string | null, number>();
  charges.forEach((item, c) => {
    const path = ['prices', p, 'chargeCatalogPrice', c];
    const first = byFeature.get(item.feature);
    if (first !== undefined) {
      const what = item.feature === null ? 'more than one plan fee (chargeCatalogPrice without a feature)' : `more than one chargeCatalogPrice for feature "${item.feature}"`;
      const firstPath = ['prices', p, 'chargeCatalogPrice', first];
      const at = (itemPath: (string | number)[], feature: string | null) => (feature === null ? valueAt(plan, itemPath) : valueAt(plan, [...itemPath, 'feature']));
      report(error('duplicate-charge-feature', `${where}: ${what}`, at(path, item.feature), [related(at(firstPath, item.feature), 'first one here')]));
    } else {
      byFeature.set(item.feature, c);
    }
    checkChargeCatalogPrice(context, plan, price, item, path);
  });
  checkBillingPeriods(context, plan, price, p, where);
}

export const checkPrices: Rule = (context) => {
  for (const plan of context.plans.values()) {
    const prices = plan.value.prices;
    if (!prices) continue;
    if (!prices.length) {
      context.report(error('plan-without-price', `plan "${plan.id}": prices is empty; Kelviq does not publish a plan without a price (leave "prices" out to leave prices alone)`, valueAt(plan, ['prices'])));
      continue;
    }
    const paidCurrencies = new Map<string, number>();
    prices.forEach((price, p) => {
      if (price.priceType === 'PAID' && price.currency !== undefined) {
        const first = paidCurrencies.get(price.currency);
        if (first !== undefined) {
          reportDuplicateCurrency(context, plan, price.currency, p, first);
        } else {
          paidCurrencies.set(price.currency, p);
        }
      }
      checkPrice(context, plan, price, p);
    });
    const productCurrency = context.products.get(plan.value.product)?.value.settings?.currency;
    if (productCurrency && paidCurrencies.size && !paidCurrencies.has(productCurrency)) {
      context.report(
        error(
          'product-currency-price-missing',
          `plan "${plan.id}": product "${plan.value.product}" sells in ${productCurrency} (settings.currency) but the plan has no PAID price in ${productCurrency}`,
          keyAt(plan, ['prices']),
          [related(valueAt(context.products.get(plan.value.product)!, ['settings', 'currency']), 'product currency set here')],
        ),
      );
    }
    checkRegionalPrices(context, plan);
  }
};

function reportDuplicateCurrency(context: RuleContext, plan: Declared<'plans'>, currency: string, p: number, first: number): void {
  context.report(
    error('duplicate-price-currency', `plan "${plan.id}": more than one PAID price in ${currency}; Kelviq allows one per currency`, valueAt(plan, ['prices', p, 'currency']), [
      related(valueAt(plan, ['prices', first, 'currency']), 'first one here'),
    ]),
  );
}
