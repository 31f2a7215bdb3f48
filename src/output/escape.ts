/**
 * Escapers for the three places untrusted text (anything a server returned, a catalog file's keys and values,
 * file names) ends up, one per output, applied by that output's renderer at the point the text enters it:
 *
 * - a terminal: `forTerminal` shows control characters, bidi overrides and line breaks as visible escapes, so a
 *   name can neither drive the terminal (set its title, clear it) nor make text read in another order nor start
 *   a line of its own;
 * - Markdown (PR comments, step summaries, issues): `markdownCode` puts the text in an inline code span, the one
 *   Markdown construct whose content is never parsed: no heading, link, image, HTML or @mention can come from it;
 * - a CI log: `forCiLog` (applied by the CLI's output to every line it writes) makes sure no line starts a GitHub
 *   workflow command, and `jsonForCiLog` does the same for JSON without changing the data it carries.
 *
 * JSON output is data: its strings are the exact originals (JSON.stringify already escapes what JSON must).
 */

/** C0 and C1 controls (ESC, CSI U+009B, NEL, ...), DEL, bidi marks, embeddings, overrides and isolates, line and paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of plain text, safe to print: every control, bidi and line-break character shown as `\x1b`, `\u202e`, `\n`. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

export interface MarkdownCodeOptions {
  /** Inside a GFM table cell, where `|` ends the cell even within a code span unless written `\|`. */
  inTable?: boolean;
}

/**
 * Inline code holding `text` exactly (bar the escapes of `forTerminal`): the fence is one backtick longer than the
 * longest backtick run inside, so nothing inside can close it. Line breaks are escaped first because Markdown
 * reads block structure (a `# heading`, a `</details>` line) before it reads code spans.
 */
export function markdownCode(text: string, options: MarkdownCodeOptions = {}): string {
  let body = forTerminal(text);
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  if (body === '') return '` `';
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end when both ends have one; pad so that what is stripped is ours.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Text for a CI log. The GitHub runner reads a line as a workflow command when it starts with `::` after leading
 * whitespace (`::error::`, `::stop-commands::`, `::add-mask::`), and, for the legacy form, when `##[` appears
 * anywhere in it. kelviq-catalog never means to issue one, so the first `:` of such a line and the `#` of `##[`
 * are shown escaped.
 */
export function forCiLog(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*):(?=:)/, '$1\\x3a'))
    .join('\n')
    .replaceAll('##[', '#\\x23[');
}

/**
 * JSON for a CI log. A JSON line cannot start with `::` (strings never span lines), but a string may hold `##[`:
 * JSON's own `\u0023` escape keeps the document parsing to the exact original string.
 */
export function jsonForCiLog(json: string): string {
  return json.replaceAll('##[', '#\\u0023[');
}
