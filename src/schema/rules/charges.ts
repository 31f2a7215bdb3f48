/**
 * Kelviq's rules for one charge-catalog price (the pricing of one feature, or the plan fee) and its charges:
 * - every model but FLAT prices a feature; a BOOLEAN feature can only be priced FLAT;
 * - FLAT and PACKAGE charges carry `priceData.amount` and no tiers;
 * - TIERED, VOLUME and STAIRSTEP charges carry tiers in ascending `upTo`, only the last may be `inf`, each
 *   with an amount;
 * - one charge per charge period; `priceData.currency` matches the price's currency.
 * Warnings: the last tier bounded (usage above it has no price), settings the model ignores.
 *
 * Documented business rules (each cites its page; see also prices.ts for the rules that span a price):
 * - a STAIRSTEP tier is a fixed fee with "no per-unit rate" (usage-based-billing);
 * - pay as you go "does not support Stair-step pricing or credit rollover" (pay-as-you-go, usage-based-billing),
 *   and "Usage reset … controls are removed": the meter "starts a new monthly period on the customer's
 *   subscription renewal date" (pay-as-you-go). A reset other than monthly is a warning: the page describes the
 *   dashboard, not what the API does with one. Kelviq documents no default `paymentType`, so these apply only
 *   where PAY_AS_YOU_GO is written;
 * - rollover needs a recurring reset (usage-based-billing; entitlements.ts);
 * - usage and seats are priced on METER features: the Usage charges list offers Meter features, and "Use a Meter
 *   feature rather than a Customizable feature. Kelviq can attach a price to the Meter feature and accept its
 *   quantity during checkout" (usage-based-billing, seat-based-pricing). A warning: the docs advise, they do not
 *   say what the API does with another type;
 * - usage alerts (usage-alerts.ts) and options enabled per organization (organization-options.ts).
 * Pages are under https://docs.kelviq.com/product-catalog/.
 */
import type { ChargeCatalogPrice, Price } from '../model.js';
import { error, warning } from '../diagnostics.js';
import type { PathSegment } from '../load/node-path.js';
import type { Declared } from '../validate/declarations.js';
import { keyAt, related, valueAt, type RuleContext } from './context.js';
import { rolloverWithoutRecurringReset } from './entitlements.js';
import { chargePeriodNeedsEnabling, resetNeedsEnabling } from './organization-options.js';
import { checkUsageAlerts } from './usage-alerts.js';

const TIERED_MODELS = new Set(['TIERED', 'VOLUME', 'STAIRSTEP']);

