/**
 * Kelviq's documented rules that depend on a price's billing periods: the set of `chargePeriod`s across all its
 * charges (the plan fee's and every feature's), which is what the dashboard calls the plan's billing cycles.
 * A charge without a `chargePeriod` has no known period: rules that need "only X" do not fire on such a price.
 *
 * - Pay as you go: "Monthly must be the plan's only billing period. Pay as you go cannot be used on a plan that
 *   also offers yearly, quarterly, one-time, or another billing period."
 *   (https://docs.kelviq.com/product-catalog/pay-as-you-go). Only where PAY_AS_YOU_GO is written: Kelviq documents
 *   no default `paymentType`.
 *   The one-time-payments page, though, describes a one-time base fee with usage paid "at the end of each billing
 *   period": for a ONE_TIME plan fee next to pay-as-you-go usage the pages disagree, so that case is a warning.
 * - A one-time base fee with metered usage: "when combining a one-time base fee with metered features, the
 *   usage-based pricing models are limited to flat and package pricing options."
 *   (https://docs.kelviq.com/product-catalog/one-time-payments)
 * - Trials: "Trials are available only when the plan has at least one recurring billing cycle. A one-time-only plan
 *   does not show trial settings and will not display a trial at checkout"
 *   (https://docs.kelviq.com/product-catalog/free-and-trials); "One-time payments do not support free trials"
 *   (https://docs.kelviq.com/product-catalog/one-time-payments). And "Free trials let customers test a paid plan"
 *   (free-and-trials): a trial on a FREE or CUSTOM price is a warning, since the page describes trials on paid
 *   plans without saying what the API does with one elsewhere.
 */
import type { ChargeCatalogPrice, Price } from '../model.js';
import { error, warning } from '../diagnostics.js';
import type { PathSegment } from '../load/node-path.js';
import type { Declared } from '../validate/declarations.js';
import { keyAt, related, valueAt, type RuleContext } from './context.js';

const USAGE_MODELS_AFTER_ONE_TIME_FEE = new Set(['FLAT', 'PACKAGE']);

const describeItem = (item: ChargeCatalogPrice) => (item.feature === null ? 'the plan fee' : `"${item.feature}"`);

export function checkBillingPeriods(context: RuleContext, plan: Declared<'plans'>, price: Price, p: number, where: string): void {
  const items = price.chargeCatalogPrice ?? [];
  const itemPath = (c: number): PathSegment[] => ['prices', p, 'chargeCatalogPrice', c];
  checkPayAsYouGoPeriods(context, plan, items, itemPath, where);
  checkOneTimeFeeModels(context, plan, items, itemPath, where);
  checkTrial(context, plan, price, p, where);
}

function checkPayAsYouGoPeriods(context: RuleContext, plan: Declared<'plans'>, items: ChargeCatalogPrice[], itemPath: (c: number) => PathSegment[], where: string): void {
  const payg = items.findIndex((item) => item.paymentType === 'PAY_AS_YOU_GO');
  if (payg < 0) return;
  const paygItem = items[payg]!;
  items.forEach((item, c) => {
    item.charges.forEach((charge, k) => {
      if (charge.chargePeriod === undefined || charge.chargePeriod === 'MONTHLY') return;
      const at = valueAt(plan, [...itemPath(c), 'charges', k, 'chargePeriod']);
      const paygAt = [related(valueAt(plan, [...itemPath(payg), 'paymentType']), 'pay as you go here')];
      if (item.feature === null && charge.chargePeriod === 'ONE_TIME') {
        // The pages disagree here: pay-as-you-go excludes a plan that "also offers … one-time", while
        // one-time-payments describes a one-time base fee with usage paid "at the end of each billing period".
        context.report(
          warning(
            'pay-as-you-go-one-time-fee',
            `${where}: Kelviq's docs disagree on a one-time base fee with pay-as-you-go usage (${describeItem(paygItem)}): the pay-as-you-go page allows no billing period but MONTHLY, the one-time-payments page describes this combination; check with Kelviq before relying on it, or bill ${describeItem(paygItem)} as ADVANCE_COMMITMENT`,
            at,
            paygAt,
          ),
        );
        return;
      }
      context.report(
        error(
          'pay-as-you-go-period',
          `${where}: pay as you go (${describeItem(paygItem)}) needs MONTHLY as the plan's only billing period, but ${describeItem(item)} is charged ${charge.chargePeriod}; remove the ${charge.chargePeriod} charge (sell it as a separate plan), or bill ${describeItem(paygItem)} as ADVANCE_COMMITMENT`,
          at,
          paygAt,
        ),
      );
    });
  });
}

function checkOneTimeFeeModels(context: RuleContext, plan: Declared<'plans'>, items: ChargeCatalogPrice[], itemPath: (c: number) => PathSegment[], where: string): void {
  const fee = items.findIndex((item) => item.feature === null && item.charges.some((charge) => charge.chargePeriod === 'ONE_TIME'));
  if (fee < 0) return;
  const oneTime = items[fee]!.charges.findIndex((charge) => charge.chargePeriod === 'ONE_TIME');
  items.forEach((item, c) => {
    if (item.feature === null || USAGE_MODELS_AFTER_ONE_TIME_FEE.has(item.priceModel)) return;
    context.report(
      error(
        'one-time-fee-usage-model',
        `${where}: with a one-time base fee, usage can only be priced FLAT or PACKAGE, not ${item.priceModel}; price "${item.feature}" FLAT or PACKAGE, or make the base fee recurring`,
        valueAt(plan, [...itemPath(c), 'priceModel']),
        [related(valueAt(plan, [...itemPath(fee), 'charges', oneTime, 'chargePeriod']), 'one-time base fee here')],
      ),
    );
  });
}

function checkTrial(context: RuleContext, plan: Declared<'plans'>, price: Price, p: number, where: string): void {
  if (price.freeTrial !== true) return;
  const at = keyAt(plan, ['prices', p, 'freeTrial']);
  if (price.priceType !== 'PAID') {
    context.report(
      warning(
        'trial-on-unpaid-price',
        `${where}: free trials let customers test a paid plan before their card is charged, and Kelviq's docs describe them on PAID prices only (not what the API does with one on a ${price.priceType} price); remove freeTrial and trialPeriod, or make the price PAID`,
        at,
      ),
    );
    return;
  }
  const periods = (price.chargeCatalogPrice ?? []).flatMap((item) => item.charges.map((charge) => charge.chargePeriod));
  if (periods.length && periods.every((period) => period === 'ONE_TIME')) {
    context.report(
      error(
        'trial-on-one-time-price',
        `${where}: one-time payments do not support free trials, and every charge of this price is ONE_TIME; add a recurring charge (e.g. MONTHLY), or remove freeTrial and trialPeriod`,
        at,
      ),
    );
  }
}
