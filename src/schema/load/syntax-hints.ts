/**
 * The place to fix for the YAML syntax errors people make most, and what to do there. The parser reports
 * where it noticed, which is often elsewhere: an over-indented key is noticed on the value of the line above
 * (YAML reads the two lines as one text), a missing space after `-` or `:` at the end of the line. These
 * patterns look at the text around the reported position; when none fits, the parser's own report stands.
 */
import type { YAMLError } from 'yaml';

export interface SyntaxHint {
  offset: number;
  message: string;
}

function lineAround(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  return { start, end: newline === -1 ? text.length : newline };
}

const firstNonSpace = (text: string, from: number) => {
  let at = from;
  while (text[at] === ' ') at++;
  return at;
};

export function syntaxHint(text: string, problem: YAMLError): SyntaxHint | undefined {
  const offset = problem.pos[0];
  const { start, end } = lineAround(text, offset);
  const line = text.slice(start, end);

  if (problem.code === 'MISSING_CHAR' && /without - indicator/.test(problem.message)) {
    return {
      offset: firstNonSpace(text, start),
      message: 'YAML syntax: this line is indented less than the keys above it; give it the same indentation as the keys next to it',
    };
  }
  if (problem.code !== 'BLOCK_AS_IMPLICIT_KEY' && problem.code !== 'MULTILINE_IMPLICIT_KEY') return undefined;

  const dash = /^(\s*)-[^\s-]/.exec(line);
  if (dash) {
    return { offset: start + dash[1]!.length, message: 'YAML syntax: a list item needs a space after "-" (write "- key: value")' };
  }
  // `key:value`: without a space after the colon it is one long text, and the next line's key runs into it.
  const cramped = /^[^\s#:][^#:]*?:(?=[^\s:])/.exec(text.slice(offset, end));
  if (cramped && problem.code === 'MULTILINE_IMPLICIT_KEY') {
    return { offset: offset + cramped[0].length - 1, message: 'YAML syntax: a key needs a space after its colon (write "key: value")' };
  }
  const isValue = /:\s+$/.test(text.slice(start, offset));
  // `identifier pro`: no colon, so YAML joins the line with the next one looking for it.
  if (problem.code === 'MULTILINE_IMPLICIT_KEY' && !isValue && !text.slice(offset, end).includes(':')) {
    return { offset, message: 'YAML syntax: this line has no colon, so it is not a "key: value" pair; add the colon (write "key: value")' };
  }
  // `key: value` followed by a line indented deeper: YAML reads the value and that line as one text, which then
  // cannot be a key. The line to fix is the deeper one.
  const nextColon = text.slice(offset).search(/:(\s|$)/);
  if (isValue && nextColon !== -1 && text.slice(offset, offset + nextColon).includes('\n')) {
    const continuation = firstNonSpace(text, end + 1);
    return {
      offset: continuation,
      message: 'YAML syntax: this line is indented deeper than the key above it, so it reads as the rest of that value; indent it like the keys next to it',
    };
  }
  return undefined;
}
