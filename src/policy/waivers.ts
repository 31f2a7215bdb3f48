/**
 * Waivers: `--allow RULE` (every finding of that rule) or `--allow RULE:PLAN` (that rule on that plan only),
 * repeatable, on validate, plan, apply and promote. A saved plan records the ones it was made with.
 */
import { POLICY_RULE_NAMES, type PolicyRuleName } from '../schema/format/policy.js';
import { IDENTIFIER_PATTERN } from '../schema/format/common.js';
import { didYouMean } from '../schema/validate/did-you-mean.js';

export interface Waiver {
  rule: PolicyRuleName;
  /** Undefined: every plan. */
  plan?: string;
  /** As given on the command line: `--allow max-price-change:pro`. */
  flag: string;
}

/** Why a waiver cannot be read; the CLI turns it into an error (exit 1) before anything is read from Kelviq. */
export class WaiverError extends Error {
  override name = 'WaiverError';
}

export function parseWaiver(text: string): Waiver {
  const [rule = '', plan, ...rest] = text.split(':');
  if (!(POLICY_RULE_NAMES as string[]).includes(rule)) {
    const hint = didYouMean(rule, POLICY_RULE_NAMES);
    throw new WaiverError(`--allow ${text}: "${rule}" is not a policy rule${hint || `; the rules are ${POLICY_RULE_NAMES.join(', ')}.`}`);
  }
  if (rest.length || (plan !== undefined && !IDENTIFIER_PATTERN.test(plan))) {
    throw new WaiverError(`--allow ${text}: write RULE or RULE:PLAN, where PLAN is a plan identifier.`);
  }
  return { rule: rule as PolicyRuleName, ...(plan !== undefined ? { plan } : {}), flag: `--allow ${text}` };
}

export function parseWaivers(texts: readonly string[] | undefined): Waiver[] {
  return (texts ?? []).map(parseWaiver);
}
