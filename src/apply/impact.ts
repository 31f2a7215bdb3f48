/**
 * Customer impact: for each plan with a published version that a run changes (or a drift report names), how many
 * customers are on it now and what the run does to them. Kelviq's versioning decides it (NOTES.md, the spec's
 * publish endpoint): writes land in a draft customers do not see; a publish makes the new version the one new
 * customers get; existing customers move only when the publish asks for it (`updateFeatures` / `updatePricing`).
 *
 * The counts come from one read of GET /subscriptions/ (live-state.ts). When that read failed, the impact is
 * unknown, with the reason, and nothing else about the plan changes.
 */
import type { LiveState, SubscriptionCounts } from '../diff/live-state.js';
import { actionTarget, type ChangePlan } from './actions.js';

export interface SubscriptionNumbers {
  active: number;
  trialing: number;
  total: number;
}

/**
 * What the run does to a plan's existing customers:
 * - `none-until-publish`: the run writes a draft and does not publish it; nothing changes for anyone yet;
 * - `new-customers-only`: the run publishes; new customers get the new version, existing ones stay where they are;
 * - `existing-migrated`: the run publishes with --migrate-features / --migrate-pricing; existing ones move too.
 * - `archived`: the run archives the plan (--prune): hidden from new customers, kept for existing subscribers
 *   (kelviq-docs product-catalog/plans.mdx, plan actions: "Archive").
 * `none` is for drift, which changes nothing.
 */
export type ImpactEffect = 'none-until-publish' | 'new-customers-only' | 'existing-migrated' | 'archived' | 'none';

export interface PlanImpact {
  plan: string;
  /** The version customers see now. */
  publishedVersion: number;
  /** Active and trialing subscriptions on the plan now; null when unknown (see `CustomerImpact.reason`). */
  subscriptions: SubscriptionNumbers | null;
  effect: ImpactEffect;
  /** With `existing-migrated`: what moves. */
  migrates: { features: boolean; pricing: boolean };
  /** How many existing subscriptions this run moves to the new version (0 unless migrating; null when unknown). */
  moved: number | null;
}

export interface CustomerImpact {
  /** Whether the subscription counts could be read. */
  known: boolean;
  /** Why not, when `known` is false. */
  reason?: string;
  plans: PlanImpact[];
}

/** A plan's subscriptions from the one read of GET /subscriptions/; null when that read failed. */
export function numbersFor(counts: SubscriptionCounts | undefined, plan: string): SubscriptionNumbers | null {
  // Not read at all: no plan in scope was published, so none has customers.
  if (!counts) return { active: 0, trialing: 0, total: 0 };
  if (!counts.read) return null;
  const found = counts.byPlan.get(plan) ?? { active: 0, trialing: 0 };
  return { ...found, total: found.active + found.trialing };
}

export function publishedVersionOf(live: LiveState, plan: string): number | undefined {
  const entry = live.plans.get(plan);
  if (!entry) return undefined;
  if (entry.newest.plan.isLatest) return entry.newest.plan.version;
  return entry.published?.plan.version;
}

function envelope(live: LiveState, plans: PlanImpact[]): CustomerImpact {
  const counts = live.subscriptions;
  return counts && !counts.read ? { known: false, reason: counts.reason, plans } : { known: true, plans };
}

/** For a change plan: every plan with a published version that has an action in it, in plan order. */
export function planImpact(plan: ChangePlan, live: LiveState): CustomerImpact {
  const seen = new Set<string>();
  const plans: PlanImpact[] = [];
  for (const action of plan.actions) {
    const target = actionTarget(action);
    if (target.kind !== 'plan' || seen.has(target.identifier)) continue;
    seen.add(target.identifier);
    const publishedVersion = publishedVersionOf(live, target.identifier);
    if (publishedVersion === undefined) continue;
    const publish = plan.actions.find((a) => a.kind === 'publish-plan' && a.plan === target.identifier);
    const migrates = publish?.kind === 'publish-plan' ? { features: publish.updateFeatures, pricing: publish.updatePricing } : { features: false, pricing: false };
    const archived = plan.actions.some((a) => a.kind === 'archive-plan' && actionTarget(a).identifier === target.identifier);
    const effect: ImpactEffect = archived
      ? 'archived'
      : !publish
        ? 'none-until-publish'
        : migrates.features || migrates.pricing
          ? 'existing-migrated'
          : 'new-customers-only';
    const subscriptions = numbersFor(live.subscriptions, target.identifier);
    plans.push({
      plan: target.identifier,
      publishedVersion,
      subscriptions,
      effect,
      migrates,
      moved: effect === 'existing-migrated' ? (subscriptions?.total ?? null) : 0,
    });
  }
  return envelope(live, plans);
}

/** For a drift report: the plans it names that customers can be on (a published version), sorted. */
export function driftImpact(planIdentifiers: Iterable<string>, live: LiveState): CustomerImpact {
  const plans: PlanImpact[] = [];
  for (const plan of [...new Set(planIdentifiers)].sort()) {
    const publishedVersion = publishedVersionOf(live, plan);
    if (publishedVersion === undefined) continue;
    plans.push({ plan, publishedVersion, subscriptions: numbersFor(live.subscriptions, plan), effect: 'none', migrates: { features: false, pricing: false }, moved: 0 });
  }
  return envelope(live, plans);
}
