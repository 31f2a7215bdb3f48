/**
 * Typed calls for the Kelviq catalog endpoints a sync engine needs. Each method knows its path template (for
 * request counting), whether replaying it is safe, and the zod schema its answer must match.
 */
import type { z } from 'zod';
import { checkerFor } from './check.js';
import { KelviqApiError, ListConsistencyError, ResponseShapeError, UnknownOutcomeError } from './errors.js';
import { Transport, type HttpMethod, type RequestEvent, type TransportOptions } from './transport.js';
import {
  EntitlementPatchResponseWire,
  EntitlementWire,
  FeatureWire,
  PlanWire,
  PriceBulkResponseWire,
  PriceWire,
  ProductRetrieveWire,
  ProductSettingsWire,
  ProductWire,
  PublishResponseWire,
  SubscriptionWire,
  paginated,
  type EntitlementAddBody,
  type EntitlementDetailsBody,
  type EntitlementDetailsWire,
  type EntitlementWire as EntitlementWireType,
  type FeatureCreateBody,
  type FeatureWire as FeatureWireType,
  type PlanCreateBody,
  type PlanPublishBody,
  type PlanUpdateBody,
  type PlanWire as PlanWireType,
  type PriceBulkBody,
  type PriceWire as PriceWireType,
  type ProductCreateBody,
  type ProductSettingsUpdateBody,
  type ProductSettingsWire as ProductSettingsWireType,
  type ProductUpdateBody,
  type ProductWire as ProductWireType,
  type SubscriptionWire as SubscriptionWireType,
} from './wire.js';

/** Kelviq caps list pages at 100; asking for the cap minimises requests. */
export const PAGE_SIZE = 100;

/**
 * The most pages one list may take (100,000 items at 100 a page, far beyond any real catalog). A server that
 * claims or links more is not believed: a `count` of 100,000,000 once made plan allocate until the heap gave out.
 */
export const MAX_LIST_PAGES = 1_000;

export interface KelviqClientOptions extends TransportOptions {}

export interface PageOptions<T> {
  /** Called with each page's items as it arrives, so dependent requests can start before the list ends. */
  onPage?: (items: T[]) => void;
}

export interface VersionOption {
  /** A specific plan version; default the newest. */
  version?: number;
}

export class KelviqClient {
  readonly transport: Transport;

