/** Usage alerts appear on entitlements and on charge-catalog prices; the API's rule is the same for both. */
import type { Diagnostic, SourceLocation, UsageAlerts } from '../model.js';
import { error } from '../diagnostics.js';

/** PERCENTAGE thresholds (the server's default type) are percentages: 1 to 100. */
export function checkUsageAlerts(alerts: UsageAlerts | undefined, where: string, at: (index: number) => SourceLocation): Diagnostic[] {
  if (!alerts?.thresholds || (alerts.thresholdType ?? 'PERCENTAGE') !== 'PERCENTAGE') return [];
  const out: Diagnostic[] = [];
  alerts.thresholds.forEach((threshold, index) => {
    if (threshold < 1 || threshold > 100) {
      out.push(
        error('usage-alert-threshold', `${where}: PERCENTAGE usage-alert thresholds are 1 to 100, got ${threshold} (use thresholdType: BALANCE for absolute values)`, at(index)),
      );
    }
  });
  return out;
}
