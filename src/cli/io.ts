/**
 * Where the CLI writes, and the guarantees that come with it: every byte passes a redactor that replaces any
 * Kelviq key known to this process with `***` (defence in depth: no code path is meant to print a key, and
 * this makes sure none can), and colour only when the stream is a terminal and nobody said no.
 */
import { appendFile } from 'node:fs/promises';
import { ENVIRONMENTS } from '../client/environment.js';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export class Output {
  private readonly secrets: string[];

  constructor(
    readonly streams: Streams,
    private readonly colorFlag: boolean,
  ) {
    this.secrets = Object.values(ENVIRONMENTS)
      .map((environment) => streams.env[environment.keyVariable]?.trim())
      .filter((secret): secret is string => !!secret && secret.length >= 4);
  }

  /** Colour for stdout: not with --no-color, not with NO_COLOR set, not when stdout is not a terminal. */
  get color(): boolean {
    if (!this.colorFlag || this.streams.env.NO_COLOR !== undefined) return false;
    return Boolean(this.streams.stdout.isTTY) || Boolean(this.streams.env.FORCE_COLOR);
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
    this.streams.stdout.write(this.redact(text));
  }

  err(text: string): void {
    this.streams.stderr.write(this.redact(text));
  }

  json(value: unknown): void {
    this.out(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/**
 * Appends Markdown to the GitHub Actions step summary when `GITHUB_STEP_SUMMARY` is set (in the CLI's streams'
 * environment); redacted like everything else this process writes.
 */
export async function appendStepSummary(output: Output, markdown: string): Promise<void> {
  const file = output.streams.env.GITHUB_STEP_SUMMARY;
  if (file) await appendFile(file, output.redact(markdown));
}
