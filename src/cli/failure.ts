/**
 * How a command fails, for people and for machines. A person reads `error  <message>` on stderr; a CI step that
 * pipes `--json` into `jq` needs a JSON document on stdout whatever happened (an empty stdout makes `jq` fail
 * with a parse error that hides the real one). Every `--json` command therefore ends with exactly one document
 * on stdout: its own (a plan, a drift report, an apply result, which carry an `error` member when they fail), or,
 * when it failed before it had one, `{ formatVersion, error: { code, message, ... } }`.
 */
import type { Output } from './io.js';
import type { Outcome } from './outcome.js';

/** The `formatVersion` of error documents: the same as every other `--json` document of this tool. */
export const ERROR_FORMAT_VERSION = 1;

/** A refusal or failure a command names itself, with a stable code for machines. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(
    readonly code: string,
    message: string,
    /** Extra members of the JSON `error` object (e.g. `diagnostics`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export interface ErrorDocument {
  formatVersion: number;
  error: ErrorBody;
}

/**
 * Runs a command so that it fails the same way everywhere: an error it throws is said on stderr and, with
 * `--json`, as an error document on stdout (exit 1). A command that returns a failure without having printed a
 * JSON document (a refusal already explained on stderr) still gets one, so stdout is never empty.
 */
export async function runCommand(json: boolean | undefined, output: Output, command: (output: Output) => Promise<Outcome>): Promise<Outcome> {
  if (!json) return command(output);
  let printed = false;
  // The same Output (streams, colour, redaction) with `json` noting that a document went out.
  const tracked: Output = Object.create(output, {
    json: {
      value: (value: unknown) => {
        printed = true;
        output.json(value);
      },
    },
  }) as Output;
  try {
    const outcome = await command(tracked);
    if (outcome.kind === 'error' && !printed) {
      output.json({ formatVersion: ERROR_FORMAT_VERSION, error: { code: 'failed', message: 'the command failed; stderr says why' } });
    }
    return outcome;
  } catch (error) {
    // A document already printed is the answer (an apply result, say); a second one would break `jq`. The
    // classification reaches the client's error classes, so it is loaded only on this path.
    if (!printed) output.json((await import('./error-document.js')).errorDocument(error));
    // The caller says it on stderr (as text, or as a GitHub annotation) and exits 1.
    throw error;
  }
}