  constructor(options: KelviqClientOptions) {
    this.transport = new Transport(options);
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** Ends every wait for a rate limit or a retry at once (see Transport.interrupt). */
  interrupt(): void {
    this.transport.interrupt();
  }

  // ---- products

  listProducts(options: PageOptions<ProductWireType> = {}): Promise<ProductWireType[]> {
    return this.listAll('/catalog/products/', '/catalog/products/', ProductWire, undefined, options.onPage);
  }

  getProduct(id: string) {
    return this.send('GET', `/catalog/products/${seg(id)}/`, '/catalog/products/{pk}/', ProductRetrieveWire);
  }

  createProduct(body: ProductCreateBody): Promise<ProductWireType> {
    return this.send('POST', '/catalog/products/', '/catalog/products/', ProductWire, { body, idempotent: false });
  }

  updateProduct(id: string, body: ProductUpdateBody): Promise<ProductWireType> {
    return this.send('PATCH', `/catalog/products/${seg(id)}/`, '/catalog/products/{pk}/', ProductWire, { body });
  }

  archiveProduct(id: string): Promise<void> {
    return this.sendNoContent('DELETE', `/catalog/products/${seg(id)}/`, '/catalog/products/{pk}/', [400]);
  }

  getProductSettings(id: string): Promise<ProductSettingsWireType> {
    return this.send('GET', `/catalog/products/${seg(id)}/settings/`, '/catalog/products/{pk}/settings/', ProductSettingsWire);
  }

  updateProductSettings(id: string, body: ProductSettingsUpdateBody): Promise<ProductSettingsWireType> {
    const path = `/catalog/products/${seg(id)}/settings/`;
    return this.send('PATCH', path, '/catalog/products/{pk}/settings/', ProductSettingsWire, { body });
  }

  // ---- features (no update endpoint: identifier, type, details and meter are immutable)

  listFeatures(): Promise<FeatureWireType[]> {
    return this.listAll('/catalog/features/', '/catalog/features/', FeatureWire);
  }

  getFeature(id: string): Promise<FeatureWireType> {
    return this.send('GET', `/catalog/features/${seg(id)}/`, '/catalog/features/{pk}/', FeatureWire);
  }

  createFeature(body: FeatureCreateBody): Promise<FeatureWireType> {
    return this.send('POST', '/catalog/features/', '/catalog/features/', FeatureWire, { body, idempotent: false });
  }

  archiveFeature(id: string): Promise<void> {
    return this.sendNoContent('DELETE', `/catalog/features/${seg(id)}/`, '/catalog/features/{pk}/', [400, 404]);
  }

  // ---- subscriptions (read only: how many customers a plan change reaches)

  /**
   * GET /subscriptions/ (the spec's listSubscriptions): paginated like the catalog lists (`page`, `page_size` up
   * to 100, `{count, next, previous, results}`). `status` is the spec's comma-separated list (`active,trialing`);
   * `customerId` its `customer_id`. Without `status` the spec promises one row per subscription, its current state.
   */
  listSubscriptions(options: { status?: string; customerId?: string } = {}): Promise<SubscriptionWireType[]> {
    const filters: Record<string, string> = {};
    if (options.status !== undefined) filters.status = options.status;
    if (options.customerId !== undefined) filters.customer_id = options.customerId;
    return this.listAll('/subscriptions/', '/subscriptions/', SubscriptionWire, undefined, undefined, filters);
  }

  // ---- plans (addressed by identifier; versioned)

  /** One row per plan identifier: its newest version, draft or published. */
  listPlans(options: PageOptions<PlanWireType> = {}): Promise<PlanWireType[]> {
    return this.listAll('/catalog/plans/', '/catalog/plans/', PlanWire, undefined, options.onPage);
  }

  getPlan(identifier: string, options: VersionOption = {}): Promise<PlanWireType> {
    const path = `/catalog/plans/${seg(identifier)}/${versionQuery(options)}`;
    return this.send('GET', path, '/catalog/plans/{identifier}/', PlanWire);
  }

  createPlan(body: PlanCreateBody): Promise<PlanWireType> {
    return this.send('POST', '/catalog/plans/', '/catalog/plans/', PlanWire, { body, idempotent: false });
  }

  /** Creates draft N+1 when the newest version is published; mutates the draft otherwise. */
  updatePlan(identifier: string, body: PlanUpdateBody): Promise<PlanWireType> {
    return this.send('PATCH', `/catalog/plans/${seg(identifier)}/`, '/catalog/plans/{identifier}/', PlanWire, { body });
  }

  archivePlan(identifier: string): Promise<void> {
    return this.sendNoContent('DELETE', `/catalog/plans/${seg(identifier)}/`, '/catalog/plans/{identifier}/', [400, 404]);
  }

  /** Not idempotent: a second publish of the same draft fails, and a lost answer leaves the outcome unknown. */
  async publishPlan(identifier: string, body: PlanPublishBody = {}): Promise<void> {
    const path = `/catalog/plans/${seg(identifier)}/publish/`;
    await this.send('POST', path, '/catalog/plans/{identifier}/publish/', PublishResponseWire, { body, idempotent: false });
  }

  discardPlanDraft(identifier: string): Promise<void> {
    const path = `/catalog/plans/${seg(identifier)}/discard/`;
    return this.sendNoContent('DELETE', path, '/catalog/plans/{identifier}/discard/', [400, 404]);
  }

  // ---- entitlements: paths take the feature identifier slug, the POST body takes its UUID

  listEntitlements(planIdentifier: string, options: VersionOption = {}): Promise<EntitlementWireType[]> {
    const path = `/catalog/plans/${seg(planIdentifier)}/features/`;
    return this.listAll(path, '/catalog/plans/{identifier}/features/', EntitlementWire, options.version);
  }

  /** Not idempotent (appends); the API rejects a feature already on the plan. */
  async addEntitlements(planIdentifier: string, body: EntitlementAddBody): Promise<PlanWireType> {
    const path = `/catalog/plans/${seg(planIdentifier)}/features/`;
    return this.send('POST', path, '/catalog/plans/{identifier}/features/', PlanWire, { body, idempotent: false });
  }

  async updateEntitlement(
    planIdentifier: string,
    featureIdentifier: string,
    details: EntitlementDetailsBody,
  ): Promise<EntitlementDetailsWire> {
    const path = `/catalog/plans/${seg(planIdentifier)}/features/${seg(featureIdentifier)}/`;
    const template = '/catalog/plans/{identifier}/features/{feature_id}/';
    const response = await this.send('PATCH', path, template, EntitlementPatchResponseWire, { body: { details } });
    return response.details;
  }

  removeEntitlement(planIdentifier: string, featureIdentifier: string): Promise<void> {
    const path = `/catalog/plans/${seg(planIdentifier)}/features/${seg(featureIdentifier)}/`;
    return this.sendNoContent('DELETE', path, '/catalog/plans/{identifier}/features/{feature_id}/', [404]);
  }

  // ---- prices: the bulk endpoint replaces the whole set atomically, so replaying it is safe

  listPrices(planIdentifier: string, options: VersionOption = {}): Promise<PriceWireType[]> {
    const path = `/catalog/plans/${seg(planIdentifier)}/prices/`;
    return this.listAll(path, '/catalog/plans/{identifier}/prices/', PriceWire, options.version);
  }

  async replacePrices(planIdentifier: string, body: PriceBulkBody): Promise<PriceWireType[]> {
    const path = `/catalog/plans/${seg(planIdentifier)}/prices/bulk/`;
    const response = await this.send('POST', path, '/catalog/plans/{identifier}/prices/bulk/', PriceBulkResponseWire, {
      body,
      idempotent: true,
    });
    return response.prices;
  }

  // ---- plumbing

  /**
   * Every item of a paginated list. A server's `count` is a claim, not a fact: `next` decides where the list
   * ends, and `count` only serves to go faster and to check. When the first page's `count` is plausible (the
   * pages it implies fit under MAX_LIST_PAGES), pages 2..N are fetched concurrently (bounded by the client's
   * limiter) instead of walking `next` one by one; every page but the last must then have a `next`. Beyond what
   * `count` promised, or when it is implausible, `next` is followed sequentially up to MAX_LIST_PAGES. Whatever
   * arrived must add up to `count`: a mismatch is an error, never a silently truncated (or padded) list.
   * The page number is incremented rather than the `next` URL fetched: the URL could point at another host,
   * and the key must only ever reach the configured one.
   */
  async listAll<T extends z.ZodType>(
    path: string,
    template: string,
    item: T,
    version?: number,
    onPage?: (items: Array<z.infer<T>>) => void,
    filters: Record<string, string> = {},
  ): Promise<Array<z.infer<T>>> {
    const schema = paginated(item);
    const request = { method: 'GET', path };
    const pageUrl = (page: number) => {
      const query = new URLSearchParams({ ...filters, page: String(page), page_size: String(PAGE_SIZE) });
      if (version !== undefined) query.set('version', String(version));
      return `${path}?${query}`;
    };
    const first = await this.send('GET', pageUrl(1), template, schema);
    onPage?.(first.results);
    const items: Array<z.infer<T>> = [...first.results];
    const claimed = first.count;
    // Servers may ignore page_size; the first page's length is the page size actually in force.
    const pageSize = first.results.length;
    let pagesRead = 1;
    let next = first.next;
    if (next && pageSize === 0) throw new ListConsistencyError(request, `page 1 is empty but names a next page`);
    const promised = next ? Math.ceil(claimed / pageSize) : 1;
    if (next && promised > 1 && promised <= MAX_LIST_PAGES) {
      const rest = await Promise.all(
        Array.from({ length: promised - 1 }, async (_, index) => {
          let page;
          try {
            page = await this.send('GET', pageUrl(index + 2), template, schema);
          } catch (error) {
            // A page count promised that does not exist: the count was wrong, say so rather than "404".
            if (error instanceof KelviqApiError && error.status === 404) {
              throw new ListConsistencyError(request, `page ${index + 2} does not exist (404), but count ${claimed} promised ${promised} pages`);
            }
            throw error;
          }
          onPage?.(page.results);
          return page;
        }),
      );
      for (const [index, page] of rest.entries()) {
        items.push(...page.results);
        const number = index + 2;
        if (number < promised && !page.next) {
          throw new ListConsistencyError(request, `page ${number} has no next page, but count ${claimed} promised ${promised} pages`);
        }
      }
      pagesRead = promised;
      next = rest.at(-1)?.next;
    }
    // Past what count promised (or count was implausible): follow next one page at a time, up to the cap.
    while (next) {
      if (pagesRead >= MAX_LIST_PAGES) {
        throw new ListConsistencyError(request, `still a next page after ${MAX_LIST_PAGES} pages (count says ${claimed}); refusing to read further`);
      }
      pagesRead += 1;
      const page = await this.send('GET', pageUrl(pagesRead), template, schema);
      onPage?.(page.results);
      items.push(...page.results);
      next = page.next;
    }
    if (items.length !== claimed) {
      throw new ListConsistencyError(request, `the server's count says ${claimed} but its pages held ${items.length} (read until next was null)`);
    }
    return items;
  }

  private async send<T extends z.ZodType>(
    method: HttpMethod,
    path: string,
    template: string,
    schema: T,
    options: { body?: unknown; idempotent?: boolean } = {},
  ): Promise<z.infer<T>> {
    const response = await this.transport.call({
      method,
      path,
      template,
      body: options.body,
      idempotent: options.idempotent ?? method !== 'POST',
    });
    // A valid body is used as it is (see check.ts); anything else goes to zod, for its verdict and its message.
    if (checkerFor(schema)?.(response.body)) return response.body as z.infer<T>;
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new ResponseShapeError({ method, path }, `${issue?.message ?? 'invalid'}${where}`);
    }
    return parsed.data;
  }

  private async sendNoContent(method: HttpMethod, path: string, template: string, doneOnRetry: number[]): Promise<void> {
    await this.transport.call({ method, path, template, idempotent: true, doneOnRetryStatuses: doneOnRetry });
  }
}

function seg(value: string): string {
  return encodeURIComponent(value);
}

function versionQuery(options: VersionOption): string {
  return options.version === undefined ? '' : `?version=${options.version}`;
}

/** Counts requests by endpoint template; plug `record` into `onRequest`. */
export class RequestCounter {
  readonly byEndpoint = new Map<string, number>();
  total = 0;
  retries = 0;
  failed = 0;

  readonly record = (event: RequestEvent): void => {
    const key = `${event.method} ${event.template}`;
    this.byEndpoint.set(key, (this.byEndpoint.get(key) ?? 0) + 1);
    this.total += 1;
    if (event.attempt > 1) this.retries += 1;
    if (event.error !== undefined || (event.status !== undefined && event.status >= 400)) this.failed += 1;
  };

  count(method: HttpMethod, template: string): number {
    return this.byEndpoint.get(`${method} ${template}`) ?? 0;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.byEndpoint.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export { UnknownOutcomeError };
