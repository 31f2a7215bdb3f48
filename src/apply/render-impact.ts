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
import type { CustomerImpact, PlanImpact, SubscriptionNumbers } from './impact.js';
import { summaryLine } from './render.js';
import { wrapLine } from './wrap.js';

/** The text output's width, as the rest of the plan (render.ts): a long sentence wraps, never runs on. */
const WRAP_WIDTH = 110;

type Colors = ReturnType<typeof pc.createColors>;

/** What publishes a sandbox plan's drafts, and the default of the renderers here. */
const APPLY_PUBLISH = 'apply --publish';

/**
 * The plan's last line. "No changes" is said only when customers see the catalog: a draft that equals it but is
 * unpublished leaves customers on the published version (or, for a plan never published, on nothing).
 */
export function statusLine(plan: ChangePlan, publishCommand = APPLY_PUBLISH): string {
  const unpublished = plan.pendingDrafts.length;
  const errors = plan.messages.filter((message) => message.severity === 'error').length;
  // An error (a feature that differs and cannot be updated, a live value the format cannot hold) is a difference
  // or an unknown the plan cannot write: "Kelviq matches the catalog" would be false.
  if (plan.summary.total === 0 && errors > 0) return `No changes to write, but the plan has ${errors} error(s) (above): Kelviq may not match the catalog.`;
  const leftAsIs = plan.messages.filter((message) => message.leftAsIs).length;
  if (plan.summary.total === 0 && leftAsIs > 0) return `No changes to write, but ${leftAsIs} warning(s) (above) leave Kelviq as it is: it may not match the catalog.`;
  if (plan.summary.total > 0 || unpublished === 0) return summaryLine(plan.summary);
  return `No changes to write, but customers do not see the catalog yet: ${unpublished} plan(s) with an unpublished draft that equals it${
    plan.decisions.publish ? '' : ` (${publishCommand} publishes them)`
  }.`;
}

/**
 * The command that publishes what a plan leaves unpublished, as a user would type it: promote's own for a
 * promotion (apply would apply the catalog, to the sandbox), and with --prod for a production plan.
 */
export function publishCommandFor(context: { environment: 'sandbox' | 'production'; command?: 'apply' | 'promote' }): string {
  if (context.command === 'promote') return 'promote --publish';
  return context.environment === 'production' ? 'apply --prod --publish' : APPLY_PUBLISH;
}


/** One pending draft in our words; `plan` is the caller's rendering of the identifier (escaped its own way). */
function pendingSentence(pending: PendingDraft, plan: string, publishFlag: boolean, publishCommand: string): string {
  const how = publishFlag ? '' : ` (${publishCommand} publishes it)`;
  const seen =
    pending.publishedVersion === null
      ? 'customers see no version of it: it was never published'
      : `customers still see published v${pending.publishedVersion}`;
  const what = pending.matchesCatalog ? `draft v${pending.version} equals the catalog but is unpublished` : `draft v${pending.version} stays unpublished after this run`;
  return `plan ${plan}: ${what}; ${seen}${how}`;
}

export function pendingDraftLinesText(plan: ChangePlan, colors: Colors, publishCommand = APPLY_PUBLISH): string[] {
  if (!plan.pendingDrafts.length) return [];
  const lines = plan.pendingDrafts.flatMap((pending) =>
    wrapLine(`  ${pendingSentence(pending, forTerminal(pending.plan), plan.decisions.publish, publishCommand)}`, WRAP_WIDTH).map((line) => colors.dim(line)),
  );
  return [...lines, ''];
}

export function pendingDraftLinesMarkdown(plan: ChangePlan, publishCommand = APPLY_PUBLISH): string[] {
  if (!plan.pendingDrafts.length) return [];
  return [
    '**Drafts left unpublished** (customers do not see them):',
    '',
    ...plan.pendingDrafts.map((pending) => `- ${pendingSentence(pending, markdownCode(pending.plan), plan.decisions.publish, publishCommand)}`),
    '',
  ];
}

// ---- customer impact

function count(numbers: SubscriptionNumbers | null): string {
  if (!numbers) return 'an unknown number of subscriptions';
  const parts = numbers.total ? ` (${numbers.active} active, ${numbers.trialing} trialing)` : '';
  return `${numbers.total} subscription(s)${parts}`;
}

function whatMoves(impact: PlanImpact): string {
  return impact.migrates.features && impact.migrates.pricing ? 'entitlements and pricing' : impact.migrates.features ? 'entitlements' : 'pricing';
}

/** The sentence for one plan, in our words only (the identifier is rendered by the caller). */
export function impactSentence(impact: PlanImpact, publishFlag: boolean, publishCommand = APPLY_PUBLISH): string {
  const on = `${count(impact.subscriptions)} on published v${impact.publishedVersion}`;
  const existing = impact.subscriptions ? `the ${impact.subscriptions.total} existing` : 'existing ones';
  switch (impact.effect) {
    case 'none':
      return on;
    case 'none-until-publish':
      return `${on}; nothing changes for them until the draft is published${publishFlag ? '' : ` (${publishCommand})`}`;
    case 'new-customers-only':
      return `${on}; on publish, new customers get the new version and ${existing} stay on v${impact.publishedVersion} (--migrate-features / --migrate-pricing would move them)`;
    case 'archived':
      return `${on}; archiving hides it from new customers, and ${existing} keep their subscriptions`;
    case 'existing-migrated':
      return `${on}; on publish, new customers get the new version and ${existing} move to its ${whatMoves(impact)}`;
  }
}

function impactHeading(drift: boolean): string {
  return `${drift ? 'Customers on the reported plans' : 'Customers on the published plans this run changes'} (active and trialing subscriptions)`;
}

export function impactLinesText(
  impact: CustomerImpact | undefined,
  colors: Colors,
  options: { publish?: boolean; drift?: boolean; publishCommand?: string } = {},
): string[] {
  if (!impact?.plans.length) return [];
  const unknown = impact.known ? '' : `: unknown, ${forTerminal(impact.reason ?? 'not read')}`;
  const lines = wrapLine(`${impactHeading(options.drift ?? false)}${unknown}`, WRAP_WIDTH).map((line) => colors.bold(line));
  for (const plan of impact.plans) lines.push(...wrapLine(`  plan ${forTerminal(plan.plan)}: ${impactSentence(plan, options.publish ?? false, options.publishCommand)}`, WRAP_WIDTH));
  return [...lines, ''];
}

export function impactLinesMarkdown(impact: CustomerImpact | undefined, options: { publish?: boolean; drift?: boolean; publishCommand?: string } = {}): string[] {
  if (!impact?.plans.length) return [];
  // The reason may quote a server's message: inside a code span, like every other untrusted text here.
  const unknown = impact.known ? '' : `: unknown, ${markdownCode(impact.reason ?? 'not read')}`;
  const lines = [`**${impactHeading(options.drift ?? false)}**${unknown}`, ''];
  for (const plan of impact.plans) lines.push(`- plan ${markdownCode(plan.plan)}: ${impactSentence(plan, options.publish ?? false, options.publishCommand)}`);
  return [...lines, ''];
}
