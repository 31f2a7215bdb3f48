/**
 * Kelviq's rules for a plan's entitlements, checked offline against the declared features:
 * - BOOLEAN features take true/false; CUSTOMIZABLE and METER take a number, or `unlimited`.
 * - An entitlement must say what it grants (a value, or unlimited).
 * Warnings: settings the feature's type ignores; a limited METER allowance that does not say when it resets
 * (`reset` left out: Kelviq documents no default, so the file states none); a value written next to
 * `hasUnlimitedUsage: true`; rollover on a meter without a recurring reset ("A meter set to Never has no period
 * boundary at which to roll unused credits forward", https://docs.kelviq.com/product-catalog/usage-based-billing);
 * usage alerts that cannot fire (usage-alerts.ts); options Kelviq enables per organization (organization-options.ts).
 */
import type { EntitlementDetails, Feature, Reset, SourceLocation } from '../model.js';
import { describeValue, error, warning } from '../diagnostics.js';
import type { Declared } from '../validate/declarations.js';
import { keyAt, valueAt, type Rule, type RuleContext } from './context.js';
import { resetNeedsEnabling } from './organization-options.js';
import { checkUsageAlerts } from './usage-alerts.js';

const BOOLEAN_IGNORED = ['hasUnlimitedUsage', 'reset', 'resetTime', 'rollover', 'usageAlerts', 'hardLimit'] as const;

/**
 * Whether an option set on a BOOLEAN entitlement would do something if it applied. Only those are worth a
 * warning: a pulled catalog carries every value Kelviq holds, and Kelviq stores values such as
 * `hardLimit: false` or disabled usage alerts on BOOLEAN entitlements too; they are inert, not mistakes.
 */
function isActive(key: (typeof BOOLEAN_IGNORED)[number], value: unknown): boolean {
  switch (key) {
    case 'hasUnlimitedUsage':
    case 'hardLimit':
      return value === true;
    case 'reset':
      return value !== 'NEVER';
    case 'resetTime':
      return value !== null;
    case 'rollover':
      return (value as { enabled?: boolean }).enabled === true;
    case 'usageAlerts':
      return (value as { enabled?: boolean }).enabled === true;
  }
}

function checkEntitlement(context: RuleContext, plan: Declared<'plans'>, featureId: string, details: EntitlementDetails, feature: Feature): void {
  const path = ['entitlements', featureId];
  const where = `plan "${plan.id}", entitlement "${featureId}"`;
  const { value, hasUnlimitedUsage } = details;
  if (feature.featureType === 'BOOLEAN') {
    if (typeof value === 'number') {
      context.report(error('entitlement-value-type', `${where}: feature "${featureId}" is BOOLEAN, so the value is true or false, not ${value}`, valueAt(plan, [...path, 'value'])));
    } else if (hasUnlimitedUsage === true) {
      context.report(error('entitlement-value-type', `${where}: feature "${featureId}" is BOOLEAN and cannot be unlimited; write true or false`, valueAt(plan, [...path, 'hasUnlimitedUsage'])));
    } else if (value === undefined) {
      context.report(error('entitlement-value-missing', `${where}: say what the plan grants: value: true or false`, valueAt(plan, path)));
    }
    for (const key of BOOLEAN_IGNORED) {
      if (details[key] !== undefined && !(key === 'hasUnlimitedUsage' && details[key] === true) && isActive(key, details[key])) {
        context.report(warning('entitlement-option-ignored', `${where}: ${key} does nothing for a BOOLEAN feature`, keyAt(plan, [...path, key])));
      }
    }
    return;
  }
  if (typeof value === 'boolean') {
    context.report(
      error('entitlement-value-type', `${where}: feature "${featureId}" is ${feature.featureType}, so the value is a number or unlimited, not ${describeValue(value)}`, valueAt(plan, [...path, 'value'])),
    );
  } else if (value === undefined && hasUnlimitedUsage !== true) {
    context.report(error('entitlement-value-missing', `${where}: say what the plan grants: a number (value: N) or unlimited`, valueAt(plan, path)));
  } else if (value !== undefined && hasUnlimitedUsage === true) {
    context.report(warning('entitlement-value-ignored', `${where}: value ${value} is ignored because hasUnlimitedUsage is true`, keyAt(plan, [...path, 'value'])));
  }
  // Neither the spec nor Kelviq's docs say what Kelviq does with a METER entitlement sent without a reset, so the
  // warning claims no server behaviour: it asks for the reset to be written.
  if (feature.featureType === 'METER' && details.reset === undefined && hasUnlimitedUsage !== true) {
    context.report(
      warning(
        'meter-entitlement-without-reset',
        `${where}: METER allowance without "reset": the file does not say when usage resets, and Kelviq documents no default; write the reset you mean (reset: NEVER for a lifetime limit, EVERY_MONTH for a monthly allowance, …)`,
        valueAt(plan, path),
      ),
    );
  }
  const resetWarning = resetNeedsEnabling(details.reset, where, valueAt(plan, [...path, 'reset']));
  if (resetWarning) context.report(resetWarning);
  if (feature.featureType === 'METER' && details.rollover?.enabled === true && (details.reset === undefined || details.reset === 'NEVER')) {
    context.report(rolloverWithoutRecurringReset(where, details.reset, keyAt(plan, [...path, 'rollover'])));
  }
  const alerts = checkUsageAlerts(details.usageAlerts, {
    where,
    featureType: feature.featureType,
    unlimited: hasUnlimitedUsage === true,
    thresholdAt: (index) => valueAt(plan, [...path, 'usageAlerts', 'thresholds', index]),
    keyAt: () => keyAt(plan, [...path, 'usageAlerts']),
  });
  for (const d of alerts) context.report(d);
}

export const checkEntitlements: Rule = (context) => {
  for (const plan of context.plans.values()) {
    for (const [featureId, details] of Object.entries(plan.value.entitlements ?? {})) {
      const feature = context.features.get(featureId);
      if (feature) checkEntitlement(context, plan, featureId, details, feature.value);
    }
  }
};

/**
 * Credit rollover is calculated when the meter resets; "A meter set to Never has no period boundary at which to roll
 * unused credits forward" (https://docs.kelviq.com/product-catalog/usage-based-billing). A warning: the page says
 * the rollover has nothing to act on, not that Kelviq refuses it. Shared with charge-catalog prices.
 */
export function rolloverWithoutRecurringReset(where: string, reset: Reset | undefined, at: SourceLocation) {
  const why = reset === 'NEVER' ? 'reset is NEVER, so there is no period boundary to roll unused credits over' : 'no reset is written (Kelviq documents no default)';
  return warning('rollover-without-recurring-reset', `${where}: rollover is calculated when the meter resets, but ${why}; set a recurring reset (EVERY_MONTH, …) or remove the rollover`, at);
}
