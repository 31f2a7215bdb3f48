/**
 * Guardrails as policy: the catalog's `policy` rules checked against a catalog (offline rules, which validate
 * runs too) and against a change plan, the live state and the subscriptions on each plan (live rules, which
 * plan, apply and promote run before anything is written).
 *
 * A rule that needs subscription counts when they could not be read (a key that may not list subscriptions
 * answers 403, or the read failed) is reported as not evaluated, with the reason: never as passed. Only a plan the
 * rule would otherwise flag is reported so (a plan whose grants are not lowered passes whatever its count).
 *
 * Messages are plain text holding untrusted identifiers and values; every renderer escapes them for its output.
 */
import { lookupsOf } from '../diff/diff-catalog.js';
import type { LiveState, LivePlanVersion } from '../diff/live-state.js';
import { canonicalUpTo, livePlanToModel } from '../diff/normalize.js';
import { formatIssues, isPlanReferenceIssue } from '../diff/project.js';
import { planInput } from '../schema/format/plan.js';
import type { ChangePlan } from '../apply/actions.js';
import { numbersFor } from '../apply/impact.js';
import { percentText, periodWord, plain } from '../apply/words.js';
import type { Catalog, EntitlementDetails, Plan, Policy, PolicyRule, PolicySeverity, Price } from '../schema/model.js';
import type { PolicyRuleName } from '../schema/format/policy.js';
import type { Waiver } from './waivers.js';
import { changeBeyondPercent } from './exact-percent.js';

export interface PolicyFinding {
  rule: PolicyRuleName;
  severity: PolicySeverity;
  /** The plan the finding is about. */
  plan: string;
  /** `analytics-pro-monthly USD monthly: 49 → 59, +20.4% > 10%`. */
  message: string;
  /** Where the rule is written, `file:line:col`. */
  where?: string;
  /** Where the plan (or its prices, entitlements) is written in the catalog, when known. */
  at?: string;
}

export interface PolicyWaived extends PolicyFinding {
  /** The flag that waived it: `--allow max-price-change:pro`. */
  waivedBy: string;
  /** True when the finding was a rule that could not be evaluated, waived all the same. */
  notEvaluated?: boolean;
}

export interface PolicyNotEvaluated {
  rule: PolicyRuleName;
  severity: PolicySeverity;
  plan: string;
  /** Why: what the rule needed and could not read. */
  reason: string;
  where?: string;
}

export interface PolicyReport {
  /** How many rules the policy has, and how many were checked (validate checks the offline ones only). */
  rules: number;
  checked: number;
  violations: PolicyFinding[];
  waived: PolicyWaived[];
  notEvaluated: PolicyNotEvaluated[];
  /** The `--allow` flags the run was made with, as given. */
  waivers: string[];
  /** `--strict-policy`: a rule not evaluated is an error. */
  strict: boolean;
}

/** Rules that need no live data: validate runs them too. */
export const OFFLINE_RULES: ReadonlySet<PolicyRuleName> = new Set(['required-currencies', 'trial-days']);

/** Whether the report stops plan and apply: an error violation, or (with --strict-policy) a rule not evaluated. */
export function policyBlocks(report: PolicyReport | undefined): boolean {
  if (!report) return false;
  return report.violations.some((v) => v.severity === 'error') || (report.strict && report.notEvaluated.length > 0);
}

/** One line about what blocks, for errors and JSON error documents. */
export function policyBlockSummary(report: PolicyReport): string {
  const errors = report.violations.filter((v) => v.severity === 'error').length;
  const parts: string[] = [];
  if (errors) parts.push(`${errors} policy violation(s)`);
  if (report.strict && report.notEvaluated.length) parts.push(`${report.notEvaluated.length} policy rule check(s) not evaluated (--strict-policy)`);
  return parts.join(' and ');
}

type Locate = (pointer: string) => string | undefined;

interface Found {
  plan: string;
  message: string;
  at?: string;
}

// ---- offline rules

