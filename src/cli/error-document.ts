/**
 * The JSON error document of a failed `--json` command: a stable code and the facts a script may act on (an HTTP
 * status, the request). Loaded only when a command fails: it reaches the client's and the engine's error classes.
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
import { CatalogTargetError } from '../schema/index.js';
import { CommandFailure, ERROR_FORMAT_VERSION, type ErrorBody, type ErrorDocument } from './failure.js';
import { describeError } from './options.js';

/** A stable code and the facts a script may act on (an HTTP status, the request) for any error. */
export function errorBody(error: unknown): ErrorBody {
  const message = describeError(error);
  if (error instanceof CommandFailure) return { code: error.code, message, ...error.details };
  if (error instanceof ConfigError) return { code: 'config', message };
  if (error instanceof StalePlanError) return { code: 'plan-refused', message };
  if (error instanceof CatalogTargetError) return { code: 'target-refused', message };
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

