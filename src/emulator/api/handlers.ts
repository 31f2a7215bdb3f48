/**
 * The route table as one Fetch handler, `(request: Request) => Promise<Response>`, on Node's own WHATWG
 * `Request`/`Response`: the emulator's HTTP server calls it, and so can anything that speaks Fetch (an msw
 * `http.all('*', ({ request }) => handle(request))` for msw's `setupServer`). No test framework is loaded at
 * run time: the `emulator` command ships in the product, msw does not.
 *
 * Around every route: bearer auth, JSON body parsing, and Django's answers for a path that is not a route (404,
 * checked first, exact and case-sensitive like Django's URL resolver, trailing slash required) and for a method
 * the path does not support (405, after auth).
 */
import type { CatalogStore } from '../model/store.js';
import { ApiError, detailError } from './errors.js';
import { API_BASE_PATH, ROUTES, matchRoute } from './routes.js';
import type { ApiRuntime, Reply, Route } from './route.js';

export interface HandlerOptions {
  store: CatalogStore;
  /** The accepted bearer token; read per request so it can change at runtime. */
  apiKey(): string;
  runtime: ApiRuntime;
  /** Applied to every route's answer before it is sent (the extra-fields mode); none by default. */
  transformReply?(route: Route, reply: Reply): Reply;
}

/** Answers one request; never rejects (an emulator bug is a 500 that says so). */
export type ApiHandler = (request: Request) => Promise<Response>;

/** What the API reads from a request, whatever carried it (a Fetch `Request` or node:http's IncomingMessage). */
export interface ApiRequest {
  method: string;
  /** The absolute request URL. */
  url: URL;
  /** Header values as a Fetch `Headers` would give them (repeats joined with ", "), null when absent. */
  authorization: string | null;
  contentType: string | null;
  /** The body decoded as UTF-8 (BOM stripped, as Fetch's `text()` does); '' for none. */
  bodyText: string;
}

/** An answer ready to send: the status, extra headers, and the JSON text (null for a 204). */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  json: string | null;
}

/**
 * The API as a plain function of the request. The emulator's node:http server calls it directly: building a
 * Fetch Request and Response (header objects, web streams, a body read through them) around every exchange was
 * most of the emulator's CPU per request, which a benchmark's client shares two cores with. The Fetch handler
 * below wraps the same function, so both give the same answers.
 */
export function createApiAnswerer(options: HandlerOptions): (request: ApiRequest) => ApiAnswer {
  const byRoute = new Map<string, Route>();
  for (const route of ROUTES) byRoute.set(`${route.method} ${route.template}`, route);

  return (request) => {
    const { url } = request;
    const match = url.pathname.startsWith(`${API_BASE_PATH}/`) ? matchRoute(url.pathname.slice(API_BASE_PATH.length)) : null;
    if (!match) return toAnswer({ status: 404, body: { detail: 'Not found.' } });
    try {
      const denied = authenticate(request.authorization, options.apiKey());
      if (denied) return errorAnswer(denied);
      const route = byRoute.get(`${request.method} ${match.template}`);
      if (!route) {
        return errorAnswer(detailError(405, `Method "${request.method}" not allowed.`, { allow: [...match.allowed, 'OPTIONS'].join(', ') }));
      }
      const body = parseJsonBody(request.bodyText, request.contentType);
      const reply = route.handle({ store: options.store, params: match.params, url, body, runtime: options.runtime });
      return toAnswer(options.transformReply ? options.transformReply(route, reply) : reply);
    } catch (error) {
      if (error instanceof ApiError) return errorAnswer(error);
      const message = error instanceof Error ? error.message : String(error);
      return toAnswer({ status: 500, body: { detail: 'A server error occurred.', emulatorError: message } });
    }
  };
}

export function createApiHandler(options: HandlerOptions): ApiHandler {
  const answer = createApiAnswerer(options);
  return async (request) => {
    const headers = request.headers;
    const answered = answer({
      method: request.method,
      url: new URL(request.url),
      authorization: headers.get('authorization'),
      contentType: headers.get('content-type'),
      bodyText: await request.text(),
    });
    if (answered.json === null) return new Response(null, { status: answered.status, headers: answered.headers });
    return new Response(answered.json, { status: answered.status, headers: { 'content-type': 'application/json', ...answered.headers } });
  };
}

/** DRF's answers for a missing and for a wrong token; null when the request may proceed. */
export function authenticate(header: string | null, apiKey: string): ApiError | null {
  const challenge = { 'www-authenticate': 'Bearer realm="api"' };
  const match = header?.match(/^Bearer\s+(.+)$/i);
  if (!match) return detailError(401, 'Authentication credentials were not provided.', challenge);
  return match[1]?.trim() === apiKey ? null : detailError(401, 'Invalid API key.', challenge);
}

function parseJsonBody(text: string, contentType: string | null): unknown {
  if (text.trim() === '') return undefined;
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '')) {
    throw detailError(415, `Unsupported media type "${contentType ?? ''}" in request.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw detailError(400, `JSON parse error - ${error instanceof Error ? error.message : String(error)}`);
  }
}

function toAnswer(reply: Reply, headers: Record<string, string> = {}): ApiAnswer {
  if (reply.status === 204) return { status: 204, headers, json: null };
  const json = JSON.stringify(reply.body);
  // What Response.json() refuses (a body that is not JSON): a bug in a route, not an answer.
  if (json === undefined) throw new TypeError('Value is not JSON serializable');
  return { status: reply.status, headers, json };
}

function errorAnswer(error: ApiError): ApiAnswer {
  return toAnswer({ status: error.status, body: error.body }, error.headers);
}
