/**
 * The route table as msw 2 request handlers, usable with `getResponse` (the emulator's HTTP server) or with
 * msw's own `setupServer`. Around every route: bearer auth, JSON body parsing, and Django's answers for a method
 * the path does not support (405) and for a path that is not a route (404). The 404 check comes first and is
 * exact, because msw's matcher is case-insensitive (`/CATALOG/products/` would match) and Django's is not; it
 * also answers paths without their trailing slash, which under `setupServer` would otherwise pass through.
 */
import { HttpResponse, http, type HttpHandler } from 'msw';
import type { CatalogStore } from '../model/store.js';
import { ApiError, detailError } from './errors.js';
import { API_BASE_PATH, ROUTES, matchTemplate } from './routes.js';
import type { ApiRuntime, HttpMethod, Reply, Route } from './route.js';

export interface HandlerOptions {
  store: CatalogStore;
  /** The accepted bearer token; read per request so it can change at runtime. */
  apiKey(): string;
  runtime: ApiRuntime;
  /** Applied to every route's answer before it is sent (the extra-fields mode); none by default. */
  transformReply?(route: Route, reply: Reply): Reply;
}

const METHOD_HANDLER = { GET: http.get, POST: http.post, PATCH: http.patch, DELETE: http.delete } as const;

/** Any origin, so the handlers work for whatever host and port the server listens on. */
const mswPath = (template: string) => `*${API_BASE_PATH}${template.replace(/\{([^}]+)\}/g, ':$1')}`;
const ANY_API_PATH = `*${API_BASE_PATH}/*`;

export function createHandlers(options: HandlerOptions): HttpHandler[] {
  return createHandlerIndex(options).all;
}

export interface HandlerIndex {
  /** Every handler, in the order msw must try them. */
  all: HttpHandler[];
  /**
   * The handlers that can answer a request for this method and path template (in the same order), so a server
   * need not have msw match the path of every handler on every request: that matching was the emulator's
   * largest cost under load. An unknown template gets every handler.
   */
  select(method: string, template: string | null): HttpHandler[];
}

export function createHandlerIndex(options: HandlerOptions): HandlerIndex {
  const guard = http.all(ANY_API_PATH, ({ request }) => {
      const path = new URL(request.url).pathname;
      const known = path.startsWith(`${API_BASE_PATH}/`) && matchTemplate(path.slice(API_BASE_PATH.length)) !== null;
      // Returning nothing hands the request on to the route handlers below.
      return known ? undefined : toResponse({ status: 404, body: { detail: 'Not found.' } });
    });
  const handlers: HttpHandler[] = [guard];
  const byRoute = new Map<string, HttpHandler>();
  for (const route of ROUTES) {
    const handler = METHOD_HANDLER[route.method](mswPath(route.template), resolverFor(route, options));
    handlers.push(handler);
    byRoute.set(`${route.method} ${route.template}`, handler);
  }
  const notAllowedByTemplate = new Map<string, HttpHandler>();
  const allowedByTemplate = new Map<string, HttpMethod[]>();
  for (const route of ROUTES) allowedByTemplate.set(route.template, [...(allowedByTemplate.get(route.template) ?? []), route.method]);
  for (const [template, allowed] of allowedByTemplate) {
    const notAllowed = http.all(mswPath(template), ({ request }) => {
      const denied = authenticate(request.headers.get('authorization'), options.apiKey());
      if (denied) return errorResponse(denied);
      const error = detailError(405, `Method "${request.method}" not allowed.`, { allow: [...allowed, 'OPTIONS'].join(', ') });
      return errorResponse(error);
    });
    handlers.push(notAllowed);
    notAllowedByTemplate.set(template, notAllowed);
  }
  const selections = new Map<string, HttpHandler[]>();
  return {
    all: handlers,
    select(method, template) {
      if (template === null) return handlers;
      const key = `${method} ${template}`;
      let selection = selections.get(key);
      if (!selection) {
        selection = [guard, byRoute.get(key), notAllowedByTemplate.get(template)].filter((h): h is HttpHandler => h !== undefined);
        selections.set(key, selection);
      }
      return selection;
    },
  };
}

function resolverFor(route: Route, options: HandlerOptions) {
  return async ({ request, params }: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => {
    try {
      const denied = authenticate(request.headers.get('authorization'), options.apiKey());
      if (denied) return errorResponse(denied);
      const body = await readJsonBody(request);
      const reply = route.handle({
        store: options.store,
        params: Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
        url: new URL(request.url),
        body,
        runtime: options.runtime,
      });
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
  if (reply.status === 204) return new HttpResponse(null, { status: 204, headers });
  return HttpResponse.json(reply.body as never, { status: reply.status, headers });
}

function errorResponse(error: ApiError): Response {
  return toResponse({ status: error.status, body: error.body }, error.headers);
}
