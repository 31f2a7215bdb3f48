/** The change plan (typed actions), how it is computed, rendered, saved, checked and executed. */
export type {
  Action,
  ActionKind,
  ActionOf,
  ChangePlan,
  DraftEffect,
  PlanDecisions,
  PlanMessage,
  PendingDraft,
  PlanNote,
  PlanSummary,
} from './actions.js';
export { actionTarget, summarize } from './actions.js';
export { buildPlan, type PlannerInput } from './planner.js';
export { IdentifierHeldError, rerunCanFix } from './executors.js';
export { applyPlan, idsFromLive, InvalidPlanError, type ApplyOptions, type ApplyResult, type ActionFailure } from './run.js';
export {
  computePlan,
  planAgainst,
  verifySavedPlan,
  PLAN_FILE_FORMAT,
  PLAN_FILE_VERSION,
  hasErrors,
  parseSavedPlan,
  toSavedPlan,
  StalePlanError,
  DEFAULT_DECISIONS,
  type ComputePlanOptions,
  type PlanAgainstOptions,
  type ComputedPlan,
  type SavedPlan,
} from './engine.js';
export { computePromotion, type PromoteOptions, type Promotion } from './promote.js';
export { planImpact, driftImpact, type CustomerImpact, type PlanImpact, type ImpactEffect, type SubscriptionNumbers } from './impact.js';
export { describeAction, describeDraft, formatChange } from './describe.js';
export { pricingMatrix, type PricingMatrix, type MatrixProduct, type MatrixPlan, type MatrixRow, type MatrixCell } from './matrix.js';
export {
  renderPlanText,
  renderPlanMarkdown,
  planJsonDocument,
  renderApplyResultText,
  applyResultJson,
  summaryLine,
  JSON_FORMAT_VERSION,
  MARKDOWN_LIMIT,
  type RenderContext,
  type PlanJsonDocument,
} from './render.js';
