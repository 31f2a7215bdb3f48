/**
 * Where the CLI writes, and the guarantees that come with it: every byte passes a redactor that replaces any
 * Kelviq key known to this process with `***` (defence in depth: no code path is meant to print a key, and
 * this makes sure none can), every line is made safe for a CI log (stdout and stderr are one, in a workflow),
 * and colour only when the stream is a terminal and nobody said no.
 *
 * Redaction is for what is shown, never for data: plan files, pulled files and request bodies are written
 * as they are (a product named like a short key keeps its name); that a key never enters them is their own
 * writers' guarantee.
 */
import { appendFile } from 'node:fs/promises';
import { ENVIRONMENTS } from '../client/environment.js';
import { describeError } from './options.js';
import { forCiLog, forTerminal, jsonForCiLog } from '../output/escape.js';
import { formatAnnotation, inGithubActions, type Annotation } from '../output/github.js';
import { Progress } from './progress.js';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export class Output {
  /** The Kelviq keys this process knows (from its environment), to keep out of output and pulled files. */
  readonly secrets: readonly string[];
  /** Heartbeat and per-action lines on stderr when it is not a terminal (CI logs). */
  readonly progress: Progress;

  constructor(
    readonly streams: Streams,
    private readonly colorFlag: boolean,
  ) {
    this.secrets = Object.values(ENVIRONMENTS)
      .map((environment) => streams.env[environment.keyVariable]?.trim())
      .filter((secret): secret is string => !!secret && secret.length >= 4);
    this.progress = Progress.forStreams((line) => this.err(line), streams.stderr, streams.env);
  }

  /**
   * Colour for stdout: not with --no-color, NO_COLOR set, or FORCE_COLOR=0/false (the convention of
   * supports-color and Node: 0 forces colour off, even on a terminal); otherwise on a terminal, or when
   * FORCE_COLOR asks for it.
   */
  get color(): boolean {
    if (!this.colorFlag || this.streams.env.NO_COLOR !== undefined) return false;
    const force = this.streams.env.FORCE_COLOR;
    if (force !== undefined && /^(0|false)$/i.test(force.trim())) return false;
    return Boolean(this.streams.stdout.isTTY) || force !== undefined;
  }

  get interactive(): boolean {
    return Boolean(this.streams.stdin.isTTY && this.streams.stdout.isTTY);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('***');
    return result;
  }

  out(text: string): void {
    this.streams.stdout.write(forCiLog(this.redact(text)));
  }

  err(text: string): void {
    this.streams.stderr.write(forCiLog(this.redact(text)));
  }

  json(value: unknown): void {
    this.out(jsonForCiLog(`${JSON.stringify(value, null, 2)}\n`));
  }

  /**
   * GitHub annotations, one line each. The only writer that does not pass `forCiLog`, whose purpose is to stop
   * lines that start a workflow command: these lines are commands on purpose, built by `formatAnnotation` from
   * fields it escapes, never from a caller's text. Keys are redacted in every field before the line is built.
   */
  annotate(stream: 'stdout' | 'stderr', annotations: readonly Annotation[]): void {
    for (const annotation of annotations) {
      const redacted: Annotation = { ...annotation, message: this.redact(annotation.message) };
      if (annotation.file !== undefined) redacted.file = this.redact(annotation.file);
      if (annotation.title !== undefined) redacted.title = this.redact(annotation.title);
      this.streams[stream].write(`${this.redact(formatAnnotation(redacted))}\n`);
    }
  }

  /** Whether problems written to `stream` should be GitHub annotations (in Actions, not on a terminal). */
  githubAnnotations(stream: 'stdout' | 'stderr'): boolean {
    return inGithubActions(this.streams.env, this.streams[stream]);
  }

  /** `warning  <message>` on stderr; the message may quote untrusted text (a server's, a file name). */
  warn(message: string): void {
    this.err(`warning  ${forTerminal(message)}\n`);
  }
}

/**
 * Appends Markdown to the GitHub Actions step summary when `GITHUB_STEP_SUMMARY` is set (in the CLI's streams'
 * environment); redacted like everything else this process shows. The summary is a courtesy: when it cannot be
 * written the command says so on stderr and its outcome (and exit code) stays what the plan or drift decided.
 */
export async function appendStepSummary(output: Output, markdown: string): Promise<void> {
  const file = output.streams.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, output.redact(markdown));
  } catch (error) {
    output.warn(`could not append to the step summary (GITHUB_STEP_SUMMARY=${file}): ${describeError(error)}`);
  }
}
