/**
 * How a command fails, for people and for machines. A person reads `error  <message>` on stderr; a CI step that
 * pipes `--json` into `jq` needs a JSON document on stdout whatever happened (an empty stdout makes `jq` fail
 * with a parse error that hides the real one). Every `--json` command therefore ends with exactly one document
 * on stdout: its own (a plan, a drift report, an apply result, which carry an `error` member when they fail), or,
 * when it failed before it had one, `{ formatVersion, error: { code, message, ... } }`.
 */
import {
  ConfigError,
  InterruptedError,
  KelviqApiError,
  KelviqRequestError,
  ListConsistencyError,
  NetworkError,
  ResponseShapeError,
  RetryAfterTooLongError,
  UnknownOutcomeError,
} from '../client/index.js';
import { StalePlanError } from '../apply/index.js';
import { forTerminal } from '../output/escape.js';
import type { Output } from './io.js';
import { failure, type Outcome } from './outcome.js';
import { describeError } from './shared.js';

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

/** A stable code and the facts a script may act on (an HTTP status, the request) for any error. */
export function errorBody(error: unknown): ErrorBody {
  const message = describeError(error);
  if (error instanceof CommandFailure) return { code: error.code, message, ...error.details };
  if (error instanceof ConfigError) return { code: 'config', message };
  if (error instanceof StalePlanError) return { code: 'plan-refused', message };
  if (error instanceof KelviqRequestError) {
    const request = { method: error.method, path: error.path };
    if (error instanceof KelviqApiError) return { code: 'api', message, status: error.status, request };
    if (error instanceof RetryAfterTooLongError) return { code: 'rate-limited', message, status: error.status, request };
    if (error instanceof NetworkError) return { code: 'network', message, request };
    if (error instanceof UnknownOutcomeError) return { code: 'unknown-outcome', message, request };
    if (error instanceof InterruptedError) return { code: 'interrupted', message, request };
    if (error instanceof ListConsistencyError || error instanceof ResponseShapeError) return { code: 'bad-response', message, request };
    return { code: 'request', message, request };
  }
  return { code: 'internal', message };
}

export function errorDocument(error: unknown): ErrorDocument {
  return { formatVersion: ERROR_FORMAT_VERSION, error: errorBody(error) };
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
      output.json(errorDocument(new CommandFailure('failed', 'the command failed; stderr says why')));
    }
    return outcome;
  } catch (error) {
    output.err(`error  ${forTerminal(describeError(error))}\n`);
    // A document already printed is the answer (an apply result, say); a second one would break `jq`.
    if (!printed) output.json(errorDocument(error));
    return failure;
  }
}
