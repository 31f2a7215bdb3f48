export {
  evaluatePolicy,
  OFFLINE_RULES,
  policyBlocks,
  policyBlockSummary,
  type EvaluateOptions,
  type PolicyFinding,
  type PolicyNotEvaluated,
  type PolicyReport,
  type PolicyWaived,
} from './evaluate.js';
export { parseWaiver, parseWaivers, WaiverError, type Waiver } from './waivers.js';
export { POLICY_RULE_NAMES, type PolicyRuleName } from '../schema/format/policy.js';
export { policyAnnotations, policyHeadline, policyLinesMarkdown, policyLinesText } from './render.js';
