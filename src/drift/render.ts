/**
 * Renderings of a drift report: terminal text (colour optional), Markdown ready to post as a GitHub issue body or
 * step summary, and a versioned JSON document. All three are deterministic: the same report prints the same bytes
 * (no timestamps; the report is already sorted).
 *
 * Identifiers, values and locations are untrusted (live data, file names): text passes them through
 * `forTerminal` before colour is added; Markdown shows them only as code (spans, or the diff blocks).
 */
import pc from 'picocolors';
import { forTerminal, markdownCode } from '../output/escape.js';
import { fitToLimit, type Cuttable } from '../output/markdown-limit.js';
import { formatChange } from '../apply/describe.js';
import { impactLinesMarkdown, impactLinesText, publishCommandFor } from '../apply/render-impact.js';
import type { FieldChange } from '../diff/compare.js';
import { DRIFT_CATEGORIES, type DraftDrift, type DriftCategory, type DriftItem, type DriftReport, type DriftSummary } from './drift.js';

export const DRIFT_FORMAT_VERSION = 1;

export interface DriftRenderContext {
  /** Shown in the text heading. */
  baseUrl?: string;
  color?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

interface CategoryInfo {
  symbol: string;
  heading: string;
  /** Singular noun phrase for the summary line. */
  noun: string;
  meaning: string;
  paint: (colors: Colors, text: string) => string;
}

const CATEGORY: Record<DriftCategory, CategoryInfo> = {
  'changed-live': {
    symbol: '~',
    heading: 'Changed live',
    noun: 'changed live',
    meaning: 'live values customers see (published versions) differ from the catalog',
    paint: (colors, text) => colors.yellow(text),
  },
  'pending-draft': {
    symbol: '!',
    heading: 'Pending drafts',
    noun: 'pending draft',
    meaning: 'unpublished plan versions customers do not see yet',
    paint: (colors, text) => colors.cyan(text),
  },
  'missing-live': {
    symbol: '-',
    heading: 'Missing live',
    noun: 'missing live',
    meaning: 'declared in the catalog, absent in Kelviq',
    paint: (colors, text) => colors.red(text),
  },
  'unmanaged-live': {
    symbol: '?',
    heading: 'Unmanaged live',
    noun: 'unmanaged live',
    meaning: 'in Kelviq, not declared in the catalog',
    paint: (colors, text) => colors.magenta(text),
  },
};

export function driftSummaryLine(report: DriftReport): string {
  if (!report.drift) return `No drift. Kelviq ${report.environment} matches the catalog.`;
  const counts = DRIFT_CATEGORIES.map((category) => `${report.summary[category]} ${CATEGORY[category].noun}`);
  return `Drift found in Kelviq ${report.environment}: ${counts.join(', ')}.`;
}

function ignoredLine(report: DriftReport): string | undefined {
  if (!report.ignoredUnmanaged) return undefined;
  return `${report.ignoredUnmanaged} live resource(s) not in the catalog and not created by kelviq-catalog ignored (--ignore-unmanaged).`;
}

function draftTitle(draft: DraftDrift): string {
  return draft.publishedVersion === null
    ? `unpublished v${draft.version}, never published`
    : `draft v${draft.version} over published v${draft.publishedVersion} (customers see v${draft.publishedVersion})`;
}

function managedText(item: DriftItem): string {
  return item.managed
    ? 'managed: created by kelviq-catalog, since removed from the catalog'
    : 'not managed: created outside kelviq-catalog';
}

function itemsOf(report: DriftReport, category: DriftCategory): DriftItem[] {
  return report.items.filter((item) => item.category === category);
}

// ---------------------------------------------------------------------------------------------------------------
// text

export function renderDriftText(report: DriftReport, context: DriftRenderContext = {}): string {
  const colors = pc.createColors(context.color ?? false);
  const where = context.baseUrl ? ` (${forTerminal(context.baseUrl)})` : '';
  const lines: string[] = [colors.bold(`Kelviq ${report.environment}${where}: drift from the catalog (published versions)`), ''];
  for (const category of DRIFT_CATEGORIES) {
    const items = itemsOf(report, category);
    if (!items.length) continue;
    const info = CATEGORY[category];
    lines.push(`${colors.bold(`${info.heading} (${items.length})`)}${colors.dim(`  ${info.meaning}`)}`);
    for (const item of items) {
      const title = `${info.symbol} ${item.kind} ${forTerminal(item.identifier)}`;
      const location = item.location ? colors.dim(`  ${forTerminal(item.location)}`) : '';
      if (category === 'unmanaged-live') {
        lines.push(`  ${info.paint(colors, title)}  ${item.managed ? managedText(item) : colors.dim(managedText(item))}`);
      } else if (category === 'pending-draft' && item.draft) {
        const { draft } = item;
        lines.push(`  ${info.paint(colors, `${title}: ${draftTitle(draft)}`)}${location}`);
        if (draft.fromPublished) {
          lines.push(`      published v${draft.publishedVersion} -> draft v${draft.version}:`);
          pushChanges(lines, draft.fromPublished, '        ', 'no difference');
        }
        if (draft.matchesCatalog) {
          lines.push(`      v${draft.version} matches the catalog${colors.dim(` (${publishCommandFor(report)} publishes it)`)}`);
        } else {
          lines.push(`      catalog -> v${draft.version}:`);
          pushChanges(lines, item.changes, '        ');
        }
      } else {
        lines.push(`  ${info.paint(colors, title)}${location}`);
        if (category === 'changed-live') pushChanges(lines, item.changes, '      ');
      }
    }
    lines.push('');
  }
  if (report.items.some((item) => item.category === 'changed-live')) lines.push(colors.dim('Changes read catalog -> live.'), '');
  const ignored = ignoredLine(report);
  if (ignored) lines.push(colors.dim(ignored), '');
  for (const warning of report.warnings) lines.push(colors.yellow(`warning: ${forTerminal(warning)}`));
  if (report.warnings.length) lines.push('');
  lines.push(...impactLinesText(report.impact, colors, { drift: true, publishCommand: publishCommandFor(report) }));
  lines.push(colors.bold(driftSummaryLine(report)));
  return `${lines.join('\n')}\n`;
}

function pushChanges(lines: string[], changes: FieldChange[], indent: string, empty?: string): void {
  if (!changes.length && empty) lines.push(`${indent}${empty}`);
  for (const change of changes) lines.push(`${indent}${forTerminal(formatChange(change))}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/** What a cut drift issue calls itself, and where the full report is. */
const DRIFT_ISSUE = { document: 'issue', fullAt: 'The full report is in the job log (`kelviq-catalog drift`) and in `kelviq-catalog drift --json`.' };

/**
 * Room the CI workflow keeps for its own footer (a marker and a link to the run) under GitHub's 65,536 characters:
 * a report longer than this is cut by resource, with a note, instead of being truncated mid-block by the workflow.
 */
export const DRIFT_MARKDOWN_LIMIT = 60_000;

/** Title line (`## ...`), summary table, details per resource, how to fix. Ready for an issue body. */
export function renderDriftMarkdown(report: DriftReport, limit = DRIFT_MARKDOWN_LIMIT): string {
  const prod = report.environment === 'production' ? ' --prod' : '';
  const line = (text: string) => `${text}\n`;
  const head: string[] = [`## Kelviq catalog drift: ${report.environment}`, '', `**${driftSummaryLine(report)}**`, ''];
  if (report.drift) {
    head.push('| | Category | Count | Meaning |', '|---|---|--:|---|');
    for (const category of DRIFT_CATEGORIES) {
      const info = CATEGORY[category];
      head.push(`| \`${info.symbol}\` | ${info.heading} | ${report.summary[category]} | ${info.meaning} |`);
    }
    head.push('');
  }
  const ignored = ignoredLine(report);
  if (ignored) head.push(`_${ignored}_`, '');

  // In the order shown; `rank` is the order in which an issue too long for GitHub keeps them.
  const pieces: Array<string | Cuttable> = [
    {
      rank: 1,
      entries: report.warnings.map((warning) => line(`- ${markdownCode(warning)}`)),
      around: ['### Not compared\n\n', '\n'],
      leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} resource(s) not compared`,
    },
  ];
  DRIFT_CATEGORIES.forEach((category, index) => {
    const items = itemsOf(report, category);
    const heading = CATEGORY[category].heading;
    const leftOut = (kept: string[], all: string[]) => `${all.length - kept.length} of ${all.length} resource(s) under "${heading}"`;
    if (category === 'missing-live' || category === 'unmanaged-live') {
      const entries = items.map((item) => {
        const detail = category === 'missing-live' ? (item.location ? `declared at ${markdownCode(item.location)}` : 'declared in the catalog') : managedText(item);
        return line(`- ${item.kind} ${markdownCode(item.identifier)} — ${detail}`);
      });
      pieces.push({ rank: 2 + index, entries, around: [`### ${heading}\n\n`, '\n'], leftOut });
      return;
    }
    const entries = items.map((item) => {
      const lines: string[] = [];
      const draft = item.draft;
      lines.push(`#### ${item.kind} ${markdownCode(item.identifier)}${draft ? ` — ${draftTitle(draft)}` : ''}`, '');
      if (item.location) lines.push(`Declared at ${markdownCode(item.location)}.`, '');
      if (draft) {
        if (draft.fromPublished) {
          lines.push(`Published v${draft.publishedVersion} → draft v${draft.version}:`, '');
          pushCodeBlock(lines, draft.fromPublished, 'no difference');
        }
        if (draft.matchesCatalog) lines.push(`v${draft.version} matches the catalog: \`kelviq-catalog apply${prod} --publish\` publishes it.`, '');
        else {
          lines.push(`Catalog → v${draft.version}:`, '');
          pushCodeBlock(lines, item.changes);
        }
      } else {
        lines.push('Catalog → live:', '');
        pushCodeBlock(lines, item.changes);
      }
      return lines.map(line).join('');
    });
    pieces.push({ rank: 2 + index, entries, around: [`### ${heading}\n\n`, ''], leftOut });
  });
  pieces.push({
    rank: 0,
    entries: impactLinesMarkdown(report.impact, { drift: true, publishCommand: publishCommandFor(report) }).map(line),
    list: true,
    leftOut: (kept, all) => `${all.length - kept.length} of ${all.length} line(s) of customer impact`,
  });
  pieces.push(report.drift ? howToFix(report, prod).map(line).join('') : '');
  return fitToLimit(head.map(line).join(''), DRIFT_ISSUE, pieces, limit);
}

function pushCodeBlock(lines: string[], changes: FieldChange[], empty?: string): void {
  lines.push('```diff');
  if (!changes.length && empty) lines.push(empty);
  // Each line starts with its change marker (+, -, ~), so none can close the fence, and forTerminal keeps each
  // change to its one line.
  for (const change of changes) lines.push(forTerminal(formatChange(change)));
  lines.push('```', '');
}

function howToFix(report: DriftReport, prod: string): string[] {
  const has = (category: DriftCategory) => report.summary[category] > 0;
  const featureChanged = report.items.some((item) => item.category === 'changed-live' && item.kind === 'feature');
  const lines = ['### How to fix', ''];
  if (has('changed-live') || has('missing-live') || has('pending-draft')) {
    lines.push(
      `- **Make Kelviq match the catalog**: \`kelviq-catalog plan${prod}\` shows what would change, ` +
        `\`kelviq-catalog apply${prod} --publish\` applies it and publishes the plans it changes.`,
    );
    lines.push(
      `- **Keep what is live**: \`kelviq-catalog pull${prod}\` writes the live catalog as files; copy the changes you ` +
        'want into the catalog and merge them through a pull request.',
    );
  }
  if (featureChanged) {
    lines.push('- Features cannot be updated through the Kelviq API: for a changed feature, adopt the live values in the catalog, or archive it and declare a new identifier.');
  }
  if (has('pending-draft')) {
    lines.push('- **Pending drafts**: publish a draft that matches the catalog with `apply --publish`, or discard it in the Kelviq dashboard.');
  }
  if (has('unmanaged-live')) {
    lines.push(
      `- **Unmanaged live resources**: declare the ones to keep in the catalog (\`pull${prod}\` shows them as files); ` +
        `\`kelviq-catalog apply${prod} --prune\` archives the plans and features marked managed; ` +
        '`drift --ignore-unmanaged` stops reporting ones made by hand.',
    );
  }
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

export interface DriftJsonChange {
  path: string[];
  kind: FieldChange['kind'];
  before?: unknown;
  after?: unknown;
}

export interface DriftJsonItem {
  category: DriftCategory;
  kind: DriftItem['kind'];
  identifier: string;
  managed?: boolean;
  location?: string;
  changes: DriftJsonChange[];
  draft?: {
    version: number;
    publishedVersion: number | null;
    matchesCatalog: boolean;
    fromPublished: DriftJsonChange[] | null;
  };
}

export interface DriftJsonDocument {
  formatVersion: number;
  environment: DriftReport['environment'];
  drift: boolean;
  summary: DriftSummary;
  ignoredUnmanaged: number;
  items: DriftJsonItem[];
  /** Declared resources not compared: Kelviq holds values the catalog format cannot express. */
  warnings: string[];
  impact?: DriftReport['impact'];
}

export function driftJsonDocument(report: DriftReport): DriftJsonDocument {
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    environment: report.environment,
    drift: report.drift,
    summary: report.summary,
    ignoredUnmanaged: report.ignoredUnmanaged,
    warnings: report.warnings,
    ...(report.impact ? { impact: report.impact } : {}),
    items: report.items.map((item) => {
      const json: DriftJsonItem = {
        category: item.category,
        kind: item.kind,
        identifier: item.identifier,
        ...(item.managed !== undefined ? { managed: item.managed } : {}),
        ...(item.location !== undefined ? { location: item.location } : {}),
        changes: item.changes.map(jsonChange),
      };
      if (item.draft) {
        json.draft = {
          version: item.draft.version,
          publishedVersion: item.draft.publishedVersion,
          matchesCatalog: item.draft.matchesCatalog,
          fromPublished: item.draft.fromPublished ? item.draft.fromPublished.map(jsonChange) : null,
        };
      }
      return json;
    }),
  };
}

function jsonChange(change: FieldChange): DriftJsonChange {
  const json: DriftJsonChange = { path: change.path, kind: change.kind };
  if (change.kind !== 'add') json.before = change.before;
  if (change.kind !== 'remove') json.after = change.after;
  return json;
}
