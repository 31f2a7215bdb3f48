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

export function createApiHandler(options: HandlerOptions): ApiHandler {
  const byRoute = new Map<string, Route>();
  for (const route of ROUTES) byRoute.set(`${route.method} ${route.template}`, route);

  return async (request) => {
    const url = new URL(request.url);
    const match = url.pathname.startsWith(`${API_BASE_PATH}/`) ? matchRoute(url.pathname.slice(API_BASE_PATH.length)) : null;
    if (!match) return toResponse({ status: 404, body: { detail: 'Not found.' } });
    try {
      const denied = authenticate(request.headers.get('authorization'), options.apiKey());
      if (denied) return errorResponse(denied);
      const route = byRoute.get(`${request.method} ${match.template}`);
      if (!route) {
        return errorResponse(detailError(405, `Method "${request.method}" not allowed.`, { allow: [...match.allowed, 'OPTIONS'].join(', ') }));
      }
      const body = await readJsonBody(request);
      const reply = route.handle({ store: options.store, params: match.params, url, body, runtime: options.runtime });
      return toResponse(options.transformReply ? options.transformReply(route, reply) : reply);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      const message = error instanceof Error ? error.message : String(error);
      return toResponse({ status: 500, body: { detail: 'A server error occurred.', emulatorError: message } });
    }
  };
}

/** DRF's answers for a missing and for a wrong token; null when the request may proceed. */
export function authenticate(header: string | null, apiKey: string): ApiError | null {
  const challenge = { 'www-authenticate': 'Bearer realm="api"' };
  const match = header?.match(/^Bearer\s+(.+)$/i);
  if (!match) return detailError(401, 'Authentication credentials were not provided.', challenge);
  return match[1]?.trim() === apiKey ? null : detailError(401, 'Invalid API key.', challenge);
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
    throw detailError(415, `Unsupported media type "${contentType}" in request.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw detailError(400, `JSON parse error - ${error instanceof Error ? error.message : String(error)}`);
  }
}

function toResponse(reply: Reply, headers: Record<string, string> = {}): Response {
  if (reply.status === 204) return new Response(null, { status: 204, headers });
  return Response.json(reply.body, { status: reply.status, headers });
}

function errorResponse(error: ApiError): Response {
  return toResponse({ status: error.status, body: error.body }, error.headers);
}
