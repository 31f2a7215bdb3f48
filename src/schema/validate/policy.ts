/**
 * A file's `policy`: its shape, then each rule on its own with the schema of the rule it names, so one wrong
 * parameter never hides another rule's problems. A rule name that is not one of ours is `unknown-policy-rule`
 * (with "did you mean"); a rule that limits nothing (max-price-change without increase or decrease, trial-days
 * without min or max, or min above max) is `policy-rule-limits-nothing`. A second `policy` in the catalog is
 * reported when the files are merged (load-catalog.ts).
 */
import type { Node } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic, Policy, PolicyRule } from '../model.js';
import { describeValue, error } from '../diagnostics.js';
import { POLICY_RULE_INPUTS, POLICY_RULE_NAMES, policyShell, type PolicyRuleName } from '../format/policy.js';
import { locateKey, locateValue, lookupNode } from '../load/node-path.js';
import { locationOfNode, type SourceFile } from '../load/source-file.js';
import { didYouMean } from './did-you-mean.js';
import { issuesToDiagnostics } from './zod-issues.js';

/** A file's policy: its value when valid, and where its `policy:` key is. */
export interface DeclaredPolicy {
  file: SourceFile;
  /** The `policy` key's node. */
  key: Node | undefined;
  value?: Policy;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const at = (file: SourceFile, node: Node | undefined) => {
  const location = locationOfNode(file, node);
  return `${location.file}:${location.line}:${location.column}`;
};

export function collectPolicy(file: SourceFile, root: Node | undefined, value: unknown, report: (d: Diagnostic) => void): DeclaredPolicy {
  const policyNode = lookupNode(file, root, ['policy']);
  const declared: DeclaredPolicy = { file, key: policyNode.key ?? policyNode.node };
  const shell = policyShell.safeParse(value);
  if (!shell.success) {
    for (const d of issuesToDiagnostics(shell.error.issues, { file, node: policyNode.node, value, schema: policyShell, noun: 'policy' })) report(d);
    return declared;
  }
  const rulesNode = lookupNode(file, policyNode.node, ['rules']).node;
  const rules: PolicyRule[] = [];
  let valid = true;
  shell.data.rules.forEach((item, index) => {
    const node = lookupNode(file, rulesNode, [index]).node;
    const rule = checkRule(file, node, item, index, report);
    if (rule) rules.push({ ...rule, where: at(file, node) });
    else valid = false;
  });
  if (valid) declared.value = { rules };
  return declared;
}

function checkRule(file: SourceFile, node: Node | undefined, item: unknown, index: number, report: (d: Diagnostic) => void): PolicyRule | undefined {
  const noun = `policy rule #${index + 1}`;
  if (!isPlainObject(item)) {
    report(error('invalid-type', `${noun}: expected a mapping such as { rule: max-price-change, increase: 10 }, got ${describeValue(item)}`, locationOfNode(file, node)));
    return undefined;
  }
  if (!('rule' in item)) {
    report(error('missing-key', `missing required key "rule" in ${noun}; one of ${POLICY_RULE_NAMES.join(', ')}`, locationOfNode(file, node)));
    return undefined;
  }
  const name = item.rule;
  if (typeof name !== 'string' || !(POLICY_RULE_NAMES as string[]).includes(name)) {
    const hint = typeof name === 'string' ? didYouMean(name, POLICY_RULE_NAMES) : '';
    report(
      error(
        'unknown-policy-rule',
        `${noun}: ${describeValue(name)} is not a policy rule${hint}${hint ? '' : `; the rules are ${POLICY_RULE_NAMES.join(', ')}`}`,
        locateValue(file, node, ['rule']),
      ),
    );
    return undefined;
  }
  const schema = POLICY_RULE_INPUTS[name as PolicyRuleName] as z.ZodType;
  const parsed = schema.safeParse(item);
  const ruleNoun = `policy rule "${name}"`;
  if (!parsed.success) {
    // A parameter's own message (`increase: must be at least 0`) names the rule it belongs to, as the key-level ones do.
    for (const d of issuesToDiagnostics(parsed.error.issues, { file, node, value: item, schema, noun: ruleNoun })) {
      report(d.message.includes(ruleNoun) ? d : { ...d, message: `${ruleNoun}: ${d.message}` });
    }
    return undefined;
  }
  const rule = parsed.data as PolicyRule;
  const nothing = (message: string, key?: string) => {
    report(error('policy-rule-limits-nothing', `${ruleNoun}: ${message}`, key ? locateKey(file, node, [key]) : locateKey(file, node, ['rule'])));
    return undefined;
  };
  if (rule.rule === 'max-price-change' && rule.increase === undefined && rule.decrease === undefined) {
    return nothing('give increase, decrease or both (percent): without them it limits nothing');
  }
  if (rule.rule === 'trial-days') {
    if (rule.min === undefined && rule.max === undefined) return nothing('give min, max or both (days): without them it limits nothing');
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) return nothing(`min (${rule.min}) is above max (${rule.max}): no trial could satisfy it`, 'min');
  }
  return rule;
}
