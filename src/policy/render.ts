/**
 * The policy report in text (plan, apply, promote, validate) and Markdown (the top of the PR comment), and as
 * GitHub annotations. Rule names are ours; plan identifiers, values, file names and server reasons are
 * untrusted: text passes them through `forTerminal`, Markdown puts them in code spans.
 */
import type pc from 'picocolors';
import { forTerminal, markdownCode } from '../output/escape.js';
import { positionOf, type Annotation } from '../output/github.js';
import { policyBlocks, type PolicyReport } from './evaluate.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Said once a report stops the run (our words only). */
const BLOCKED = "This plan breaks the catalog's policy: plan and apply exit 1 and nothing is applied until the catalog is fixed or the findings are waived (--allow RULE or RULE:PLAN).";

function counts(report: PolicyReport): string {
  const errors = report.violations.filter((v) => v.severity === 'error').length;
  const warnings = report.violations.length - errors;
  const parts = [`${errors} violation(s)`];
  if (warnings) parts.push(`${warnings} warning(s)`);
  parts.push(`${report.waived.length} waived`, `${report.notEvaluated.length} not evaluated${report.strict && report.notEvaluated.length ? ' (an error with --strict-policy)' : ''}`);
  const checked = report.checked < report.rules ? `${report.checked} of ${report.rules} rule(s) checked` : `${report.rules} rule(s)`;
  return `${parts.join(', ')}; ${checked}`;
}

/** The heading line of the report: `Policy: 1 violation(s), 0 waived, 0 not evaluated; 5 rule(s)`. */
export function policyHeadline(report: PolicyReport): string {
  return `Policy: ${counts(report)}`;
}

export function policyLinesText(report: PolicyReport | undefined, colors: Colors, options: { offlineOnly?: boolean } = {}): string[] {
  if (!report) return [];
  const lines = [colors.bold(policyHeadline(report))];
  if (policyBlocks(report)) lines.push(colors.red(`  ${BLOCKED}`));
  const rule = (where: string | undefined) => (where ? colors.dim(`  (rule at ${forTerminal(where)})`) : '');
  for (const violation of report.violations) {
    const label = violation.severity === 'error' ? colors.red('error  ') : colors.yellow('warning');
    lines.push(`  ${label}  ${violation.rule}  ${forTerminal(violation.message)}${rule(violation.where)}`);
  }
  for (const waived of report.waived) {
    lines.push(`  ${colors.cyan('waived ')}  ${waived.rule}  ${forTerminal(waived.message)}  ${colors.dim(`(waived by ${forTerminal(waived.waivedBy)})`)}${rule(waived.where)}`);
  }
  for (const skipped of report.notEvaluated) {
    const label = report.strict ? colors.red('not evaluated') : colors.yellow('not evaluated');
    lines.push(`  ${label}  ${skipped.rule}  ${forTerminal(skipped.reason)}${rule(skipped.where)}`);
  }
  if (options.offlineOnly && report.checked < report.rules) lines.push(colors.dim(`  ${report.rules - report.checked} rule(s) need Kelviq's live state: plan, apply and promote check them.`));
  return [...lines, ''];
}

/**
 * The Policy section at the top of the PR comment: its heading and counts (`head`, always shown) and one list
 * entry per finding (`findings`: violations, what was waived and by which flag, what was not evaluated), which a
 * comment too long for GitHub cuts from the last one on.
 */
export function policyMarkdownParts(report: PolicyReport | undefined): { head: string[]; findings: string[] } {
  if (!report) return { head: [], findings: [] };
  const head = ['#### Policy', '', `**${counts(report)}**`, ''];
  if (policyBlocks(report)) head.push(`:no_entry: ${BLOCKED}`, '');
  const rule = (where: string | undefined) => (where ? ` (rule at ${markdownCode(where)})` : '');
  const findings: string[] = [];
  for (const violation of report.violations) {
    const icon = violation.severity === 'error' ? ':x:' : ':warning:';
    findings.push(`- ${icon} ${violation.severity} \`${violation.rule}\`: ${markdownCode(violation.message)}${rule(violation.where)}`);
  }
  for (const waived of report.waived) {
    findings.push(`- :white_check_mark: waived \`${waived.rule}\`: ${markdownCode(waived.message)}, by ${markdownCode(waived.waivedBy)}${rule(waived.where)}`);
  }
  for (const skipped of report.notEvaluated) {
    findings.push(`- :grey_question: not evaluated \`${skipped.rule}\`: ${markdownCode(skipped.reason)}${rule(skipped.where)}`);
  }
  return { head, findings };
}

/** The whole Policy section as lines (for a caller that has no size limit to keep). */
export function policyLinesMarkdown(report: PolicyReport | undefined): string[] {
  const { head, findings } = policyMarkdownParts(report);
  return findings.length ? [...head, ...findings, ''] : head;
}

/** Violations (and, with --strict-policy, rules not evaluated) as annotations on the catalog line each is about. */
export function policyAnnotations(report: PolicyReport | undefined, title: string): Annotation[] {
  if (!report) return [];
  const annotations: Annotation[] = report.violations.map((v) => ({
    level: v.severity,
    message: `policy ${v.rule}: ${v.message}${v.where ? ` (rule at ${v.where})` : ''}`,
    title,
    ...positionOf(v.at ?? v.where),
  }));
  for (const skipped of report.notEvaluated) {
    annotations.push({ level: report.strict ? 'error' : 'warning', message: `policy ${skipped.rule} not evaluated: ${skipped.reason}`, title, ...positionOf(skipped.where) });
  }
  return annotations;
}
