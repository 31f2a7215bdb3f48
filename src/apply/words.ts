/**
 * Catalog values in the words a reviewer of a pricing change uses: "USD, monthly plan fee: 49 → 59 (+20%)"
 * instead of `PAID USD.chargeCatalogPrice.(plan fee).charges.MONTHLY.priceData.amount: 49 -> 59`.
 *
 * Everything here returns plain text that still holds untrusted identifiers and values: each renderer escapes it
 * for its output (`forTerminal`, a diff block, `markdownCode`). Values are never shortened; the renderers wrap.
 * The exact paths stay in `plan --json` (the actions' `changes`).
 */
import { comparablePlan, deepEqual, PLAN_FEE_KEY, type Comparable } from '../diff/normalize.js';
import type { FieldChange } from '../diff/compare.js';
import type { EntitlementDetails, Plan, Price } from '../schema/model.js';

const PERIODS: Record<string, string> = { ONE_TIME: 'one-time', DAILY: 'daily', MONTHLY: 'monthly', QUARTERLY: 'quarterly', YEARLY: 'yearly' };
const PERIOD_ORDER = ['MONTHLY', 'YEARLY', 'QUARTERLY', 'DAILY', 'ONE_TIME'];

export function periodWord(period: unknown): string {
  return typeof period === 'string' ? PERIODS[period] ?? period.toLowerCase().replace(/_/g, ' ') : 'no period';
}

export function periodRank(period: string): number {
  const index = PERIOD_ORDER.indexOf(period);
  return index === -1 ? PERIOD_ORDER.length : index;
}

/** Enum values (`EVERY_MONTH`, `PAY_AS_YOU_GO`) as words. */
export function enumWord(value: unknown): string {
  return typeof value === 'string' && /^[A-Z0-9_]+$/.test(value) ? value.toLowerCase().replace(/_/g, ' ') : plain(value);
}

/** A number as people read it (1,000; 0.002), anything else as JSON, in full. */
export function plain(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'number') return Number.isFinite(value) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 }).format(value) : String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

/** `before → after`, with the relative change when both are non-zero numbers (the first thing asked of a price). */
export function beforeAfter(before: unknown, after: unknown, show: (value: unknown) => string = plain): string {
  if (before === undefined) return `(unset) → ${show(after)}`;
  if (after === undefined) return `${show(before)} → (unset)`;
  return `${show(before)} → ${show(after)}${relative(before, after)}`;
}

function relative(before: unknown, after: unknown): string {
  const change = relativeChange(before, after);
  return change ? ` (${change})` : '';
}

/** `+20.4%`, `-9.1%`, `+20%`; undefined unless both are numbers and the first is not zero. */
export function relativeChange(before: unknown, after: unknown): string | undefined {
  if (typeof before !== 'number' || typeof after !== 'number' || before === 0 || before === after) return undefined;
  return percentText(((after - before) / before) * 100);
}

/**
 * A change in percent as text, with its sign and one decimal when it has one (`+20.4%`, `-9.1%`, `+20%`): the
 * plan's price lines and the policy's findings say the same change the same way. It keeps as many more decimals
 * as it takes for a change not to read as none (`+0.04%`, never `0%`), and, given a limit the change is reported
 * as exceeding, not to read as within it (`+20.04%` against 20, never `+20% > 20%`).
 */
