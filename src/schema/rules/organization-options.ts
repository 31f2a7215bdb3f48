/**
 * Options Kelviq's docs say are off until Kelviq enables them for the organization. A catalog cannot know whether
 * they are on for the account it is applied to, so each use is a warning that says so:
 * - the DAILY charge period: "Daily billing is not enabled by default. Any sandbox organization can request it by
 *   contacting Kelviq support" (https://docs.kelviq.com/guides/sandbox#test-a-subscription-renewal);
 * - the EVERY_28_DAYS reset: "Some enum values (for example `EVERY_28_DAYS`) are only available when enabled for
 *   your account" (https://docs.kelviq.com/cli/kelviq-config), and the 28-day period "Organizations must enable …
 *   before using it on a plan" (https://docs.kelviq.com/changelog/api, v1.4.0).
 * EVERY_DAY is not listed: no page says a daily reset needs enabling. The 28-day and weekly billing periods the
 * docs mention are not in the spec's chargePeriod enum, so the format does not accept them at all.
 */
import type { ChargePeriod, Diagnostic, Reset, SourceLocation } from '../model.js';
import { warning } from '../diagnostics.js';

export function chargePeriodNeedsEnabling(period: ChargePeriod | undefined, where: string, at: SourceLocation): Diagnostic | undefined {
  if (period !== 'DAILY') return undefined;
  return warning(
    'option-needs-enabling',
    `${where}: DAILY billing is off by default: Kelviq documents it as a sandbox testing option that support enables per organization; make sure it is enabled for this organization (ask Kelviq support), or use MONTHLY`,
    at,
  );
}

export function resetNeedsEnabling(reset: Reset | undefined, where: string, at: SourceLocation): Diagnostic | undefined {
  if (reset !== 'EVERY_28_DAYS') return undefined;
  return warning(
    'option-needs-enabling',
    `${where}: the EVERY_28_DAYS reset is only available when Kelviq has enabled it for the organization; make sure it is enabled for this organization (ask Kelviq support), or use EVERY_MONTH`,
    at,
  );
}
