/** The Kelviq API client: environment selection, typed catalog calls, errors, request counting. */
export { KelviqClient, RequestCounter, PAGE_SIZE, MAX_LIST_PAGES, type KelviqClientOptions, type VersionOption } from './kelviq-client.js';
export { resolveTarget, checkBaseUrl, isLoopbackHost, ENVIRONMENTS, type Target, type EnvironmentName } from './environment.js';
export {
  ConfigError,
  KelviqApiError,
  KelviqRequestError,
  InterruptedError,
  RetryAfterTooLongError,
  ListConsistencyError,
  NetworkError,
  ResponseShapeError,
  UnknownOutcomeError,
  extractServerMessage,
} from './errors.js';
export type { RequestEvent, TransportOptions, HttpMethod } from './transport.js';
export * from './wire.js';

import { KelviqClient, type KelviqClientOptions } from './kelviq-client.js';
import type { Target } from './environment.js';

/** A client for a resolved target (see `resolveTarget`). */
export function createClient(target: Target, options: Omit<KelviqClientOptions, 'baseUrl' | 'apiKey'> = {}): KelviqClient {
  return new KelviqClient({ ...options, baseUrl: target.baseUrl, apiKey: target.apiKey });
}