export function percentText(percent: number, exceeding?: number): string {
  if (!Number.isFinite(percent)) return percent > 0 ? '+∞%' : '-∞%';
  const misleading = (shown: number) =>
    (shown === 0 && percent !== 0) || (exceeding !== undefined && Math.abs(percent) > exceeding && Math.abs(shown) <= exceeding);
  let decimals = 1;
  let shown = round(percent, decimals);
  while (misleading(shown) && decimals < 15) shown = round(percent, ++decimals);
  return `${shown > 0 ? '+' : ''}${shown}%`;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

// ---- the values of a price

/** Lists held as arrays in the model and as maps keyed by identity in comparable documents read alike. */
function listOf(value: unknown): Comparable[] {
  if (Array.isArray(value)) return value as Comparable[];
  if (value && typeof value === 'object') return Object.values(value as Comparable) as Comparable[];
  return [];
}

function isObject(value: unknown): value is Comparable {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function itemName(item: Comparable): string {
  return item.feature == null ? 'plan fee' : String(item.feature);
}

/** What one charge costs: an amount, a package, or its tiers with their bounds. */
export function chargeCost(model: unknown, charge: Comparable): string {
  const data = isObject(charge.priceData) ? charge.priceData : {};
  const parts: string[] = [];
  if (Array.isArray(charge.tiers)) {
    let from = 0;
    const tiers = (charge.tiers as Comparable[]).map((tier) => {
      const upTo = tier.upTo === 'inf' || tier.upTo == null ? undefined : Number(tier.upTo);
      const range = upTo === undefined ? `above ${plain(from)}` : `up to ${plain(upTo)}`;
      const amounts = [tier.unitAmount !== undefined ? `${plain(tier.unitAmount)} per unit` : '', tier.flatAmount !== undefined ? `${plain(tier.flatAmount)} flat` : '']
        .filter(Boolean)
        .join(' + ');
      if (upTo !== undefined) from = upTo;
      return `${range}: ${amounts || 'no amount'}`;
    });
    parts.push(tiers.join('; '));
  } else if (data.amount !== undefined) {
    parts.push(model === 'PACKAGE' ? `${plain(data.amount)} per package of ${plain(data.block_size ?? 1)}` : plain(data.amount));
  } else if (data.block_size !== undefined) {
    parts.push(`package of ${plain(data.block_size)}`);
  }
  const rest = Object.entries(data).filter(([key]) => !['amount', 'block_size', 'currency'].includes(key));
  for (const [key, value] of rest) parts.push(`${key} ${plain(value)}`);
  if (charge.advanced !== undefined) parts.push(`advanced ${plain(charge.advanced)}`);
  return parts.join(', ') || 'no amount';
}

/** How a charge-catalog price charges: model, payment type, reset, and any other option it sets. */
export function itemTerms(item: Comparable): string {
  const terms = [String(item.priceModel ?? 'no model')];
  if (item.paymentType !== undefined) terms.push(enumWord(item.paymentType));
  if (item.hasUnlimitedUsage === true) terms.push('unlimited usage');
  if (item.reset !== undefined) terms.push(`resets ${enumWord(item.reset)}`);
  if (item.resetTime != null) terms.push(`reset time ${plain(item.resetTime)}`);
  if (item.rollover !== undefined) terms.push(`rollover ${plain(item.rollover)}`);
  if (item.usageAlerts !== undefined) terms.push(usageAlertsText(item.usageAlerts));
  return terms.join(', ');
}

/** The price as a whole: type, currency, trial, whether it can be bought, tax. */
export function priceHeading(price: Comparable): string {
  const terms = [`${String(price.priceType)}${price.currency ? ` ${String(price.currency)}` : ''}`];
  if (price.freeTrial === true) terms.push(`free trial${price.trialPeriod !== undefined ? ` ${plain(price.trialPeriod)} days` : ''}`);
  else if (price.freeTrial === false) terms.push('no free trial');
  else if (price.trialPeriod !== undefined) terms.push(`trial period ${plain(price.trialPeriod)} days`);
  // Enabled is the usual case; only a price that cannot be bought is worth a word.
  if (price.enabled === false) terms.push('disabled (not for sale)');
  if (price.taxBehavior !== undefined) terms.push(`tax ${enumWord(price.taxBehavior)}`);
  return terms.join(', ');
}

/** Every value of a price, one line per charge, indented under its heading. */
export function priceLines(price: Comparable, indent = ''): string[] {
  const lines = [`${indent}${priceHeading(price)}`];
  for (const item of listOf(price.chargeCatalogPrice)) {
    lines.push(`${indent}  ${itemName(item)} (${itemTerms(item)})`);
    for (const charge of sortCharges(listOf(item.charges))) lines.push(`${indent}    ${periodWord(charge.chargePeriod)}: ${chargeCost(item.priceModel, charge)}`);
  }
  return lines;
}

function sortCharges(charges: Comparable[]): Comparable[] {
  return [...charges].sort((a, b) => periodRank(String(a.chargePeriod)) - periodRank(String(b.chargePeriod)));
}

// ---- entitlements

/** What an entitlement grants: the value (or unlimited), then when it resets, the hard limit and other options. */
export function entitlementText(details: EntitlementDetails | Comparable): string {
  const terms: string[] = [];
  if (details.hasUnlimitedUsage === true) terms.push('unlimited');
  else if (typeof details.value === 'boolean') terms.push(details.value ? 'included' : 'not included');
  else if (details.value !== undefined) terms.push(plain(details.value));
  else if (details.hasUnlimitedUsage === false) terms.push('limited');
  if (details.reset !== undefined) terms.push(`resets ${enumWord(details.reset)}`);
  if (details.resetTime != null) terms.push(`reset time ${plain(details.resetTime)}`);
  if (details.hardLimit === true) terms.push('hard limit');
  else if (details.hardLimit === false) terms.push('no hard limit');
  for (const [key, value] of Object.entries(details)) {
    if (['value', 'hasUnlimitedUsage', 'reset', 'resetTime', 'hardLimit'].includes(key) || value === undefined) continue;
    terms.push(key === 'usageAlerts' ? usageAlertsText(value) : `${key} ${plain(value)}`);
  }
  return terms.join(', ') || '(no value)';
}

/**
 * Usage alerts in words: "usage alerts at 75%, 90%". PERCENTAGE thresholds are percents of the usage limit,
 * BALANCE ones absolute numbers of units (kelviq-docs product-catalog/usage-alerts.mdx, "Choose a threshold
 * type"). A shape the format does not know is shown as data.
 */
export function usageAlertsText(alerts: unknown): string {
  if (typeof alerts !== 'object' || alerts === null || Array.isArray(alerts)) return `usage alerts ${plain(alerts)}`;
  const { enabled, thresholds, thresholdType, ...other } = alerts as Record<string, unknown>;
  if (Object.keys(other).length || (thresholds !== undefined && !(Array.isArray(thresholds) && thresholds.every((t) => typeof t === 'number')))) {
    return `usage alerts ${plain(alerts)}`;
  }
  if (enabled === false) return 'usage alerts off';
  const unit = thresholdType === 'PERCENTAGE' ? '%' : '';
  const list = (thresholds as number[] | undefined)?.map((t) => `${t.toLocaleString('en-US')}${unit}`).join(', ');
  const kind = thresholdType === undefined ? ' (threshold type not set)' : thresholdType === 'BALANCE' ? ' units' : thresholdType === 'PERCENTAGE' ? '' : ` (${plain(thresholdType)})`;
  return `usage alerts${enabled === undefined ? ' (enabled not set)' : ''}${list ? ` at ${list}${kind}` : ' with no thresholds'}`;
}

const ENTITLEMENT_FIELDS: Record<string, string> = { value: 'value', hasUnlimitedUsage: 'unlimited', reset: 'reset', resetTime: 'reset time', hardLimit: 'hard limit' };

/** One changed field of an entitlement (path below the feature). */
export function entitlementChangeText(path: string[], change: FieldChange): string {
  const [field, ...rest] = path;
  const name = field === undefined ? 'entitlement' : `${ENTITLEMENT_FIELDS[field] ?? field}${rest.length ? ` ${rest.join(' ')}` : ''}`;
  const show = field === 'reset' ? enumWord : plain;
  return `${name}: ${beforeAfter(change.before, change.after, show)}`;
}

// ---- plan fields

/**
 * A changed field as lines: an object added or removed whole (a product's settings, a plan's metadata) shows one
 * line per key, so each value is read on its own.
 */
export function fieldChangeLines(change: FieldChange): string[] {
  const whole = change.kind === 'add' ? change.after : change.kind === 'remove' ? change.before : undefined;
  if (!isObject(whole) || !Object.keys(whole).length) return [fieldChangeText(change)];
  return Object.entries(whole).map(([key, value]) =>
    fieldChangeText({ path: [...change.path, key], kind: change.kind, ...(change.kind === 'add' ? { after: value } : { before: value }) }),
  );
}

/** A changed plan or product field, in words: `metadata "tier": …`, `link 1 url: …`, `license activation limit: …`. */
export function fieldChangeText(change: FieldChange): string {
  const [field, ...rest] = change.path;
  let name: string;
  if (field === 'metadata' && rest.length) name = `metadata ${JSON.stringify(rest.join('.'))}`;
  else if (field === 'links' && rest.length) name = `link ${Number(rest[0]) + 1}${rest.length > 1 ? ` ${rest.slice(1).join(' ')}` : ''}`;
  else name = [field ?? '', ...rest].map((segment) => segment.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).join(' ');
  if (change.kind === 'add') return `${name}: ${plain(change.after)} (added)`;
  if (change.kind === 'remove') return `${name}: ${plain(change.before)} (removed)`;
  return `${name}: ${beforeAfter(change.before, change.after)}`;
}

// ---- a replaced price set, before → after

/** The comparable form of a price set: prices keyed by type and currency, charges by feature and period. */
export function comparablePrices(prices: Price[]): Comparable {
  return (comparablePlan({ identifier: 'x', product: 'x', name: 'x', prices } as Plan).prices ?? {}) as Comparable;
}

/**
 * The price set before a replace, rebuilt from the set after it and the changes (paths below `prices`): each
 * change undone, last first. The action carries the catalog's prices and the changes, not the live prices, and
 * this keeps a saved plan what it was.
 */
export function pricesBefore(after: Comparable, changes: FieldChange[]): Comparable {
  const before = structuredClone(after);
  for (const change of [...changes].reverse()) {
    const path = change.path;
    const parent = walk(before, path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent === undefined || last === undefined) continue;
    if (Array.isArray(parent)) {
      const index = Number(last);
      if (change.kind === 'add') parent.splice(index, 1);
      else if (change.kind === 'remove') parent.splice(index, 0, structuredClone(change.before));
      else parent[index] = structuredClone(change.before);
    } else if (change.kind === 'add') {
      delete parent[last];
    } else {
      parent[last] = structuredClone(change.before);
    }
  }
  return before;
}

function walk(document: unknown, path: string[]): Comparable | unknown[] | undefined {
  let current: unknown = document;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const holder = current as Record<string, unknown>;
    // A change below a price or charge that did not exist before: make room for undoing it.
    if (holder[segment] === undefined) holder[segment] = {};
    current = holder[segment];
  }
  return current !== null && typeof current === 'object' ? (current as Comparable) : undefined;
}

/**
 * Lines for a replaced price set: new and removed prices in full, and for a changed price each changed charge
 * (or option) before → after, with the relative change of amounts. Prefixes: `+` new, `-` removed, `!` changed.
 */
export function priceSetChangeLines(before: Comparable, after: Comparable): string[] {
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const old = before[key];
    const now = after[key];
    if (isObject(now) && !isObject(old)) {
      // Every line carries the marker, so a diff block colours the whole new price.
      lines.push(...priceLines(now).map((line, index) => (index === 0 ? `+ price ${line} (new)` : `+   ${line}`)));
      continue;
    }
    if (isObject(old) && !isObject(now)) {
      lines.push(...priceLines(old).map((line, index) => (index === 0 ? `- price ${line} (removed)` : `-   ${line}`)));
      continue;
    }
    if (!isObject(old) || !isObject(now) || deepEqual(old, now)) continue;
    lines.push(`! price ${priceHeading(now)}`);
    const oldHeading = priceHeading(old);
    if (oldHeading !== priceHeading(now)) lines.push(`    was: ${oldHeading}`);
    const currency = now.currency ? `${String(now.currency)}, ` : `${String(now.priceType)}, `;
    const oldItems = (old.chargeCatalogPrice ?? {}) as Comparable;
    const newItems = (now.chargeCatalogPrice ?? {}) as Comparable;
    for (const itemKey of [...new Set([...Object.keys(oldItems), ...Object.keys(newItems)])]) {
      const a = oldItems[itemKey] as Comparable | undefined;
      const b = newItems[itemKey] as Comparable | undefined;
      const name = itemKey === PLAN_FEE_KEY ? 'plan fee' : itemKey;
      if (!a && b) {
        lines.push(`    + ${name} (${itemTerms(b)}) added`);
        for (const charge of sortCharges(listOf(b.charges))) lines.push(`        ${periodWord(charge.chargePeriod)}: ${chargeCost(b.priceModel, charge)}`);
        continue;
      }
      if (a && !b) {
        lines.push(`    - ${name} (${itemTerms(a)}) removed`);
        for (const charge of sortCharges(listOf(a.charges))) lines.push(`        ${periodWord(charge.chargePeriod)}: ${chargeCost(a.priceModel, charge)}`);
        continue;
      }
      if (!a || !b || deepEqual(a, b)) continue;
      if (itemTerms(a) !== itemTerms(b)) lines.push(`    ${currency}${name}: ${itemTerms(a)} → ${itemTerms(b)}`);
      const oldCharges = (a.charges ?? {}) as Comparable;
      const newCharges = (b.charges ?? {}) as Comparable;
      const periods = [...new Set([...Object.keys(oldCharges), ...Object.keys(newCharges)])].sort((x, y) => periodRank(x) - periodRank(y));
      for (const period of periods) {
        const x = oldCharges[period] as Comparable | undefined;
        const y = newCharges[period] as Comparable | undefined;
        const label = `${currency}${periodWord(period)} ${name}`;
        if (!x && y) lines.push(`    ${label}: ${chargeCost(b.priceModel, y)} (new period)`);
        else if (x && !y) lines.push(`    ${label}: ${chargeCost(a.priceModel, x)} (period removed)`);
        else if (x && y && !deepEqual(x, y)) lines.push(`    ${label}: ${chargeChange(a.priceModel, x, b.priceModel, y)}`);
      }
    }
  }
  return lines;
}

function chargeChange(oldModel: unknown, old: Comparable, newModel: unknown, now: Comparable): string {
  const a = isObject(old.priceData) ? old.priceData : {};
  const b = isObject(now.priceData) ? now.priceData : {};
  const onlyAmount = oldModel === newModel && !old.tiers && !now.tiers && deepEqual({ ...a, amount: 0 }, { ...b, amount: 0 }) && deepEqual(old.advanced, now.advanced);
  if (onlyAmount && oldModel !== 'PACKAGE') return beforeAfter(a.amount, b.amount);
  const before = chargeCost(oldModel, old);
  const after = chargeCost(newModel, now);
  if (before !== after) return `${before} → ${after}`;
  // What changed is a detail the cost leaves out (priceData.currency): name it rather than print `X → X`.
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !deepEqual(a[key], b[key]));
  return [before, ...keys.map((key) => `priceData ${key}: ${beforeAfter(a[key], b[key])}`)].join(', ');
}
