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
import { impactLinesMarkdown, impactLinesText, pendingDraftLinesMarkdown, pendingDraftLinesText, publishCommandFor, statusLine } from './render-impact.js';
import type { PricingMatrix } from './matrix.js';
import { renderMatrixMarkdown, renderMatrixText } from './render-matrix.js';
import { wrapLine } from './wrap.js';
import type { ApplyResult } from './run.js';
import { policyMarkdownParts, policyLinesText } from '../policy/render.js';
import { fitToLimit, MARKDOWN_LIMIT } from '../output/markdown-limit.js';

export const JSON_FORMAT_VERSION = 1;

export interface RenderContext {
  environment: 'sandbox' | 'production';
  baseUrl: string;
  color?: boolean;
  /**
   * The pricing matrix (`pricingMatrix`), when the caller computed it: Markdown and JSON show it whenever it is
   * given; the text output shows it when given (the CLI passes it there only with `--matrix`).
   */
  matrix?: PricingMatrix;
  /** The command this plan is for, named where the output says how to publish (default apply). */
  command?: 'apply' | 'promote';
}

/** Text and diff lines wrap here: long values continue on the next line instead of being cut. */
const WRAP_WIDTH = 110;

export { MARKDOWN_LIMIT };

/**
 * Collapsing in Markdown: a section whose diff block is longer than COLLAPSE_LINES, so one big plan does not bury
 * the others; and every section when all the blocks together exceed LONG_PLAN_LINES, so a long plan reads as a
 * list of headings (each with its draft note) to open one by one, below the matrix.
 */
const COLLAPSE_LINES = 30;
const LONG_PLAN_LINES = 150;

/** A detail line's own marker (`+ price …` inside a changed price set), when it has one. */
function ownMarker(detail: string): { symbol?: Symbol; text: string } {
  const match = /^([+\-!]) (.*)$/s.exec(detail);
  if (!match) return { text: detail };
  return { symbol: match[1] === '!' ? '~' : (match[1] as Symbol), text: match[2] ?? '' };
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
      for (const detail of description.details) {
        // A line with its own marker shows the text output's symbol for it (`~` changed, as on action lines).
        const own = ownMarker(detail);
        const shown = own.symbol ? `${own.symbol} ${own.text}` : detail;
        for (const line of wrapLine(`      ${forTerminal(shown)}`, WRAP_WIDTH)) lines.push(own.symbol ? paint(colors, own.symbol, line) : line);
      }
    }
    lines.push('');
  }
  if (context.matrix?.products.length) lines.push(...renderMatrixText(context.matrix, colors));
  const publishCommand = publishCommandFor(context);
  lines.push(...pendingDraftLinesText(plan, colors, publishCommand), ...impactLinesText(plan.impact, colors, { publish: plan.decisions.publish, publishCommand }));
  // Next to the verdict, where a CI log is read: the policy's violations, what was waived, what was not evaluated.
  lines.push(...policyLinesText(plan.policy, colors));
  for (const message of plan.messages) {
    const label = message.severity === 'error' ? colors.red('error') : colors.yellow('warning');
    lines.push(`${message.location ? `${forTerminal(message.location)}  ` : ''}${label}  ${forTerminal(message.message)}`);
  }
  if (plan.messages.length) lines.push('');
  lines.push(colors.bold(statusLine(plan, publishCommand)));
  return `${lines.join('\n')}\n`;
}

/** What a cut plan comment calls itself, and where the full plan is. */
const PLAN_COMMENT = {
  document: 'comment',
  fullAt: 'The full plan is in the job log (`kelviq-catalog plan --matrix`) and in `kelviq-catalog plan --json`.',
};