function requiredCurrencies(catalog: Catalog, currencies: string[], locate: Locate): Found[] {
  const found: Found[] = [];
  for (const plan of catalog.plans) {
    const paid = (plan.prices ?? []).filter((price) => price.priceType === 'PAID');
    if (!paid.length) continue;
    const has = new Set(paid.map((price) => price.currency?.toUpperCase()));
    const missing = currencies.filter((currency) => !has.has(currency.toUpperCase()));
    if (!missing.length) continue;
    found.push({
      plan: plan.identifier,
      message: `${plan.identifier}: no PAID price in ${missing.join(', ')} (it has ${[...has].filter(Boolean).join(', ') || 'none'}; the policy requires ${currencies.join(', ')})`,
      at: locate(`/plans/${plan.identifier}/prices`),
    });
  }
  return found;
}

function trialDays(catalog: Catalog, min: number | undefined, max: number | undefined, locate: Locate): Found[] {
  const found: Found[] = [];
  for (const plan of catalog.plans) {
    (plan.prices ?? []).forEach((price, index) => {
      if (price.freeTrial !== true || price.trialPeriod === undefined) return;
      const days = price.trialPeriod;
      const what = `${plan.identifier} ${price.currency ?? price.priceType}: a ${plain(days)}-day free trial`;
      const at = locate(`/plans/${plan.identifier}/prices/${index}/trialPeriod`) ?? locate(`/plans/${plan.identifier}/prices`);
      if (min !== undefined && days < min) found.push({ plan: plan.identifier, message: `${what} < ${plain(min)} days minimum`, at });
      if (max !== undefined && days > max) found.push({ plan: plan.identifier, message: `${what} > ${plain(max)} days maximum`, at });
    });
  }
  return found;
}

// ---- live rules

/** The version customers are on now: the newest when published, else the published one under a draft. */
function publishedVersion(live: LiveState, plan: string): LivePlanVersion | undefined {
  const entry = live.plans.get(plan);
  if (!entry) return undefined;
  return entry.newest.plan.isLatest ? entry.newest : entry.published;
}

/**
 * Per live state, each plan's published version as a model (several rules read it; converting costs a projection).
 * Undefined as well when that version holds values the format cannot express (an amount that spells no number, a
 * billing period the spec lacks): the diff leaves such a plan alone, and a rule cannot compare what it cannot read.
 */
const publishedModels = new WeakMap<LiveState, Map<string, Plan | undefined>>();

function publishedModel(live: LiveState, plan: string): Plan | undefined {
  let models = publishedModels.get(live);
  if (!models) publishedModels.set(live, (models = new Map()));
  if (!models.has(plan)) {
    const version = publishedVersion(live, plan);
    const model = version ? livePlanToModel(version, lookupsOf(live)) : undefined;
    models.set(plan, model && formatIssues(planInput, model, isPlanReferenceIssue).length === 0 ? model : undefined);
  }
  return models.get(plan);
}

interface AmountPair {
  label: string;
  before: number;
  after: number;
}

/** Every amount a customer pays now that the catalog also sets, per currency, period, charge and tier. */
function amountPairs(desired: Price[], current: Price[]): AmountPair[] {
  const pairs: AmountPair[] = [];
  for (const price of desired) {
    if (price.priceType !== 'PAID') continue;
    const now = current.find((p) => p.priceType === 'PAID' && p.currency?.toUpperCase() === price.currency?.toUpperCase());
    if (!now) continue;
    for (const item of price.chargeCatalogPrice ?? []) {
      const nowItem = (now.chargeCatalogPrice ?? []).find((i) => (i.feature ?? null) === (item.feature ?? null));
      if (!nowItem) continue;
      for (const charge of item.charges) {
        const nowCharge = nowItem.charges.find((c) => c.chargePeriod === charge.chargePeriod);
        if (!nowCharge) continue;
        const base = `${price.currency} ${periodWord(charge.chargePeriod)}${item.feature ? ` ${item.feature}` : ''}`;
        const after = charge.priceData?.amount;
        const before = nowCharge.priceData?.amount;
        if (typeof after === 'number' && typeof before === 'number') pairs.push({ label: base, before, after });
        for (const tier of charge.tiers ?? []) {
          const upTo = canonicalUpTo(tier.upTo);
          const nowTier = (nowCharge.tiers ?? []).find((t) => canonicalUpTo(t.upTo) === upTo);
          if (!nowTier) continue;
          const tierLabel = `${base} tier up to ${upTo === 'inf' ? '∞' : plain(upTo)}`;
          if (tier.unitAmount !== undefined && nowTier.unitAmount !== undefined) pairs.push({ label: `${tierLabel} unit amount`, before: nowTier.unitAmount, after: tier.unitAmount });
          if (tier.flatAmount !== undefined && nowTier.flatAmount !== undefined) pairs.push({ label: `${tierLabel} flat amount`, before: nowTier.flatAmount, after: tier.flatAmount });
        }
      }
    }
  }
  return pairs;
}

