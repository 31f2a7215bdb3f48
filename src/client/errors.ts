/**
 * Typed errors of the client. Every message names what was attempted (method, path) and what the server said;
 * none ever carries a header, so the API key cannot leak through an error.
 */

/** Bad local configuration (missing key, bad base URL). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface RequestDescription {
  method: string;
  /** Path below the base URL, with query, e.g. `/catalog/plans/pro/?version=2`. */
  path: string;
}

/** A failure of one request: every message starts with what was attempted (method and path). */
export abstract class KelviqRequestError extends Error {
  readonly method: string;
  readonly path: string;

  constructor(request: RequestDescription, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.method = request.method;
    this.path = request.path;
  }
}

const HINTS: Record<number, string> = {
  401: 'check the API key: a sandbox key is rejected by production and a production key by the sandbox (KELVIQ_SANDBOX_SERVER_API_KEY / KELVIQ_SERVER_API_KEY, --prod).',
  // What a 403 means is not documented (NOTES.md lists the status, the spec gives none for the catalog): the hint
  // says where to look without claiming the key is valid.
  403: 'Kelviq refused this request for this key; check that it is the server key of the organization and environment you meant, and that it may change the catalog.',
  428: 'the billing provider is not connected for this organization; connect it in the Kelviq dashboard before publishing.',
  429: 'rate limited by Kelviq; the client retried with backoff. Lower --concurrency or retry later.',
};

function hintFor(status: number, request: RequestDescription): string | undefined {
  if (status === 400 && request.method === 'POST' && /\/publish\/$/.test(request.path.split('?')[0] ?? '')) {
    return 'Kelviq refuses to publish a plan without a price, with a PAID price missing for a required currency (the product\'s currency), or when nothing is pending.';
  }
  if (status >= 500) return 'a server-side failure; running the same command again is safe and converges.';
  return HINTS[status];
}

/** The server answered with a non-success status. */
export class KelviqApiError extends KelviqRequestError {
  override name = 'KelviqApiError';
  readonly status: number;
  /** The server's own message, extracted from whichever error shape it used. */
  readonly serverMessage: string;
  readonly hint: string | undefined;
  /** Seconds from a Retry-After header, when one was sent. */
  readonly retryAfterSeconds: number | undefined;

  constructor(request: RequestDescription, status: number, serverMessage: string, retryAfterSeconds?: number) {
    const hint = hintFor(status, request);
    super(request, `${request.method} ${request.path} failed with ${status}: ${serverMessage}${hint ? ` (hint: ${hint})` : ''}`);
    this.status = status;
    this.serverMessage = serverMessage;
    this.hint = hint;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A request whose effect is unknown: a non-idempotent write (create, add entitlements, publish) that timed out,
 * lost its connection or got a gateway error. It may or may not have happened; the engine must look before it
 * tries again. Never retried blindly by the client.
 */
export class UnknownOutcomeError extends KelviqRequestError {
  override name = 'UnknownOutcomeError';

  constructor(request: RequestDescription, cause: unknown) {
    super(
      request,
      `${request.method} ${request.path}: outcome unknown (${describeCause(cause)}); the write may or may not have been applied, so it was not retried blindly.`,
      { cause },
    );
  }
}

/**
 * The server asked for a wait longer than the client accepts (Retry-After beyond the cap). Waiting a day in
 * silence looks like a hang; failing names what the server said so a person can decide.
 */
export class RetryAfterTooLongError extends KelviqRequestError {
  override name = 'RetryAfterTooLongError';
  readonly status: number;

  constructor(request: RequestDescription, status: number, retryAfter: string, capMs: number) {
    super(
      request,
      `${request.method} ${request.path} failed with ${status}: the server asked to wait "Retry-After: ${retryAfter}", longer than the ${Math.round(capMs / 1000)} s kelviq-catalog waits; try again later.`,
    );
    this.status = status;
  }
}

/** A request given up because the run was interrupted (SIGINT/SIGTERM) while it waited to be sent or retried. */
export class InterruptedError extends KelviqRequestError {
  override name = 'InterruptedError';

  constructor(request: RequestDescription) {
    super(request, `${request.method} ${request.path}: not sent, the run was interrupted while it waited.`);
  }
}

/** A transport failure (connection refused, reset, timeout) after all retries of a request that is safe to retry. */
export class NetworkError extends KelviqRequestError {
  override name = 'NetworkError';

  constructor(request: RequestDescription, cause: unknown, attempts: number) {
    super(request, `${request.method} ${request.path} failed after ${attempts} attempt(s): ${describeCause(cause)}`, { cause });
  }
}

/**
 * A paginated list whose pages do not add up: `count` disagrees with what arrived, a page ends the list before
 * `count` says it should, or `next` goes on past the page cap. The list is refused rather than used partially.
 */
export class ListConsistencyError extends KelviqRequestError {
  override name = 'ListConsistencyError';

  constructor(request: RequestDescription, detail: string) {
    super(request, `${request.method} ${request.path}: inconsistent list: ${detail}; the list was not used (a server whose pages do not add up cannot be trusted to be complete).`);
  }
}

/** The server answered 2xx with a body that does not have the documented shape. */
export class ResponseShapeError extends KelviqRequestError {
  override name = 'ResponseShapeError';

  constructor(request: RequestDescription, detail: string) {
    super(request, `${request.method} ${request.path}: unexpected response shape: ${detail}`);
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof KelviqApiError) return `status ${cause.status}: ${cause.serverMessage}`;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    if (cause.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return 'timed out';
    }
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/**
 * Pulls a readable message out of an error body. Kelviq answers `{"detail": ...}`, `{"status", "message"}`,
 * DRF field errors `{"field": ["msg"]}`, and proxies in front of it answer HTML pages.
 */
export function extractServerMessage(body: string, contentType: string | undefined): string {
  const text = body.trim();
  if (!text) return '(empty body)';
  if (contentType?.includes('html') || /^<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    const heading = /<h1>([^<]*)<\/h1>/i.exec(text)?.[1]?.trim();
    return `HTML error page${title || heading ? `: ${title || heading}` : ''} (likely from a proxy or load balancer)`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return truncate(text, 300);
  }
  return truncate(messageFromJson(parsed), 600);
}

function messageFromJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(messageFromJson).join('; ');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.detail === 'string') return record.detail;
    if (typeof record.message === 'string') {
      return typeof record.status === 'string' && record.status !== record.message
        ? `${record.message} (${record.status})`
        : record.message;
    }
    if (typeof record.error === 'string') return record.error;
    const parts = Object.entries(record).map(([field, messages]) => `${field}: ${messageFromJson(messages)}`);
    if (parts.length) return parts.join('; ');
  }
  return JSON.stringify(value);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
