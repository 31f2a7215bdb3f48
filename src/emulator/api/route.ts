/** The framework-free shape of an endpoint: the Fetch handler (`handlers.ts`) and the route table share it. */
import type { CatalogStore } from '../model/store.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Runtime switches an endpoint consults (the server owns them and can flip them at any time). */
export interface ApiRuntime {
  billingProviderConnected(): boolean;
}

export interface RouteContext {
  store: CatalogStore;
  /** Decoded path parameters, named as in the template. */
  params: Record<string, string>;
  /** The absolute request URL (pagination links are built from it). */
  url: URL;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  runtime: ApiRuntime;
}

export interface Reply {
  status: number;
  /** Omitted for 204: HTTP forbids a body there. */
  body?: unknown;
}

export interface Route {
  method: HttpMethod;
  /** Relative to `/api/v1`, in the spec's notation: `/catalog/plans/{identifier}/prices/`. */
  template: string;
  handle(context: RouteContext): Reply;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

export function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return value;
}
