/**
 * The `policy` section: pricing rules a team writes once in the catalog, which validate, plan, apply and promote
 * enforce (src/policy). Any catalog file may hold it; a catalog holds at most one.
 *
 * One schema per rule, keyed by its `rule` name, so a wrong parameter is reported on that rule's own terms and the
 * JSON Schema offers each rule's parameters in editors. Parameters are percents, counts, currency codes and days.
 */
import { z } from 'zod';
import { currencyCode } from './common.js';

export const POLICY_SEVERITIES = ['error', 'warning'] as const;

const severity = z
  .enum(POLICY_SEVERITIES)
  .default('error')
  .describe('error (default): plan and apply exit 1 and apply writes nothing unless waived with --allow; warning: reported only.');

const percent = (what: string) => z.number().nonnegative().describe(what);

export const POLICY_RULE_INPUTS = {
  'max-price-change': z
    .strictObject({
      rule: z.literal('max-price-change'),
      increase: percent('Largest increase allowed, in percent of what customers pay now; a larger one violates. Left out: increases are not limited.').optional(),
      decrease: percent('Largest decrease allowed, in percent; 0: any decrease violates. Left out: decreases are not limited.').optional(),
      severity,
    })
    .describe('Each amount of a charge (per plan, currency and billing period) may change by at most this much against the published version customers pay now.'),
  'keep-grants-with-customers': z
    .strictObject({ rule: z.literal('keep-grants-with-customers'), severity })
    .describe('No entitlement removed or lowered (a smaller value, unlimited to limited, true to false) on a plan with subscriptions.'),
  'migrate-needs-approval': z
    .strictObject({
      rule: z.literal('migrate-needs-approval'),
      maxSubscriptions: z.int().nonnegative().describe('Most subscriptions a plan may have for --migrate-features / --migrate-pricing to move them without a waiver.'),
      severity,
    })
    .describe('--migrate-features / --migrate-pricing (with --publish) on a plan with more than maxSubscriptions subscriptions.'),
  'required-currencies': z
    .strictObject({
      rule: z.literal('required-currencies'),
      currencies: z.array(currencyCode).min(1).describe('Every plan with a PAID price has a PAID price in each of these currencies.'),
      severity,
    })
    .describe('Every plan with PAID prices has one in each of the currencies listed.'),
  'trial-days': z
    .strictObject({
      rule: z.literal('trial-days'),
      min: z.int().nonnegative().optional().describe('Shortest free trial allowed, in days.'),
      max: z.int().nonnegative().optional().describe('Longest free trial allowed, in days.'),
      severity,
    })
    .describe('Every free trial (freeTrial: true) lasts between min and max days.'),
} as const;

export type PolicyRuleName = keyof typeof POLICY_RULE_INPUTS;
export const POLICY_RULE_NAMES = Object.keys(POLICY_RULE_INPUTS) as PolicyRuleName[];

const ruleInputs = Object.values(POLICY_RULE_INPUTS) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]];

export const policyInput = z
  .strictObject({
    rules: z
      .array(z.discriminatedUnion('rule', ruleInputs as never))
      .describe('The rules, each `{ rule: <name>, ...parameters, severity? }`.'),
  })
  .describe(
    'Pricing rules enforced by validate (rules that need no live data), plan, apply and promote; waived per run with --allow RULE or --allow RULE:PLAN. At most one `policy` per catalog.',
  );

/** The top level of the policy only: each rule is checked on its own, with its own schema. */
export const policyShell = z.strictObject({ rules: z.array(z.unknown()) });
