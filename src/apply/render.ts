/**
 * Renderings of a change plan and of an apply result: terminal text (colour optional), Markdown for PR comments
 * and step summaries, and a versioned JSON document for machines.
 *
 * Identifiers, names, values, file names and server messages are untrusted: the text renderers pass them through
 * `forTerminal` and the Markdown renderer puts them in code (spans, or the diff block) — before any colour is
 * added, so the escapes never touch our own. JSON carries them as they are.
 */
import pc from 'picocolors';
import { forTerminal, markdownCode } from '../output/escape.js';
import { actionTarget, type Action, type ChangePlan, type PlanSummary } from './actions.js';
import { describeAction, describeDraft, type Symbol } from './describe.js';
import { rerunCanFix } from './executors.js';
import { impactLinesMarkdown, impactLinesText, pendingDraftLinesMarkdown, pendingDraftLinesText, statusLine } from './render-impact.js';
import type { ApplyResult } from './run.js';

export const JSON_FORMAT_VERSION = 1;

export interface RenderContext {
  environment: 'sandbox' | 'production';
  baseUrl: string;
  color?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

function paint(colors: Colors, symbol: Symbol, text: string): string {
  switch (symbol) {
    case '+':
      return colors.green(text);
    case '~':
      return colors.yellow(text);
    case '-':
    case 'x':
      return colors.red(text);
    case '^':
      return colors.cyan(text);
  }
}

interface Group {
  /** Our words ('Products', 'Plan'). */
  heading: string;
  /** The plan's identifier, untrusted, escaped by each renderer its own way. */
  plan?: string;
  note?: string;
  actions: Action[];
}

/** Actions grouped by resource kind, then by plan, in plan order. */
function groups(plan: ChangePlan): Group[] {
  const result: Group[] = [];
  const products = plan.actions.filter((a) => actionTarget(a).kind === 'product');
  const features = plan.actions.filter((a) => actionTarget(a).kind === 'feature');
  if (products.length) result.push({ heading: 'Products', actions: products });
  if (features.length) result.push({ heading: 'Features', actions: features });
  const byPlan = new Map<string, Action[]>();
  for (const action of plan.actions) {
    const target = actionTarget(action);
    if (target.kind !== 'plan') continue;
    byPlan.set(target.identifier, [...(byPlan.get(target.identifier) ?? []), action]);
  }
  for (const [identifier, actions] of byPlan) {
    const draft = plan.drafts.find((d) => d.plan === identifier)?.draft;
    result.push({ heading: 'Plan', plan: identifier, note: draft ? describeDraft(draft) : undefined, actions });
  }
  return result;
}

export function summaryLine(summary: PlanSummary): string {
  if (summary.total === 0) return 'No changes. Kelviq matches the catalog.';
  return `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.remove} to remove, ${summary.publish} to publish, ${summary.archive} to archive.`;
}

export function renderPlanText(plan: ChangePlan, context: RenderContext): string {
  const colors = pc.createColors(context.color ?? false);
  const lines: string[] = [colors.bold(`Kelviq ${context.environment} (${forTerminal(context.baseUrl)})`), ''];
  for (const group of groups(plan)) {
    const heading = group.plan === undefined ? group.heading : `${group.heading} ${forTerminal(group.plan)}`;
    lines.push(colors.bold(heading) + (group.note ? colors.dim(`  (${group.note})`) : ''));
    for (const action of group.actions) {
      const description = describeAction(action);
      lines.push(`  ${paint(colors, description.symbol, `${description.symbol} ${forTerminal(description.title)}`)}`);
      for (const detail of description.details) lines.push(`      ${forTerminal(detail)}`);
    }
    lines.push('');
  }
  lines.push(...pendingDraftLinesText(plan, colors), ...impactLinesText(plan.impact, colors, { publish: plan.decisions.publish }));
  for (const message of plan.messages) {
    const label = message.severity === 'error' ? colors.red('error') : colors.yellow('warning');
    lines.push(`${message.location ? `${forTerminal(message.location)}  ` : ''}${label}  ${forTerminal(message.message)}`);
  }
  if (plan.messages.length) lines.push('');
  lines.push(colors.bold(statusLine(plan)));
  return `${lines.join('\n')}\n`;
}

export function renderPlanMarkdown(plan: ChangePlan, context: RenderContext): string {
  const lines: string[] = [`### kelviq-catalog plan: ${context.environment}`, '', `**${statusLine(plan)}**`, ''];
  const errors = plan.messages.filter((m) => m.severity === 'error');
  const warnings = plan.messages.filter((m) => m.severity === 'warning');
  // A message quotes identifiers, names and file names among our words: the whole message goes in a code span,
  // the only way to be sure none of it is read as Markdown.
  const message = (m: ChangePlan['messages'][number]) => `${m.location ? `${markdownCode(m.location)} ` : ''}${markdownCode(m.message)}`;
  if (errors.length) {
    lines.push('**Errors**', '');
    for (const error of errors) lines.push(`- :x: ${message(error)}`);
    lines.push('');
  }
  for (const group of groups(plan)) {
    const heading = group.plan === undefined ? group.heading : `${group.heading} ${markdownCode(group.plan)}`;
    lines.push(`#### ${heading}${group.note ? ` — ${group.note}` : ''}`, '', '```diff');
    // Inside the fenced block nothing is Markdown; every line starts with a marker, so none can close the fence,
    // and forTerminal keeps each title and detail to its one line.
    for (const action of group.actions) {
      const description = describeAction(action);
      const marker = description.symbol === '^' ? '!' : description.symbol === 'x' ? '-' : description.symbol;
      lines.push(`${marker} ${forTerminal(description.title)}`);
      for (const detail of description.details) lines.push(`${marker}     ${forTerminal(detail)}`);
    }
    lines.push('```', '');
  }
  lines.push(...pendingDraftLinesMarkdown(plan), ...impactLinesMarkdown(plan.impact, { publish: plan.decisions.publish }));
  if (warnings.length) {
    lines.push('<details><summary>Warnings (' + warnings.length + ')</summary>', '');
    for (const warning of warnings) lines.push(`- ${message(warning)}`);
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}

export interface PlanJsonDocument {
  formatVersion: number;
  environment: 'sandbox' | 'production';
  changes: boolean;
  summary: PlanSummary;
  actions: Array<Action & { description: string }>;
  drafts: ChangePlan['drafts'];
  pendingDrafts: ChangePlan['pendingDrafts'];
  warnings: ChangePlan['messages'];
  errors: ChangePlan['messages'];
  fingerprint?: string;
  impact?: ChangePlan['impact'];
}

export function planJsonDocument(plan: ChangePlan, context: RenderContext, fingerprint?: string): PlanJsonDocument {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    environment: context.environment,
    changes: plan.summary.total > 0,
    summary: plan.summary,
    actions: plan.actions.map((action) => ({ ...action, description: describeAction(action).title })),
    drafts: plan.drafts,
    pendingDrafts: plan.pendingDrafts,
    warnings: plan.messages.filter((m) => m.severity === 'warning'),
    errors: plan.messages.filter((m) => m.severity === 'error'),
    fingerprint,
    impact: plan.impact,
  };
}

export function renderApplyResultText(result: ApplyResult, color = false): string {
  const colors = pc.createColors(color);
  const lines: string[] = [];
  const title = (action: Action) => forTerminal(describeAction(action).title);
  for (const action of result.applied) lines.push(`  ${colors.green('done')}     ${title(action)}`);
  // The error quotes the server's message.
  for (const { action, error } of result.failed) lines.push(`  ${colors.red('FAILED')}   ${title(action)}\n           ${forTerminal(error.message)}`);
  for (const action of result.notAttempted) lines.push(`  ${colors.dim('skipped')}  ${title(action)}`);
  const seconds = (result.durationMs / 1000).toFixed(1);
  const head = result.failed.length || result.interrupted
    ? colors.red(
        `Apply ${result.interrupted ? 'interrupted' : 'failed'}: ${result.applied.length} applied, ${result.failed.length} failed, ${result.notAttempted.length} not attempted (${seconds}s). ${
          // Promised only when true: a refusal (an identifier held by an archived resource, a 4xx) repeats on a rerun.
          result.failed.every(({ error }) => rerunCanFix(error)) ? 'Running apply again converges.' : 'Running apply again will not fix the failure above; it needs a change first.'
        }`,
      )
    : colors.green(`Apply complete: ${result.applied.length} applied (${seconds}s).`);
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${colors.bold(head)}\n`;
}

export function applyResultJson(result: ApplyResult) {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    ok: result.failed.length === 0 && !result.interrupted,
    interrupted: result.interrupted,
    applied: result.applied.map((a) => ({ id: a.id, description: describeAction(a).title })),
    failed: result.failed.map(({ action, error }) => ({ id: action.id, description: describeAction(action).title, error: error.message })),
    notAttempted: result.notAttempted.map((a) => ({ id: a.id, description: describeAction(a).title })),
    durationMs: Math.round(result.durationMs),
  };
}
