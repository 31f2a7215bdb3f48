/**
 * The change plan's vocabulary: one union member per kind of change. Each kind has exactly one executor
 * (executors.ts) and one rendering per output format (render/*.ts); adding a kind means adding a member here and
 * one case in each of those, nothing else.
 *
 * Actions hold identifiers, never UUIDs: UUIDs are resolved when the action runs, so a saved plan stays valid
 * for resources created earlier in the same run and carries nothing environment-specific.
 */
import type { FieldChange } from '../diff/compare.js';
import type { PlanStatus } from '../diff/live-state.js';
import type { CustomerImpact } from './impact.js';
import type { PolicyReport } from '../policy/evaluate.js';
import type { EntitlementDetails, Feature, Plan, Price, Product, ProductSettings } from '../schema/model.js';

/** What a write to a plan does to its versions. */
export type DraftEffect =
  | { kind: 'new-plan' }
  /** The newest version is published: the first write creates draft `creates` over it. */
  | { kind: 'new-draft'; publishedVersion: number; creates: number }
  /** A draft is pending over a published version: writes modify it. */
  | { kind: 'pending-draft'; version: number; publishedVersion: number }
  /** The plan was never published: writes modify its only version. */
  | { kind: 'unpublished'; version: number };

interface ActionBase {
  /** Stable id, unique in the plan: `<kind>:<identifier>[:<feature>]`. */
  id: string;
  /** Ids of actions that must finish first. */
  dependsOn: string[];
}

export type Action = ActionBase &
  (
    | { kind: 'create-product'; product: Product }
    | { kind: 'update-product'; product: string; changes: FieldChange[]; fields: Partial<Pick<Product, 'name' | 'description' | 'taxCode'>> }
    | { kind: 'update-product-settings'; product: string; changes: FieldChange[]; settings: ProductSettings }
    | { kind: 'create-feature'; feature: Feature }
    | { kind: 'create-plan'; plan: Plan }
    | { kind: 'update-plan'; plan: string; draft: DraftEffect; changes: FieldChange[]; fields: PlanFieldUpdate }
    /** `was`: the grant Kelviq holds now, for the reviewer (the request needs only the feature). */
    | { kind: 'remove-entitlement'; plan: string; draft: DraftEffect; feature: string; was?: EntitlementDetails }
    | { kind: 'update-entitlement'; plan: string; draft: DraftEffect; feature: string; changes: FieldChange[]; details: EntitlementDetails }
    | { kind: 'add-entitlements'; plan: string; draft: DraftEffect; entitlements: Record<string, EntitlementDetails> }
    | { kind: 'replace-prices'; plan: string; draft: DraftEffect; changes: FieldChange[]; prices: Price[] }
    | {
        kind: 'publish-plan';
        plan: string;
        /** Why: the run changed the plan, or a pending draft already equals the catalog. */
        reason: 'changed' | 'pending-draft';
        updateFeatures: boolean;
        updatePricing: boolean;
      }
    | { kind: 'archive-plan'; plan: string }
    | { kind: 'archive-feature'; feature: string }
  );

export type ActionKind = Action['kind'];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

/** The writable plan fields (the spec's PlanUpdateRequest), metadata already carrying the marker if due. */
export type PlanFieldUpdate = Partial<Pick<Plan, 'name' | 'description' | 'isVisible' | 'metadata' | 'license' | 'links'>>;

export interface PlanNote {
  plan: string;
  status?: PlanStatus;
  draft: DraftEffect;
}

/** A plan left with an unpublished newest version after the run: customers do not see what the catalog says. */
export interface PendingDraft {
  plan: string;
  /** The unpublished version writes go to. */
  version: number;
  /** The version customers see; null when the plan was never published (customers see no version of it). */
  publishedVersion: number | null;
  /** True when the draft already equals the catalog and this run writes nothing to it: only a publish is missing. */
  matchesCatalog: boolean;
}

export interface PlanMessage {
  severity: 'error' | 'warning';
  message: string;
  /** The catalog location the message is about, when it has one (`file:line:col`). */
  location?: string;
  /** A warning about something this plan leaves as it is in Kelviq although it may differ from the catalog. */
  leftAsIs?: true;
}

export interface PlanSummary {
  create: number;
  update: number;
  remove: number;
  publish: number;
  archive: number;
  total: number;
}

export interface PlanDecisions {
  publish: boolean;
  migrateFeatures: boolean;
  migratePricing: boolean;
  prune: boolean;
  allowProdPrune: boolean;
}

/** A computed change plan: data that can be shown, saved, checked for staleness and executed later. */
export interface ChangePlan {
  actions: Action[];
  /** Per plan that the run writes to: what happens to its versions. */
  drafts: PlanNote[];
  /** Plans whose newest version is an unpublished draft and that this run leaves unpublished. */
  pendingDrafts: PendingDraft[];
  messages: PlanMessage[];
  summary: PlanSummary;
  decisions: PlanDecisions;
  /** Customers on the published plans this run changes, and what it does to them (impact.ts). Not compared on apply. */
  impact?: CustomerImpact;
  /** The catalog's policy checked against this plan (src/policy): violations, waived, not evaluated. Not compared on apply. */
  policy?: PolicyReport;
}

export function actionTarget(action: Action): { kind: 'product' | 'feature' | 'plan'; identifier: string } {
  switch (action.kind) {
    case 'create-product':
      return { kind: 'product', identifier: action.product.identifier };
    case 'update-product':
    case 'update-product-settings':
      return { kind: 'product', identifier: action.product };
    case 'create-feature':
      return { kind: 'feature', identifier: action.feature.identifier };
    case 'archive-feature':
      return { kind: 'feature', identifier: action.feature };
    case 'create-plan':
      return { kind: 'plan', identifier: action.plan.identifier };
    default:
      return { kind: 'plan', identifier: action.plan };
  }
}

export function summarize(actions: Action[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, remove: 0, publish: 0, archive: 0, total: actions.length };
  for (const action of actions) {
    if (action.kind.startsWith('create-') || action.kind === 'add-entitlements') summary.create += 1;
    else if (action.kind.startsWith('update-') || action.kind === 'replace-prices') summary.update += 1;
    else if (action.kind === 'remove-entitlement') summary.remove += 1;
    else if (action.kind === 'publish-plan') summary.publish += 1;
    else summary.archive += 1;
  }
  return summary;
}
