/**
 * Values in a reviewer's words: usage alerts read as thresholds, not as JSON (the matrix and the plan's grant
 * lines show them).
 */
import { describe, expect, test } from 'vitest';
import { entitlementText, usageAlertsText } from '../../src/apply/words.js';

describe('usage alerts', () => {
  test('percentage and balance thresholds, as kelviq-docs usage-alerts.mdx defines them', () => {
    expect(usageAlertsText({ enabled: true, thresholds: [75, 90], thresholdType: 'PERCENTAGE' })).toBe('usage alerts at 75%, 90%');
    expect(usageAlertsText({ enabled: true, thresholds: [7500, 10000], thresholdType: 'BALANCE' })).toBe('usage alerts at 7,500, 10,000 units');
    expect(usageAlertsText({ enabled: false, thresholds: [75], thresholdType: 'PERCENTAGE' })).toBe('usage alerts off');
    expect(usageAlertsText({ enabled: true, thresholds: [75] })).toBe('usage alerts at 75 (threshold type not set)');
  });

  test('a shape the format does not define is shown as data, never dropped', () => {
    expect(usageAlertsText({ enabled: true, thresholds: [75], thresholdType: 'PERCENTAGE', channel: 'email' })).toContain('"channel":"email"');
    expect(usageAlertsText('weekly')).toBe('usage alerts "weekly"');
  });

  test('in a grant', () => {
    expect(entitlementText({ value: 1000000, reset: 'EVERY_MONTH', usageAlerts: { enabled: true, thresholds: [75, 90], thresholdType: 'PERCENTAGE' } })).toBe(
      '1,000,000, resets every month, usage alerts at 75%, 90%',
    );
  });
});