export function checkChargeCatalogPrice(
  context: RuleContext,
  plan: Declared<'plans'>,
  price: Price,
  item: ChargeCatalogPrice,
  path: PathSegment[],
): void {
  const report = context.report;
  const what = item.feature === null ? 'the plan fee' : `the charge for "${item.feature}"`;
  const where = `plan "${plan.id}", ${what}`;
  const model = item.priceModel;
  const tiered = TIERED_MODELS.has(model);

  if (item.feature === null && model !== 'FLAT') {
    report(error('charge-feature-required', `plan "${plan.id}": a ${model} price needs a "feature" to meter; only FLAT can be the plan fee`, valueAt(plan, [...path, 'priceModel'])));
  }
  const feature = item.feature === null ? undefined : context.features.get(item.feature);
  if (feature?.value.featureType === 'BOOLEAN' && model !== 'FLAT') {
    report(error('charge-model-feature-type', `${where}: feature "${item.feature}" is BOOLEAN, so it can only be priced FLAT, not ${model}`, valueAt(plan, [...path, 'priceModel'])));
  }
  const entitlements = plan.value.entitlements;
  if (item.feature !== null && entitlements && !(item.feature in entitlements) && context.declared.features.has(item.feature)) {
    report(warning('charge-feature-not-entitled', `${where}: the plan prices feature "${item.feature}" but its entitlements do not grant it`, valueAt(plan, [...path, 'feature'])));
  }
  if (feature && feature.value.featureType !== 'METER' && !(feature.value.featureType === 'BOOLEAN' && model !== 'FLAT')) {
    report(
      warning(
        'charge-feature-not-meter',
        `${where}: feature "${item.feature}" is ${feature.value.featureType}; Kelviq prices usage and seats on METER features, whose quantity checkout accepts (its docs do not say what the API does with a ${feature.value.featureType} feature here); price a METER feature instead (a new feature: a feature's type cannot change)`,
        valueAt(plan, [...path, 'feature']),
      ),
    );
  }
  const payAsYouGo = item.paymentType === 'PAY_AS_YOU_GO';
  if (payAsYouGo && model === 'STAIRSTEP') {
    report(
      error(
        'pay-as-you-go-stairstep',
        `${where}: pay as you go does not support STAIRSTEP pricing; use FLAT, PACKAGE, TIERED or VOLUME, or bill fixed usage bands as ADVANCE_COMMITMENT`,
        valueAt(plan, [...path, 'priceModel']),
      ),
    );
  }
  const rolloverOn = item.rollover?.enabled === true;
  if (payAsYouGo && rolloverOn) {
    report(
      error(
        'pay-as-you-go-rollover',
        `${where}: credit rollover is for ADVANCE_COMMITMENT usage prices; pay as you go has no prepaid balance to carry over; remove the rollover, or make the charge ADVANCE_COMMITMENT`,
        keyAt(plan, [...path, 'rollover']),
      ),
    );
  } else if (rolloverOn && item.feature !== null && (item.reset === undefined || item.reset === 'NEVER')) {
    report(rolloverWithoutRecurringReset(where, item.reset, keyAt(plan, [...path, 'rollover'])));
  }
  if (payAsYouGo && item.reset !== undefined && item.reset !== 'EVERY_MONTH') {
    report(
      warning(
        'pay-as-you-go-reset',
        `${where}: pay-as-you-go usage is billed monthly and its meter starts a new monthly period at each renewal (Kelviq's dashboard removes the reset control; its docs do not say what the API does with reset ${item.reset}); leave reset out, or write EVERY_MONTH`,
        valueAt(plan, [...path, 'reset']),
      ),
    );
  }
  const resetWarning = resetNeedsEnabling(item.reset, where, valueAt(plan, [...path, 'reset']));
  if (resetWarning) report(resetWarning);
  const entitlement = item.feature === null ? undefined : plan.value.entitlements?.[item.feature];
  const alerts = checkUsageAlerts(item.usageAlerts, {
    where,
    featureType: item.feature === null ? null : feature?.value.featureType,
    unlimited: item.hasUnlimitedUsage === true || entitlement?.hasUnlimitedUsage === true,
    thresholdAt: (index) => valueAt(plan, [...path, 'usageAlerts', 'thresholds', index]),
    keyAt: () => keyAt(plan, [...path, 'usageAlerts']),
  });
  for (const d of alerts) report(d);

  const periods = new Map<string, number>();
  item.charges.forEach((charge, k) => {
    const chargePath = [...path, 'charges', k];
    const daily = chargePeriodNeedsEnabling(charge.chargePeriod, where, valueAt(plan, [...chargePath, 'chargePeriod']));
    if (daily) report(daily);
    if (charge.chargePeriod !== undefined) {
      const first = periods.get(charge.chargePeriod);
      if (first !== undefined) {
        report(
          error('duplicate-charge-period', `${where}: more than one ${charge.chargePeriod} charge`, valueAt(plan, [...chargePath, 'chargePeriod']), [
            related(valueAt(plan, [...path, 'charges', first, 'chargePeriod']), 'first one here'),
          ]),
        );
      } else {
        periods.set(charge.chargePeriod, k);
      }
    }
    const priceData = charge.priceData as { amount?: number; block_size?: number; currency?: string } | undefined;
    const tiers = charge.tiers ?? [];
    if (priceData?.currency !== undefined && price.currency !== undefined && priceData.currency !== price.currency) {
      report(
        error('charge-currency-mismatch', `${where}: priceData.currency ${priceData.currency} differs from the price's currency ${price.currency}`, valueAt(plan, [...chargePath, 'priceData', 'currency'])),
      );
    }
    if (charge.advanced !== undefined && (model !== 'FLAT' || item.feature === null)) {
      report(warning('charge-option-ignored', `${where}: "advanced" (min/max quantity) only applies to FLAT charges on a feature`, keyAt(plan, [...chargePath, 'advanced'])));
    }
    if (!tiered) {
      if (priceData?.amount === undefined) {
        report(error('charge-amount-required', `${where}: a ${model} charge needs priceData.amount`, priceData ? keyAt(plan, [...chargePath, 'priceData']) : valueAt(plan, chargePath)));
      }
      if (tiers.length) {
        report(error('tiers-not-allowed', `${where}: a ${model} charge has no tiers (tiers are for TIERED, VOLUME and STAIRSTEP)`, keyAt(plan, [...chargePath, 'tiers'])));
      }
      return;
    }
    if (priceData?.amount !== undefined || priceData?.block_size !== undefined) {
      report(warning('charge-option-ignored', `${where}: priceData.amount and block_size are ignored by a ${model} charge; the tiers set the price`, keyAt(plan, [...chargePath, 'priceData'])));
    }
    if (!tiers.length) {
      report(error('tiers-required', `${where}: a ${model} charge needs tiers`, charge.tiers ? valueAt(plan, [...chargePath, 'tiers']) : valueAt(plan, chargePath)));
      return;
    }
    let previous = 0;
    tiers.forEach((tier, t) => {
      const tierPath = [...chargePath, 'tiers', t];
      const last = t === tiers.length - 1;
      if (tier.upTo === 'inf') {
        if (!last) report(error('tier-unbounded-not-last', `${where}: only the last tier can be unbounded (upTo: inf)`, valueAt(plan, [...tierPath, 'upTo'])));
      } else {
        if (tier.upTo <= previous) {
          report(error('tiers-not-ascending', `${where}: tier upTo values must ascend; ${tier.upTo} follows ${previous}`, valueAt(plan, [...tierPath, 'upTo'])));
        }
        previous = Math.max(previous, tier.upTo);
        if (last) {
          report(warning('tiers-last-bounded', `${where}: the last tier ends at ${tier.upTo}; usage above it has no price (end with upTo: inf)`, valueAt(plan, [...tierPath, 'upTo'])));
        }
      }
      if (model === 'STAIRSTEP' && tier.unitAmount !== undefined && tier.unitAmount !== 0) {
        report(
          error(
            'stairstep-unit-amount',
            `${where}: a STAIRSTEP tier is a fixed fee for its usage bracket, with no per-unit rate, but this one has unitAmount ${tier.unitAmount}; write the step's price as flatAmount and remove unitAmount (or use TIERED or VOLUME for per-unit rates)`,
            keyAt(plan, [...tierPath, 'unitAmount']),
          ),
        );
      }
      if (tier.unitAmount === undefined && tier.flatAmount === undefined) {
        report(error('tier-amount-required', `${where}: a tier needs unitAmount or flatAmount`, valueAt(plan, tierPath)));
      }
    });
  });
}