function maxPriceChange(catalog: Catalog, live: LiveState, rule: Extract<PolicyRule, { rule: 'max-price-change' }>, locate: Locate): Found[] {
  const found: Found[] = [];
  for (const plan of catalog.plans) {
    if (!plan.prices) continue;
    const current = publishedModel(live, plan.identifier);
    if (!current?.prices) continue;
    for (const { label, before, after } of amountPairs(plan.prices, current.prices)) {
      if (before === after) continue;
      const change = before === 0 ? (after > 0 ? Infinity : -Infinity) : ((after - before) / before) * 100;
      const limit = change > 0 ? rule.increase : rule.decrease;
      if (limit === undefined || !changeBeyondPercent(before, after, limit)) continue;
      // A limit of 0 forbids the direction outright: `-20.4% < -0%` would read as a typo.
      const bound = limit === 0 ? `(no ${change > 0 ? 'increase' : 'decrease'} allowed)` : change > 0 ? `> ${plain(limit)}%` : `< -${plain(limit)}%`;
      found.push({
        plan: plan.identifier,
        message: `${plan.identifier} ${label}: ${plain(before)} → ${plain(after)}, ${percentText(change, limit)} ${bound}`,
        at: locate(`/plans/${plan.identifier}/prices`),
      });
    }
  }
  return found;
}

/** How a grant is lowered from `before` to `after` (undefined: it is not). */
function lowering(before: EntitlementDetails, after: EntitlementDetails | undefined): string | undefined {
  const show = (details: EntitlementDetails) => (details.hasUnlimitedUsage === true ? 'unlimited' : plain(details.value));
  if (!after) return `${show(before)} → removed`;
  if (before.hasUnlimitedUsage === true && after.hasUnlimitedUsage !== true) return `unlimited → ${show(after)}`;
  if (after.hasUnlimitedUsage === true) return undefined;
  if (before.value === true && after.value !== true && after.value !== undefined) return `${show(before)} → ${show(after)}`;
  if (typeof before.value === 'number' && typeof after.value === 'number' && after.value < before.value) return `${show(before)} → ${show(after)}`;
  return undefined;
}

interface Candidate extends Found {
  /** The plan's subscriptions: the finding stands when there are any (or more than a threshold). */
  subscriptions: number | null;
}

function subscriptionCount(live: LiveState, plan: string): number | null {
  return numbersFor(live.subscriptions, plan)?.total ?? null;
}

function loweredGrants(catalog: Catalog, live: LiveState, locate: Locate): Candidate[] {
  const found: Candidate[] = [];
  for (const plan of catalog.plans) {
    if (!plan.entitlements) continue;
    const current = publishedModel(live, plan.identifier);
    if (!current?.entitlements) continue;
    for (const [feature, details] of Object.entries(current.entitlements)) {
      const change = lowering(details, plan.entitlements[feature]);
      if (!change) continue;
      const subscriptions = subscriptionCount(live, plan.identifier);
      found.push({
        plan: plan.identifier,
        message: `${plan.identifier} ${feature}: ${change}${subscriptions === null ? '' : ` on a plan with ${plain(subscriptions)} subscription(s)`}`,
        at: locate(`/plans/${plan.identifier}/entitlements/${feature}`) ?? locate(`/plans/${plan.identifier}/entitlements`),
        subscriptions,
      });
    }
  }
  return found;
}

