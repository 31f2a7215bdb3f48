/**
 * What a plan means for customers, in words: which plans stay unpublished (customers then see something other
 * than the catalog), and how many subscriptions a changed plan holds and what this run does to them. Shared by
 * the text and Markdown renderers of plan, apply and promote, which call in here.
 *
 * Identifiers are untrusted: text goes through `forTerminal`, Markdown puts them in code spans.
 */
import type pc from 'picocolors';
import { forTerminal, markdownCode } from '../output/escape.js';
import type { ChangePlan, PendingDraft } from './actions.js';
import { summaryLine } from './render.js';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * The plan's last line. "No changes" is said only when customers see the catalog: a draft that equals it but is
 * unpublished leaves customers on the published version (or, for a plan never published, on nothing).
 */
export function statusLine(plan: ChangePlan): string {
  const unpublished = plan.pendingDrafts.length;
  if (plan.summary.total > 0 || unpublished === 0) return summaryLine(plan.summary);
  return `No changes to write, but customers do not see the catalog yet: ${unpublished} plan(s) with an unpublished draft that equals it${
    plan.decisions.publish ? '' : ' (apply --publish publishes them)'
  }.`;
}

/** One pending draft in our words; `plan` is the caller's rendering of the identifier (escaped its own way). */
function pendingSentence(pending: PendingDraft, plan: string, publishFlag: boolean): string {
  const how = publishFlag ? '' : ` (apply --publish publishes it)`;
  const seen =
    pending.publishedVersion === null
      ? 'customers see no version of it: it was never published'
      : `customers still see published v${pending.publishedVersion}`;
  const what = pending.matchesCatalog ? `draft v${pending.version} equals the catalog but is unpublished` : `draft v${pending.version} stays unpublished after this run`;
  return `plan ${plan}: ${what}; ${seen}${how}`;
}

export function pendingDraftLinesText(plan: ChangePlan, colors: Colors): string[] {
  if (!plan.pendingDrafts.length) return [];
  const lines = plan.pendingDrafts.map((pending) => colors.dim(`  ${pendingSentence(pending, forTerminal(pending.plan), plan.decisions.publish)}`));
  return [...lines, ''];
}

export function pendingDraftLinesMarkdown(plan: ChangePlan): string[] {
  if (!plan.pendingDrafts.length) return [];
  return [
    '**Drafts left unpublished** (customers do not see them):',
    '',
    ...plan.pendingDrafts.map((pending) => `- ${pendingSentence(pending, markdownCode(pending.plan), plan.decisions.publish)}`),
    '',
  ];
}
