/**
 * Wrapping long lines instead of cutting them: a value that does not fit continues on the next line, indented
 * under the first, so every character of an amount, URL or metadata value stays in the output.
 */

/** `text` as lines of at most `width` characters (a word longer than that is split), continuations indented. */
export function wrapLine(text: string, width: number, continuation = '    '): string[] {
  if (text.length <= width) return [text];
  const indent = /^\s*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let rest = text;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const room = Math.max(8, width - prefix.length);
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= indent.length) cut = room;
    lines.push(prefix + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent + continuation;
  }
  if (rest.length) lines.push(prefix + rest);
  return lines;
}