function migrations(plan: ChangePlan, live: LiveState, max: number, locate: Locate): Candidate[] {
  const found: Candidate[] = [];
  for (const action of plan.actions) {
    if (action.kind !== 'publish-plan' || !(action.updateFeatures || action.updatePricing)) continue;
    const flags = [action.updateFeatures && '--migrate-features', action.updatePricing && '--migrate-pricing'].filter(Boolean).join(' and ');
    const subscriptions = subscriptionCount(live, action.plan);
    found.push({
      plan: action.plan,
      message: `${action.plan}: ${flags} would move ${subscriptions === null ? 'its' : plain(subscriptions)} existing subscription(s)${subscriptions === null ? '' : ` > ${plain(max)}`}`,
      at: locate(`/plans/${action.plan}`),
      subscriptions,
    });
  }
  return found;
}

// ---- the whole policy

export interface EvaluateOptions {
  catalog: Catalog;
  policy: Policy;
  /** Without a live state (validate), only the offline rules are checked. */
  live?: LiveState;
  plan?: ChangePlan;
  waivers?: Waiver[];
  strict?: boolean;
  locate?: Locate;
}

export function evaluatePolicy(options: EvaluateOptions): PolicyReport {
  const { catalog, policy, live, plan } = options;
  const locate: Locate = options.locate ?? (() => undefined);
  const waivers = options.waivers ?? [];
  const report: PolicyReport = {
    rules: policy.rules.length,
    checked: 0,
    violations: [],
    waived: [],
    notEvaluated: [],
    waivers: waivers.map((w) => w.flag),
    strict: Boolean(options.strict),
  };
  const waiverFor = (rule: PolicyRuleName, planId: string) => waivers.find((w) => w.rule === rule && (w.plan === undefined || w.plan === planId));
  const unreadReason = () =>
    live?.subscriptions && !live.subscriptions.read ? `subscriptions could not be read: ${live.subscriptions.reason}` : 'subscriptions could not be read';

  for (const rule of policy.rules) {
    if (!live && !OFFLINE_RULES.has(rule.rule)) continue;
    report.checked += 1;
    let found: Found[] = [];
    const needsCount: Candidate[] = [];
    switch (rule.rule) {
      case 'required-currencies':
        found = requiredCurrencies(catalog, rule.currencies, locate);
        break;
      case 'trial-days':
        found = trialDays(catalog, rule.min, rule.max, locate);
        break;
      case 'max-price-change':
        found = maxPriceChange(catalog, live!, rule, locate);
        break;
      case 'keep-grants-with-customers':
        for (const candidate of loweredGrants(catalog, live!, locate)) {
          if (candidate.subscriptions === null) needsCount.push(candidate);
          else if (candidate.subscriptions > 0) found.push(candidate);
        }
        break;
      case 'migrate-needs-approval':
        if (!plan) break;
        for (const candidate of migrations(plan, live!, rule.maxSubscriptions, locate)) {
          if (candidate.subscriptions === null) needsCount.push(candidate);
          else if (candidate.subscriptions > rule.maxSubscriptions) found.push(candidate);
        }
        break;
    }
    for (const finding of found) {
      const full: PolicyFinding = { rule: rule.rule, severity: rule.severity, plan: finding.plan, message: finding.message };
      if (rule.where) full.where = rule.where;
      if (finding.at) full.at = finding.at;
      const waiver = waiverFor(rule.rule, finding.plan);
      if (waiver) report.waived.push({ ...full, waivedBy: waiver.flag });
      else report.violations.push(full);
    }
    for (const candidate of needsCount) {
      const reason = `${candidate.message}; ${unreadReason()}`;
      const waiver = waiverFor(rule.rule, candidate.plan);
      const where = rule.where ? { where: rule.where } : {};
      if (waiver) report.waived.push({ rule: rule.rule, severity: rule.severity, plan: candidate.plan, message: reason, ...where, waivedBy: waiver.flag, notEvaluated: true });
      else report.notEvaluated.push({ rule: rule.rule, severity: rule.severity, plan: candidate.plan, reason, ...where });
    }
  }
  return report;
}
