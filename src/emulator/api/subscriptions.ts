/**
 * Subscriptions, read only: `GET /subscriptions/` (the spec's listSubscriptions), served from seeded data.
 *
 * From the spec: query `customer_id` (the client-defined customer identifier), `status` ("a comma-separated list
 * to match any of several statuses, e.g. `active,trialing`"), `page` and `page_size` ("defaults to 10, maximum
 * 100"); the answer is SubscriptionListResponse (`{count, next, previous, results}`), each result a Subscription
 * whose `plan` is `{identifier, name}` (no version) and whose `status` is a free string. Without `status` the spec
 * promises one row per subscription (its current state, expired ones left out); with `status` it returns matching
 * records undeduplicated. The emulator keeps one current record per subscription and no history, so the two
 * views hold the same rows here: a test of duplicates would need a real account.
 */
import type { SubscriptionRecord } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { paginate } from './pagination.js';
import { json, type Route } from './route.js';

/** The spec's default page size for this endpoint (the catalog lists default to 100). */
const DEFAULT_PAGE_SIZE = 10;

export function subscriptionWire(store: CatalogStore, record: SubscriptionRecord): Record<string, unknown> {
  const plan = store.plans.get(record.plan);
  const shown = plan ? (plan.versions.find((version) => version.version === plan.publishedVersion) ?? store.newestVersion(plan)) : undefined;
  const product = plan ? store.products.get(plan.productId) : undefined;
  return {
    id: record.id,
    customerId: record.customerId,
    status: record.status,
    plan: { identifier: record.plan, name: shown?.fields.name ?? record.plan },
    // The spec's example shows the product's name here, not an id.
    product: product?.name ?? '',
    billingType: 'SUBSCRIPTION',
    // A monthly subscription whose current period began on its start date: enough for a list to be complete.
    billingPeriodStartTime: `${record.startDate}T00:00:00Z`,
    billingPeriodEndTime: monthAfter(record.startDate),
    recurrence: 'month',
    recurrenceType: 'MONTH',
    recurrenceUnit: 1,
    trialDaysRemaining: 0,
    externalSubscriptionId: `sub_emulated_${record.id.replaceAll('-', '').slice(0, 16)}`,
    amount: record.amount,
    currency: record.currency,
    startDate: record.startDate,
    endDate: record.endDate,
    canceledAt: null,
    cancellationReason: null,
    cancellationFeedback: null,
    cancellationComment: null,
    features: [],
    files: [],
    license: [],
    links: [],
  };
}

function monthAfter(date: string): string {
  const start = new Date(`${date}T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() + 1);
  return start.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    template: '/subscriptions/',
    handle({ store, url }) {
      const statuses = url.searchParams.get('status')?.split(',').map((status) => status.trim()).filter(Boolean);
      const customer = url.searchParams.get('customer_id');
      const rows = store.subscriptions.filter(
        (record) => (!statuses?.length || statuses.includes(record.status)) && (customer === null || record.customerId === customer),
      );
      const page = paginate(rows, url, DEFAULT_PAGE_SIZE);
      return json({ ...page, results: page.results.map((record) => subscriptionWire(store, record)) });
    },
  },
];
