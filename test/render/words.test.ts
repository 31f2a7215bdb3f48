/**
 * Values in a reviewer's words: usage alerts read as thresholds, not as JSON (the matrix and the plan's grant
 * lines show them).
 */
import { describe, expect, test } from 'vitest';
import { beforeAfter, entitlementText, percentText, relativeChange, usageAlertsText } from '../../src/apply/words.js';

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

describe('relative changes', () => {
  test('one decimal when there is one, as the policy findings say them: a reviewer reads the same figure twice', () => {
    expect(relativeChange(49, 59)).toBe('+20.4%');
    expect(relativeChange(50, 60)).toBe('+20%');
    expect(relativeChange(99, 90)).toBe('-9.1%');
    expect(beforeAfter(49, 59)).toBe('49 → 59 (+20.4%)');
    expect(relativeChange(0, 10)).toBeUndefined();
    expect(relativeChange(10, 10)).toBeUndefined();
  });

  test('a change never reads as none, nor as within a limit it exceeds', () => {
    expect(relativeChange(10_000, 10_004)).toBe('+0.04%');
    expect(relativeChange(10_000, 9_999)).toBe('-0.01%');
    expect(percentText(20.04, 20)).toBe('+20.04%');
    expect(percentText(-20.004, 20)).toBe('-20.004%');
    expect(percentText(20.04)).toBe('+20%');
    expect(percentText(0.001, 0)).toBe('+0.001%');
    expect(percentText(Infinity)).toBe('+∞%');
  });
});
