/**
 * Diagnostics for people (compiler style, one line per problem, so editors and CI logs link to the spot):
 *
 *   plans/acme.yaml:12:5  error    unknown key "nmae" in plan "pro"; did you mean "name"?  [unknown-key]
 *       products.yaml:3:17  first declared here
 *
 * and for machines (`--json`): plain objects with a stable key order and no undefined fields.
 *
 * File names and messages (which quote keys and values from the files) pass through `forTerminal`: one line
 * each, no control or bidi character. The JSON keeps them as they are.
 */
import picocolors from 'picocolors';
import { forTerminal } from '../output/escape.js';
import type { Annotation } from '../output/github.js';
import type { Diagnostic, SourceLocation } from './model.js';

export interface FormatOptions {
  color?: boolean;
}

function place(location: Partial<SourceLocation>): string {
  if (location.file === undefined) return '<catalog>';
  const file = forTerminal(location.file);
  if (location.line === undefined) return file;
  return `${file}:${location.line}:${location.column ?? 1}`;
}

export function formatDiagnostic(diagnostic: Diagnostic, options: FormatOptions = {}): string {
  const colors = picocolors.createColors(options.color ?? false);
  const severity = diagnostic.severity === 'error' ? colors.red('error  ') : colors.yellow('warning');
  const lines = [`${colors.bold(place(diagnostic))}  ${severity}  ${forTerminal(diagnostic.message)}  ${colors.dim(`[${diagnostic.code}]`)}`];
  for (const related of diagnostic.related ?? []) lines.push(`    ${place(related)}  ${colors.dim(forTerminal(related.message))}`);
  return lines.join('\n');
}

/** All diagnostics, one per line (plus related lines), ending with a newline; empty string for none. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  return diagnostics.map((d) => `${formatDiagnostic(d, options)}\n`).join('');
}

export interface DiagnosticJson {
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  related?: Array<{ file: string; line: number; column: number; message: string }>;
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  const out: DiagnosticJson = { severity: d.severity, code: d.code, message: d.message };
  if (d.file !== undefined) out.file = d.file;
  if (d.line !== undefined) out.line = d.line;
  if (d.column !== undefined) out.column = d.column;
  if (d.related?.length) out.related = d.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message }));
  return out;
}

export const diagnosticsToJson = (diagnostics: readonly Diagnostic[]) => diagnostics.map(diagnosticToJson);

/**
 * A diagnostic as a GitHub annotation, on the line it is about. Related locations ("first declared here") go in
 * the message, one per line: an annotation has one position. Escaping is the annotation writer's.
 */
export function diagnosticToAnnotation(d: Diagnostic): Annotation {
  const related = (d.related ?? []).map((r) => `\n${r.file}:${r.line}:${r.column}: ${r.message}`).join('');
  const annotation: Annotation = { level: d.severity, message: `${d.message}${related}`, title: `kelviq-catalog: ${d.code}` };
  if (d.file !== undefined) annotation.file = d.file;
  if (d.line !== undefined) annotation.line = d.line;
  if (d.column !== undefined) annotation.col = d.column;
  return annotation;
}
