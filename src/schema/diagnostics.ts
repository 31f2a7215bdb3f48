/**
 * Building, ordering and describing diagnostics. Every problem the loader finds becomes one `Diagnostic` (see
 * model.ts); nothing in the loader throws for bad input.
 */
import type { Diagnostic, Severity, SourceLocation } from './model.js';

export type RelatedLocation = SourceLocation & { message: string };

export function diagnostic(
  severity: Severity,
  code: string,
  message: string,
  at?: Partial<SourceLocation>,
  related?: RelatedLocation[],
): Diagnostic {
  const result: Diagnostic = { severity, code, message };
  if (at?.file !== undefined) result.file = at.file;
  if (at?.line !== undefined) result.line = at.line;
  if (at?.column !== undefined) result.column = at.column;
  if (related?.length) result.related = related;
  return result;
}

export const error = (code: string, message: string, at?: Partial<SourceLocation>, related?: RelatedLocation[]) =>
  diagnostic('error', code, message, at, related);
export const warning = (code: string, message: string, at?: Partial<SourceLocation>, related?: RelatedLocation[]) =>
  diagnostic('warning', code, message, at, related);

/**
 * Stable order for output: problems without a file first (they are about the catalog as a whole), then by the
 * order files were merged, then line and column. Stable, so diagnostics at one spot keep the order found.
 */
export function sortDiagnostics(diagnostics: Diagnostic[], files: string[]): Diagnostic[] {
  const fileRank = new Map(files.map((file, index) => [file, index]));
  const rank = (d: Diagnostic) => (d.file === undefined ? -1 : fileRank.get(d.file) ?? files.length);
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.index - b.index)
    .map(({ d }) => d);
}

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

/** `"abc"` for strings, the literal for other scalars, a word for collections: for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** `a, b or c` */
export function listWords(words: string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
