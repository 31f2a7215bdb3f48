/**
 * Engine benchmark (`npm run bench`): the emulator with injected latency, a generated catalog of 500 plans × 10
 * entitlements × 2 prices, and the three runs that matter: a first apply, a full plan with no changes, and an
 * apply of a 5% change. Each is printed beside the minimum number of requests the API allows and the
 * latency-bound time at the chosen concurrency (minimum requests on the critical path × latency, with the rest
 * spread over the concurrency), as ratios. Not a test: figures to read and quote.
 *
 * Options (env): BENCH_PLANS (500), BENCH_LATENCY_MS (20), BENCH_CONCURRENCY (8), BENCH_RATE_LIMIT (unset).
 */
import { KelviqClient, RequestCounter } from '../src/client/index.js';
import { computePlan, applyPlan } from '../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY } from '../src/emulator/index.js';
import { spawnEmulator } from './spawn-emulator.js';
import type { Catalog } from '../src/schema/model.js';
import { generateCatalog, mutateCatalog } from './generate-catalog.js';

const PLANS = Number(process.env.BENCH_PLANS ?? 500);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const RATE_LIMIT = process.env.BENCH_RATE_LIMIT ? Number(process.env.BENCH_RATE_LIMIT) : undefined;
const ENTITLEMENTS = 10;
const PRICES = 2;

const catalog = generateCatalog({ plans: PLANS, entitlementsPerPlan: ENTITLEMENTS, pricesPerPlan: PRICES });
const pages = (n: number) => Math.max(1, Math.ceil(n / 100));

/** Requests a no-change plan cannot do without: three lists, settings per product, two lists per plan. */
function minimumPlanRequests(c: Catalog): number {
  return pages(c.products.length) + pages(c.features.length) + pages(c.plans.length) + c.products.length + 2 * c.plans.length;
}

/** Time bound: first pages of the lists (one round trip), then everything else spread over the concurrency. */
function latencyBoundMs(requests: number, concurrency: number): number {
  return LATENCY_MS + Math.ceil(Math.max(0, requests - 3) / concurrency) * LATENCY_MS;
}

interface Measured {
  name: string;
  requests: number;
  ms: number;
  minimum: number;
  boundMs: number;
  failed: number;
  /** Mean time from sending a request to having its parsed answer, as the client saw it (latency + overheads). */
  meanRequestMs: number;
}

async function measure(name: string, minimum: number, concurrency: number, work: (client: KelviqClient) => Promise<void>, url: string): Promise<Measured> {
  const counter = new RequestCounter();
  let requestMs = 0;
  const client = new KelviqClient({
    baseUrl: url,
    apiKey: EMULATOR_DEFAULT_KEY,
    concurrency,
    onRequest: (event) => {
      counter.record(event);
      requestMs += event.durationMs;
    },
  });
  const started = performance.now();
  try {
    await work(client);
  } finally {
    await client.close();
  }
  const ms = performance.now() - started;
  return { name, requests: counter.total, ms, minimum, boundMs: latencyBoundMs(minimum, concurrency), failed: counter.failed, meanRequestMs: requestMs / counter.total };
}

async function applyCatalog(client: KelviqClient, desired: Catalog): Promise<void> {
  const computed = await computePlan({ client, catalog: desired, environment: 'sandbox' });
  const errors = computed.plan.messages.filter((m) => m.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox', concurrency: CONCURRENCY });
  if (result.failed.length) throw result.failed[0]?.error;
}

async function planOnly(client: KelviqClient, desired: Catalog): Promise<void> {
  const computed = await computePlan({ client, catalog: desired, environment: 'sandbox' });
  if (computed.plan.actions.length) throw new Error(`expected no changes, got ${computed.plan.actions.length}`);
}

const emulator = await spawnEmulator({ latencyMs: LATENCY_MS, rateLimitRps: RATE_LIMIT });
const results: Measured[] = [];
try {
  // First apply: 1 plan-list page etc. for the (empty) live side; per plan to create, one GET by identifier at plan
  // time (the list leaves archived plans out, and an archived plan keeps its identifier: the check that a create
  // will not collide with one, answered 404 here, which the table counts among failed requests); then per plan:
  // create, add entitlements, replace prices.
  const firstApplyMinimum = 3 + catalog.products.length * 2 + catalog.features.length + catalog.plans.length * 4;
  results.push(await measure('first apply (from empty)', firstApplyMinimum, CONCURRENCY, (c) => applyCatalog(c, catalog), emulator.url));
  const planMinimum = minimumPlanRequests(catalog);
  results.push(await measure(`plan, no changes (concurrency ${CONCURRENCY})`, planMinimum, CONCURRENCY, (c) => planOnly(c, catalog), emulator.url));
  results.push(await measure('plan, no changes (concurrency 1)', planMinimum, 1, (c) => planOnly(c, catalog), emulator.url));
  const changed = mutateCatalog(catalog, 0.05);
  const changedPlans = changed.plans.filter((p, i) => p !== catalog.plans[i]).length;
  // A 5% change: the full read, then per changed plan one PATCH and one entitlement PATCH.
  results.push(await measure(`apply of a 5% change (${changedPlans} plans)`, planMinimum + changedPlans * 2, CONCURRENCY, (c) => applyCatalog(c, changed), emulator.url));
} finally {
  await emulator.stop();
}

const rows = results.map((r) => ({
  run: r.name,
  requests: r.requests,
  'minimum requests': r.minimum,
  'requests / minimum': (r.requests / r.minimum).toFixed(2),
  'wall ms': Math.round(r.ms),
  'latency-bound ms': r.boundMs,
  'wall / bound': (r.ms / r.boundMs).toFixed(2),
  'failed requests': r.failed,
  'mean request ms': r.meanRequestMs.toFixed(1),
}));
process.stdout.write(
  `Engine benchmark: ${PLANS} plans x ${ENTITLEMENTS} entitlements x ${PRICES} prices, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}${RATE_LIMIT ? `, rate limit ${RATE_LIMIT}/s` : ''}\n`,
);
console.table(rows);
const sequential = results.find((r) => r.name.includes('concurrency 1'));
const concurrent = results.find((r) => r.name.startsWith('plan, no changes (concurrency ') && r !== sequential);
if (sequential && concurrent) process.stdout.write(`plan speed-up, concurrency ${CONCURRENCY} vs 1: ${(sequential.ms / concurrent.ms).toFixed(1)}x\n`);
