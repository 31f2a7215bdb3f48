/**
 * kelviq-catalog as a library: the same engine the CLI drives, one name per thing.
 *
 * @example
 *   import { loadCatalog, formatDiagnostics, plan, apply, createClient, resolveTarget } from 'kelviq-catalog';
 *
 *   const { catalog, diagnostics } = await loadCatalog('./catalog');
 *   if (!catalog) throw new Error(formatDiagnostics(diagnostics));
 *   const target = resolveTarget(); // the sandbox, from KELVIQ_SANDBOX_SERVER_API_KEY
 *   const client = createClient(target);
 *   try {
 *     const computed = await plan({ client, catalog, environment: target.environment });
 *     // Refuses (InvalidPlanError) a plan with errors, as the CLI does.
 *     const result = await apply(computed.plan, { client, live: computed.live, environment: target.environment });
 *     console.log(`${result.applied.length} change(s) applied`);
 *   } finally {
 *     await client.close();
 *   }
 *
 * (test/library/docblock-example.ts holds this example verbatim, so `tsc` checks it and a test runs it.)
 */
import { fileURLToPath } from 'node:url';

export { loadCatalog, catalogJsonSchema, formatDiagnostics } from './schema/index.js';
export { formatCatalogFiles, formatCatalogText, catalogToFiles, writeCatalogFiles, CatalogTargetError, initCatalog } from './schema/index.js';
export { pullCatalog, type PullOptions, type PullResult } from './pull/index.js';
export type * from './schema/model.js';

// The change plan: computing it is `plan`, executing it is `apply` (the names the README uses; no aliases).
export { computePlan as plan, applyPlan as apply } from './apply/index.js';
export type {
  Action,
  ActionKind,
  ActionOf,
  ChangePlan,
  DraftEffect,
  PlanDecisions,
  PlanMessage,
  PlanNote,
  PlanSummary,
} from './apply/index.js';
export { actionTarget, summarize } from './apply/index.js';
export { buildPlan, type PlannerInput } from './apply/index.js';
export { IdentifierHeldError, rerunCanFix } from './apply/index.js';
export { idsFromLive, InvalidPlanError, type ApplyOptions, type ApplyResult, type ActionFailure } from './apply/index.js';
export {
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
} from './apply/index.js';
export { computePromotion, type PromoteOptions, type Promotion } from './apply/index.js';
export { describeAction, describeDraft, formatChange } from './apply/index.js';
export {
  renderPlanText,
  renderPlanMarkdown,
  planJsonDocument,
  renderApplyResultText,
  applyResultJson,
  summaryLine,
  JSON_FORMAT_VERSION,
  type RenderContext,
  type PlanJsonDocument,
} from './apply/index.js';
// Guardrails as policy: the catalog's `policy` checked against a catalog (offline) or a plan and its live state.
export {
  evaluatePolicy,
  OFFLINE_RULES,
  policyBlocks,
  parseWaiver,
  parseWaivers,
  WaiverError,
  POLICY_RULE_NAMES,
  type EvaluateOptions,
  type PolicyFinding,
  type PolicyNotEvaluated,
  type PolicyReport,
  type PolicyWaived,
  type PolicyRuleName,
  type Waiver,
} from './policy/index.js';
export * from './diff/index.js';
export * from './drift/index.js';
export {
  KelviqClient,
  RequestCounter,
  createClient,
  resolveTarget,
  ConfigError,
  KelviqApiError,
  KelviqRequestError,
  NetworkError,
  ResponseShapeError,
  UnknownOutcomeError,
  type Target,
  type EnvironmentName,
  type RequestEvent,
} from './client/index.js';

/**
 * Absolute path of the catalog JSON Schema shipped with the package (`schema/catalog.schema.json`), for editor
 * settings and validators; also importable as `kelviq-catalog/catalog.schema.json`. `catalogJsonSchema()` gives
 * the same schema as an object.
 */
export const catalogJsonSchemaPath: string = fileURLToPath(new URL('../schema/catalog.schema.json', import.meta.url));
