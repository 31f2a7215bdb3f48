/**
 * One HTTP exchange policy for every Kelviq call: a keep-alive undici pool per origin (through the proxy that
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY name, if any), a per-request timeout,
 * size-limited bodies, retries with exponential backoff and full jitter, Retry-After honoured, and a retry policy
 * that depends on whether replaying the request is safe.
 *
 * Why the policy matters: Kelviq has no idempotency keys. A create that timed out may have happened, so a
 * non-idempotent request is retried only when the server provably did not process it (429, connection refused);
 * every other failure of such a request surfaces as UnknownOutcomeError for the engine to resolve by reading.
 */
import { EnvHttpProxyAgent, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { isLoopbackHost } from './environment.js';
import { ConfigError } from './errors.js';
import { AdaptiveLimiter, sleep } from './limiter.js';
import {
  InterruptedError,
  KelviqApiError,
  NetworkError,
  RetryAfterTooLongError,
  ResponseShapeError,
  UnknownOutcomeError,
  extractServerMessage,
  type RequestDescription,
} from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestEvent {
  method: HttpMethod;
  /** Path below the base URL, with query. */
  path: string;
  /** The endpoint's path template, e.g. `/catalog/plans/{identifier}/prices/`: stable for counting. */
  template: string;
  attempt: number;
  /** The JSON body sent, if any (bodies never hold credentials: the key travels only in a header). */
  body?: unknown;
  status?: number;
  /** Set when the attempt failed without a status (network error, timeout). */
  error?: string;
  durationMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  /** Most requests in flight at once. Default 8. */
  concurrency?: number;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request including the first. Default 6. */
  maxAttempts?: number;
  /** First backoff step; doubles each retry, capped at `maxBackoffMs`. Default 250 ms. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Largest response body accepted. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Longest Retry-After honoured; a server asking for more fails the request. Default 60 s. */
  maxWaitMs?: number;
  /** Called once per attempt, after it ends. Must not throw. */
  onRequest?: (event: RequestEvent) => void;
  userAgent?: string;
  /**
   * Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms, which win, as with curl) are read.
   * Default `process.env`.
   */
  proxyEnv?: Record<string, string | undefined>;
}

export interface CallOptions {
  method: HttpMethod;
  /** Path below the base URL, starting with `/` and ending with `/` (plus optional query). */
  path: string;
  template: string;
  body?: unknown;
  /**
   * Replaying the request leaves the same state as sending it once (GET, PATCH with absolute values, DELETE,
   * prices bulk replace). Such requests are retried on gateway errors and network failures.
   */
  idempotent: boolean;
  /**
   * Statuses that mean "already done" when they answer a retry that followed an ambiguous failure (a DELETE
   * whose first attempt committed before the connection dropped answers 404 the second time).
   */
  doneOnRetryStatuses?: number[];
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/**
 * The connection pool for the target: a plain keep-alive pool, or undici's EnvHttpProxyAgent (one keep-alive
 * pool per origin behind it, and NO_PROXY honoured) when a proxy variable applies to the target's scheme.
 *
 * A loopback target never goes through a proxy, whatever the variables say (Go's net/http does the same): a
 * proxy elsewhere cannot reach this machine's loopback, and plain http, which is accepted only for loopback,
 * would show the proxy the Authorization header in clear text. An https target reaches the proxy only as a
 * CONNECT tunnel: the proxy sees the host name and port, then TLS; the key travels inside the TLS session.
 */
function dispatcherFor(url: URL, poolOptions: Pool.Options, env: Record<string, string | undefined>): Dispatcher {
  const variable = (name: string) => {
    const value = (env[name.toLowerCase()] ?? env[name])?.trim();
    return value ? { name, value } : undefined;
  };
  const httpProxy = variable('HTTP_PROXY');
  const httpsProxy = variable('HTTPS_PROXY');
  const proxy = url.protocol === 'https:' ? (httpsProxy ?? httpProxy) : httpProxy;
  if (!proxy || isLoopbackHost(url.hostname)) return new Pool(url.origin, poolOptions);
  for (const { name, value } of [httpProxy, httpsProxy].filter((entry) => entry !== undefined)) {
    // Named, never quoted: a proxy URL can carry a password.
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new ConfigError(`${name} is not an http:// or https:// URL.`);
  }
  // Empty strings rather than undefined: undici would otherwise read process.env, not the environment given.
  return new EnvHttpProxyAgent({ ...poolOptions, httpProxy: httpProxy?.value ?? '', httpsProxy: httpsProxy?.value ?? '', noProxy: variable('NO_PROXY')?.value ?? '' });
}

/**
 * One timer for every attempt's overall deadline. undici's headersTimeout and bodyTimeout only bound silences
 * (a body trickling a byte every few seconds never trips bodyTimeout), so each attempt also has a hard cap. An
 * `AbortSignal.timeout()` per attempt did that at a cost: a timer per request kept alive (and the signal, its
 * listeners and the request they reference retained) for the whole 30 s after the answer came, on 1,000 reads
 * a plan makes in 2.5 s. Every attempt here has the same timeout, so deadlines arrive in the order attempts
 * start: a Map in insertion order is a queue sorted by deadline, and a single timer armed for its head serves
 * them all. A finished attempt just leaves the Map; the timer, when it fires, aborts what is due and re-arms for
 * the next head.
 */
class Deadlines {
  private readonly pending = new Map<AbortController, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  /** A signal aborted with a TimeoutError (as AbortSignal.timeout's) once `timeoutMs` has passed. */
  start(): AbortController {
    const controller = new AbortController();
    const deadline = performance.now() + this.timeoutMs;
    this.pending.set(controller, deadline);
    if (this.timer === undefined) this.arm(deadline);
    return controller;
  }

  finish(controller: AbortController): void {
    this.pending.delete(controller);
    if (this.pending.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private arm(deadline: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, deadline - performance.now()));
    // Like AbortSignal.timeout: the deadline never keeps the process alive by itself (the socket does).
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (const [controller, deadline] of this.pending) {
      // Timers may fire a hair early relative to performance.now(); 1 ms of slack avoids a re-arm for nothing.
      if (deadline > now + 1) return this.arm(deadline);
      this.pending.delete(controller);
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }
  }
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
/** Errors where the request provably never reached the server: safe to retry whatever the method. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class Transport {
  readonly baseUrl: string;
  readonly limiter: AdaptiveLimiter;
  private readonly pool: Dispatcher;
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly authorization: () => string;
  /** Aborted by `interrupt()`: ends every wait (rate-limit pause, backoff) at once. */
  private readonly interruption = new AbortController();
  private readonly deadlines: Deadlines;
  private readonly options: Required<Omit<TransportOptions, 'onRequest' | 'apiKey' | 'baseUrl' | 'userAgent' | 'proxyEnv'>> &
    Pick<TransportOptions, 'onRequest' | 'userAgent'>;

  constructor(options: TransportOptions) {
    const url = new URL(options.baseUrl);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    const concurrency = options.concurrency ?? 8;
    this.options = {
      concurrency,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 6,
      baseBackoffMs: options.baseBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 8_000,
      maxResponseBytes: options.maxResponseBytes ?? 32 * 1024 * 1024,
      maxWaitMs: options.maxWaitMs ?? 60_000,
      onRequest: options.onRequest,
      userAgent: options.userAgent,
    };
    this.limiter = new AdaptiveLimiter(concurrency);
    this.deadlines = new Deadlines(this.options.timeoutMs);
    // Every request names the configured origin: requests can never be sent elsewhere, and redirects are not
    // followed, so the Authorization header cannot reach another host.
    this.origin = url.origin;
    this.pool = dispatcherFor(url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 10_000 }, options.proxyEnv ?? process.env);
    // The key lives only in this closure: it is not a property, so no inspect/JSON of the transport shows it.
    const key = options.apiKey;
    this.authorization = () => `Bearer ${key}`;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * Ends every wait now and from now on: a request pausing for a rate limit or backing off before a retry fails
   * with InterruptedError instead of sleeping on (SIGINT/SIGTERM must not wait out a Retry-After). Requests
   * already on the wire are left to finish.
   */
  interrupt(): void {
    this.interruption.abort();
  }

  /** Sends one logical request (with retries) inside a concurrency slot. */
  async call(options: CallOptions): Promise<RawResponse> {
    try {
      return await this.limiter.run(() => this.withRetries(options), this.interruption.signal);
    } catch (error) {
      if (this.interruption.signal.aborted && error === this.interruption.signal.reason) {
        throw new InterruptedError({ method: options.method, path: options.path });
      }
      throw error;
    }
  }

  private wait(ms: number): Promise<void> {
    return sleep(ms, this.interruption.signal);
  }

  private async withRetries(call: CallOptions): Promise<RawResponse> {
    const request: RequestDescription = { method: call.method, path: call.path };
    let ambiguousFailureSeen = false;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt += 1) {
      await this.limiter.waitForPause(this.interruption.signal);
      const outcome = await this.attempt(call, attempt);
      if (outcome.kind === 'response') {
        const { status } = outcome;
        if (status >= 200 && status < 300) {
          this.limiter.onSuccess();
          return { status, body: outcome.body };
        }
        if (ambiguousFailureSeen && call.doneOnRetryStatuses?.includes(status)) {
          return { status, body: undefined };
        }
        const error = new KelviqApiError(request, status, outcome.message, outcome.retryAfterMs && outcome.retryAfterMs / 1000);
        if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.options.maxWaitMs && (status === 429 || (RETRYABLE_STATUSES.has(status) && call.idempotent))) {
          throw new RetryAfterTooLongError(request, status, outcome.retryAfter ?? '', this.options.maxWaitMs);
        }
        if (status === 429) {
          // The server refused before doing anything: safe to retry any method.
          const wait = Math.max(outcome.retryAfterMs ?? 0, this.backoff(attempt));
          this.limiter.onRateLimited(wait);
          lastError = error;
          continue;
        }
        if (RETRYABLE_STATUSES.has(status)) {
          if (!call.idempotent) throw new UnknownOutcomeError(request, error);
          ambiguousFailureSeen = true;
          lastError = error;
          await this.wait(Math.max(outcome.retryAfterMs ?? 0, this.backoff(attempt)));
          continue;
        }
        throw error;
      }
      // No response at all.
      const code = (outcome.error as { code?: string }).code;
      const notSent = code !== undefined && NOT_SENT_CODES.has(code);
      if (!notSent) {
        if (!call.idempotent) throw new UnknownOutcomeError(request, outcome.error);
        ambiguousFailureSeen = true;
      }
      lastError = outcome.error;
      await this.wait(this.backoff(attempt));
    }
    if (lastError instanceof KelviqApiError) throw lastError;
    throw new NetworkError(request, lastError, this.options.maxAttempts);
  }

  /** Full jitter: a random wait in [0, min(cap, base * 2^(attempt-1))]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * ceiling);
  }

  private async attempt(
    call: CallOptions,
    attempt: number,
  ): Promise<
    | { kind: 'response'; status: number; body: unknown; message: string; retryAfterMs?: number; retryAfter?: string }
    | { kind: 'error'; error: unknown }
  > {
    const started = performance.now();
    const event: RequestEvent = { method: call.method, path: call.path, template: call.template, attempt, body: call.body, durationMs: 0 };
    const deadline = this.deadlines.start();
    try {
      const headers: Record<string, string> = {
        authorization: this.authorization(),
        accept: 'application/json',
        'user-agent': this.options.userAgent ?? 'kelviq-catalog',
      };
      let body: string | undefined;
      if (call.body !== undefined) {
        body = JSON.stringify(call.body);
        headers['content-type'] = 'application/json';
      }
      const response = await this.pool.request({
        origin: this.origin,
        method: call.method,
        path: this.pathPrefix + call.path,
        headers,
        body,
        signal: deadline.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const text = await readLimited(response.body, headerValue(response.headers['content-length']), this.options.maxResponseBytes);
      const status = response.statusCode;
      event.status = status;
      const contentType = headerValue(response.headers['content-type']);
      if (status >= 300 && status < 400) {
        // Never followed: a redirect could carry the Authorization header to another host.
        const location = headerValue(response.headers.location) ?? '(no location)';
        return { kind: 'response', status, body: undefined, message: `unexpected redirect to ${location}; not followed` };
      }
      if (status >= 200 && status < 300) {
        return { kind: 'response', status, body: parseSuccessBody(text, call), message: '' };
      }
      return {
        kind: 'response',
        status,
        body: undefined,
        message: extractServerMessage(text, contentType),
        retryAfterMs: parseRetryAfter(headerValue(response.headers['retry-after'])),
        retryAfter: headerValue(response.headers['retry-after']),
      };
    } catch (error) {
      if (error instanceof ResponseShapeError) throw error;
      if ((error as { code?: string }).code === 'RESPONSE_TOO_LARGE') {
        throw new ResponseShapeError({ method: call.method, path: call.path }, (error as Error).message);
      }
      event.error = (error as Error).message;
      return { kind: 'error', error };
    } finally {
      this.deadlines.finish(deadline);
      event.durationMs = performance.now() - started;
      this.options.onRequest?.(event);
    }
  }
}

function parseSuccessBody(text: string, call: CallOptions): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ResponseShapeError({ method: call.method, path: call.path }, 'the body is not JSON');
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], contentLength: string | undefined, maxBytes: number): Promise<string> {
  // A declared length within the limit lets undici read the body in one go (the common case, and the fast one);
  // otherwise the body is counted chunk by chunk and cut off at the limit.
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (Number.isFinite(declared) && declared <= maxBytes) return body.text();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      body.destroy();
      throw Object.assign(new Error(`response body larger than ${maxBytes} bytes; refused`), { code: 'RESPONSE_TOO_LARGE' });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
