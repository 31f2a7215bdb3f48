/**
 * GitHub refuses a comment or an issue body over 65,536 characters: a plan comment or a drift issue that would
 * pass it is cut here, part by part, with a note that says what was left out. Nothing is cut mid-entry, so a code
 * block or a collapsible section is never left open.
 */

/** GitHub's limit on a comment or an issue body, in characters. */
export const MARKDOWN_LIMIT = 65_536;

/** How the note names the document and where the whole of it is. */
export interface CutNote {
  /** `comment`, `issue`. */
  document: string;
  /** A sentence saying where the full content is. */
  fullAt: string;
}

/** A part of a comment that may be cut for size, entry by entry from its last one. */
export interface Cuttable {
  /** The order in which parts keep their entries when the whole does not fit (0 first). */
  rank: number;
  entries: string[];
  /** Shown before and after the entries when the part has any (a heading, a collapsible wrapper). */
  around?: [string, string];
  /** A list of lines: one cut short ends with a blank line, so it does not run into what follows. */
  list?: boolean;
  /** How the note names what was left out. */
  leftOut(kept: string[], all: string[]): string;
}

/**
 * A Markdown document (a PR comment, an issue body) as a whole, under GitHub's 65,536-character limit (or
 * `limit`). The title and the fixed pieces always stay; then what fits is kept part by part in `rank` order (the
 * order a reader needs them), each part from its start. A note, placed before the last piece, says how much of
 * each part was left out and where the full document is.
 */
export function fitToLimit(title: string, what: CutNote, pieces: Array<string | Cuttable>, limit = MARKDOWN_LIMIT): string {
  const wrap = (part: Cuttable, entries: string[]) =>
    entries.length || (part.entries.length && part.around)
      ? `${part.entries.length ? (part.around?.[0] ?? '') : ''}${entries.join('')}${part.list && entries.length < part.entries.length && entries.length ? '\n' : ''}${part.entries.length ? (part.around?.[1] ?? '') : ''}`
      : '';
  const render = (kept: Map<Cuttable, string[]>) => pieces.map((piece) => (typeof piece === 'string' ? piece : wrap(piece, kept.get(piece) ?? piece.entries))).join('');
  const whole = title + render(new Map());
  if (whole.length <= limit) return whole;

  const cuttable = pieces.filter((piece): piece is Cuttable => typeof piece !== 'string');
  // Room for what always stays (the fixed pieces, each part's heading and wrapper) and for the note.
  const fixed = title.length + pieces.reduce((total, piece) => total + (typeof piece === 'string' ? piece.length : wrap(piece, []).length + 1), 0);
  let room = limit - fixed - 600;
  const kept = new Map<Cuttable, string[]>();
  for (const part of [...cuttable].sort((a, b) => a.rank - b.rank)) {
    const entries: string[] = [];
    for (const entry of part.entries) {
      if (entry.length > room) break;
      entries.push(entry);
      room -= entry.length;
    }
    kept.set(part, entries);
  }
  const left = cuttable
    .filter((part) => kept.get(part)!.length < part.entries.length)
    .map((part) => part.leftOut(kept.get(part)!, part.entries));
  const listed = left.length > 1 ? `${left.slice(0, -1).join(', ')} and ${left[left.length - 1]}` : left.join('');
  const note = `> **${listed} left out** to keep this ${what.document} under GitHub's ${MARKDOWN_LIMIT.toLocaleString('en-US')}-character limit. ${what.fullAt}\n\n`;
  // The note goes before the warnings, where the sections of changes end.
  const last = pieces[pieces.length - 1];
  const body = render(kept);
  const tail = typeof last === 'string' ? last : wrap(last!, kept.get(last!)!);
  return title + body.slice(0, body.length - tail.length) + note + tail;
}