export function renderPlanMarkdown(plan: ChangePlan, context: RenderContext): string {
  const publishCommand = publishCommandFor(context);
  const title = `### kelviq-catalog plan: ${context.environment}\n\n**${statusLine(plan, publishCommand)}**\n\n`;
  // The policy comes first, right under the verdict: what breaks the team's rules, what was waived and by whom.
  const policy = policyMarkdownParts(plan.policy);
  const errors = plan.messages.filter((m) => m.severity === 'error');
  const warnings = plan.messages.filter((m) => m.severity === 'warning');
  // A message quotes identifiers, names and file names among our words: the whole message goes in a code span,
  // the only way to be sure none of it is read as Markdown.
  const message = (m: ChangePlan['messages'][number]) => `${m.location ? `${markdownCode(m.location)} ` : ''}${markdownCode(m.message)}`;
  // The matrix comes before the actions: it is what a reviewer of a pricing change reads first.
  const matrix = context.matrix?.products.length ? renderMatrixMarkdown(context.matrix) : [];
  const blocks = groups(plan).map((group) => ({ group, block: diffBlock(group) }));
  const long = blocks.reduce((total, { block }) => total + block.length, 0) > LONG_PLAN_LINES;
  const sections = blocks.map(({ group, block }) => groupMarkdown(group, block, long || block.length > COLLAPSE_LINES));
  const line = (text: string) => `${text}\n`;
  const listed = (lines: string[]) => lines.filter((text) => text.startsWith('- ')).length;
  // In the order shown; `rank` is the order in which a comment too long for GitHub keeps them.
  return fitToLimit(title, PLAN_COMMENT, [
    policy.head.map(line).join(''),
    { rank: 0, entries: policy.findings.map(line), around: ['', '\n'], leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} policy finding(s)` },
    { rank: 1, entries: errors.map((m) => line(`- :x: ${message(m)}`)), around: ['**Errors**\n\n', '\n'], leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} error(s)` },
    // What customers see and who is on the changed plans come right after the summary, and go before the matrix.
    { rank: 3, entries: impactLinesMarkdown(plan.impact, { publish: plan.decisions.publish, publishCommand }).map(line), list: true, leftOut: (kept, all) => `the customer impact of ${listed(all) - listed(kept)} of ${listed(all)} plan(s)` },
    { rank: 5, entries: pendingDraftLinesMarkdown(plan, publishCommand).map(line), list: true, leftOut: (kept, all) => `${listed(all) - listed(kept)} of ${listed(all)} unpublished draft(s)` },
    { rank: 4, entries: matrix, leftOut: (kept, all) => `the pricing matrix of ${all.length - kept.length} of ${all.length} product(s)` },
    { rank: 6, entries: sections, leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} section(s) of changes` },
    {
      rank: 2,
      entries: warnings.map((m) => line(`- ${message(m)}`)),
      around: [`<details><summary>Warnings (${warnings.length})</summary>\n\n`, '\n</details>\n\n'],
      leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} warning(s)`,
    },
  ]);
}

/**
 * One group as Markdown: a heading, then its `diff` block, collapsed under our own words when asked.
 */
function groupMarkdown(group: Group, block: string[], collapse: boolean): string {
  const heading = group.plan === undefined ? group.heading : `${group.heading} ${markdownCode(group.plan)}`;
  const lines = [`#### ${heading}${group.note ? ` — ${group.note}` : ''}`, ''];
  // The summary holds our words only: Markdown inside an HTML block is not parsed, so no identifier goes there.
  if (collapse) lines.push(`<details><summary>${group.actions.length} change(s), ${block.length} lines</summary>`, '');
  lines.push('```diff', ...block, '```', '');
  if (collapse) lines.push('</details>', '');
  return `${lines.join('\n')}\n`;
}

/**
 * The lines of a group's diff block, each starting with a marker GitHub colours: `+` added, `-` removed, `!`
 * changed (GitHub leaves a `~` line uncoloured).
 */
function diffBlock(group: Group): string[] {
  const block: string[] = [];
  // Inside the fenced block nothing is Markdown; every line starts with a marker, so none can close the fence,
  // and forTerminal keeps each title and detail to its one line.
  for (const action of group.actions) {
    const description = describeAction(action);
    block.push(`${diffMarker(description.symbol)} ${forTerminal(description.title)}`);
    for (const detail of description.details) {
      const own = ownMarker(detail);
      const marker = diffMarker(own.symbol ?? description.symbol);
      for (const line of wrapLine(`    ${forTerminal(own.text)}`, WRAP_WIDTH)) block.push(`${marker} ${line}`);
    }
  }
  return block;
}

function diffMarker(symbol: Symbol): string {
  if (symbol === '~' || symbol === '^') return '!';
  return symbol === 'x' ? '-' : symbol;
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
  /** Subscriptions on each changed published plan and what the run does to them. */
  impact?: ChangePlan['impact'];
  /** The pricing matrix, when computed (`plan --json` always has it). */
  matrix?: PricingMatrix;
  /** The catalog's policy checked against the plan: `{ violations, waived, notEvaluated, … }`, when it has one. */
  policy?: ChangePlan['policy'];
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
    ...(plan.policy ? { policy: plan.policy } : {}),
    ...(context.matrix ? { matrix: context.matrix } : {}),
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
