/**
 * Usage alerts appear on entitlements and on charge-catalog prices; Kelviq's rules are the same for both
 * (https://docs.kelviq.com/product-catalog/usage-alerts):
 * - PERCENTAGE thresholds are 1–100; BALANCE thresholds are "any number greater than or equal to 1";
 * - alerts watch a meter feature ("If the Usage alert switch is disabled …, make sure you selected a meter
 *   feature"), and "Percentage alerts also need a finite usage limit so Kelviq can calculate the percentage used".
 * The last two are warnings: the page describes the dashboard refusing the switch, not what the API does with such
 * a configuration; either way the alert can never fire.
 */
import type { Diagnostic, FeatureType, SourceLocation, UsageAlerts } from '../model.js';
import { error, warning } from '../diagnostics.js';

export interface UsageAlertsContext {
  /** `plan "pro", entitlement "api-calls"` and the like. */
  where: string;
  /** The watched feature's type; null for the plan fee (no feature); undefined when the feature is not declared. */
  featureType: FeatureType | null | undefined;
  /** The allowance is unlimited (`hasUnlimitedUsage: true`). */
  unlimited: boolean;
  /** Where threshold `index` was written. */
  thresholdAt: (index: number) => SourceLocation;
  /** Where the `usageAlerts` key was written. */
  keyAt: () => SourceLocation;
}

/** Alerts are on when not switched off and something is configured to watch. */
const alertsOn = (alerts: UsageAlerts) => alerts.enabled !== false && (alerts.enabled === true || (alerts.thresholds?.length ?? 0) > 0);

export function checkUsageAlerts(alerts: UsageAlerts | undefined, context: UsageAlertsContext): Diagnostic[] {
  if (!alerts) return [];
  const { where } = context;
  const out: Diagnostic[] = [];
  // Kelviq documents no default thresholdType (PERCENTAGE is only the spec's example), so an absent one is not
  // read as either: what both types forbid (below 1) is an error, what only PERCENTAGE forbids (above 100) asks
  // for the type to be written.
  const type = alerts.thresholdType;
  alerts.thresholds?.forEach((threshold, index) => {
    if (type === undefined && threshold < 1) {
      out.push(error('usage-alert-threshold', `${where}: usage-alert thresholds are at least 1 for either thresholdType (1-100 for PERCENTAGE, absolute usage for BALANCE), got ${threshold}; write a threshold of 1 or more`, context.thresholdAt(index)));
    } else if (type === undefined && threshold > 100) {
      out.push(
        warning(
          'usage-alert-type-missing',
          `${where}: threshold ${threshold} is valid only as an absolute usage value (BALANCE), and thresholdType is not written (Kelviq documents no default); write thresholdType: BALANCE, or PERCENTAGE with thresholds of 1 to 100`,
          context.thresholdAt(index),
        ),
      );
    } else if (type === 'PERCENTAGE' && (threshold < 1 || threshold > 100)) {
      out.push(
        error('usage-alert-threshold', `${where}: PERCENTAGE usage-alert thresholds are 1 to 100, got ${threshold} (use thresholdType: BALANCE for absolute values)`, context.thresholdAt(index)),
      );
    } else if (type === 'BALANCE' && threshold < 1) {
      out.push(error('usage-alert-threshold', `${where}: BALANCE usage-alert thresholds are absolute usage values of at least 1, got ${threshold}; write a threshold of 1 or more`, context.thresholdAt(index)));
    }
  });
  if (!alertsOn(alerts)) return out;
  const { featureType } = context;
  if (featureType !== undefined && featureType !== 'METER') {
    const what = featureType === null ? 'the plan fee has no feature to watch' : `the feature is ${featureType}, which records no usage`;
    out.push(
      warning(
        'usage-alert-feature-type',
        `${where}: usage alerts watch a METER feature's usage, but ${what}, so they never fire (Kelviq's dashboard does not offer them here; its docs do not say what the API does); move usageAlerts to a METER feature's entitlement or charge, or remove them`,
        context.keyAt(),
      ),
    );
  } else if (context.unlimited && alerts.thresholdType === 'PERCENTAGE') {
    // Only an explicit PERCENTAGE: whether an absent thresholdType means PERCENTAGE is not documented.
    out.push(
      warning(
        'usage-alert-percentage-unlimited',
        `${where}: PERCENTAGE usage alerts need a finite usage limit to take a percentage of, but the allowance is unlimited, so they never fire; set a finite value, or use thresholdType: BALANCE with absolute thresholds`,
        context.keyAt(),
      ),
    );
  }
  return out;
}
