/**
 * GitHub Actions annotations (`::error file=…,line=…,col=…::message`): the runner turns each such line of a
 * step's output into an annotation on the pull request's changed lines. These are workflow commands, the very
 * lines `forCiLog` keeps untrusted text from starting, so they are built only here, from structured fields, and
 * written only through `Output.annotate`, the one output path that skips that guard.
 *
 * Untrusted text (messages quote keys and values from catalog files, file names come from the checkout, names
 * from Kelviq) is escaped by GitHub's own rules (those of @actions/core): in the message `%`, CR and LF; in a
 * property also `:` and `,`. A value can then neither end the command early, nor add a property, nor start a
 * second command on a line of its own. Other control and bidi characters are shown as visible escapes, as on a
 * terminal. (`##[`, the legacy command form, needs nothing: a line that parses as a `::` command is read as that
 * command only.)
 */
import { forTerminal } from './escape.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/** A command's message (what follows the second `::`). */
export function escapeData(text: string): string {
  return forTerminal(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A command's property value (`file=`, `title=`): also `:` (which ends the properties) and `,` (which separates them). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow-command line, without its line break. */
export function formatAnnotation(annotation: Annotation): string {
  const properties: string[] = [];
  if (annotation.file !== undefined) properties.push(`file=${escapeProperty(annotation.file)}`);
  if (annotation.line !== undefined) properties.push(`line=${annotation.line}`);
  if (annotation.col !== undefined) properties.push(`col=${annotation.col}`);
  if (annotation.title !== undefined) properties.push(`title=${escapeProperty(annotation.title)}`);
  return `::${annotation.level}${properties.length ? ` ${properties.join(',')}` : ''}::${escapeData(annotation.message)}`;
}

/** `file:line:col` (as the engine's `locate` writes it) split back into an annotation's position. */
export function positionOf(location: string | undefined): Pick<Annotation, 'file' | 'line' | 'col'> {
  if (location === undefined) return {};
  const match = /^(.*):(\d+):(\d+)$/.exec(location);
  if (!match) return { file: location };
  return { file: match[1]!, line: Number(match[2]), col: Number(match[3]) };
}

/**
 * Whether a command annotates instead of printing plain diagnostics: inside GitHub Actions (`GITHUB_ACTIONS=true`,
 * which the runner sets) and when the stream is not a terminal, i.e. when a runner reads it.
 */
export function inGithubActions(env: Record<string, string | undefined>, stream: { isTTY?: boolean }): boolean {
  return env.GITHUB_ACTIONS === 'true' && !stream.isTTY;
}
