/** Every emulated endpoint in one table, and the lookup that names a request's path template. */
import { entitlementRoutes } from './entitlements.js';
import { featureRoutes } from './features.js';
import { planRoutes } from './plans.js';
import { priceRoutes } from './prices.js';
import { productRoutes } from './products.js';
import { subscriptionRoutes } from './subscriptions.js';
import type { HttpMethod, Route } from './route.js';

export const API_BASE_PATH = '/api/v1';

export const ROUTES: readonly Route[] = [...productRoutes, ...featureRoutes, ...planRoutes, ...entitlementRoutes, ...priceRoutes, ...subscriptionRoutes];

export interface RouteMatch {
  template: string;
  /** Methods the template answers; a request with another method gets 405. */
  allowed: HttpMethod[];
}

export interface RouteParamsMatch extends RouteMatch {
  /** Path parameters, named as in the template, percent-decoded. */
  params: Record<string, string>;
}

const compiled = [...new Set(ROUTES.map((route) => route.template))].map((template) => ({
  template,
  names: [...template.matchAll(/\{([^}]+)\}/g)].map((found) => found[1]!),
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
  allowed: ROUTES.filter((route) => route.template === template).map((route) => route.method),
}));

/** The template of a path relative to `/api/v1` (trailing slash required), or null. */
export function matchTemplate(path: string): RouteMatch | null {
  for (const entry of compiled) if (entry.pattern.test(path)) return { template: entry.template, allowed: entry.allowed };
  return null;
}

/** Like `matchTemplate`, with the path parameters. */
export function matchRoute(path: string): RouteParamsMatch | null {
  for (const entry of compiled) {
    const found = entry.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    entry.names.forEach((name, index) => (params[name] = decodeSegment(found[index + 1]!)));
    return { template: entry.template, allowed: entry.allowed, params };
  }
  return null;
}

/** `%2F`-style escapes decoded as a server framework does; a malformed escape stays as sent (it names nothing). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
