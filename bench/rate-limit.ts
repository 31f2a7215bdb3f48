/**
 * Rate-limit benchmark (`npm run bench:rate-limit`): a full first apply of the 500-plan benchmark catalog
 * against an emulator that allows BENCH_RATE_LIMIT requests/s (default 20) and answers 429 + Retry-After
 * beyond that. Reports failed requests (must be 0), 429s received, and the achieved rate of accepted requests
 * as a share of the allowed rate.
 */
import { KelviqClient, RequestCounter } from '../src/client/index.js';
import { computePlan, applyPlan } from '../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY } from '../src/emulator/index.js';
import { generateCatalog } from './generate-catalog.js';
import { spawnEmulator } from './spawn-emulator.js';

const RATE = Number(process.env.BENCH_RATE_LIMIT ?? 20);
const PLANS = Number(process.env.BENCH_PLANS ?? 500);
const catalog = generateCatalog({ plans: PLANS, entitlementsPerPlan: 10, pricesPerPlan: 2 });
const emulator = await spawnEmulator({ rateLimitRps: RATE, latencyMs: 20 });
const counter = new RequestCounter();
let throttled = 0;
const client = new KelviqClient({
  baseUrl: emulator.url,
  apiKey: EMULATOR_DEFAULT_KEY,
  onRequest: (event) => {
    counter.record(event);
    if (event.status === 429) throttled += 1;
  },
});
const started = performance.now();
let failedActions = 0;
try {
  const computed = await computePlan({ client, catalog, environment: 'sandbox' });
  const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
  failedActions = result.failed.length;
} finally {
  await client.close();
  await emulator.stop();
}
const seconds = (performance.now() - started) / 1000;
const accepted = counter.total - throttled;
const rate = accepted / seconds;
process.stdout.write(
  `rate limit ${RATE}/s, ${PLANS} plans: ${accepted} requests accepted in ${seconds.toFixed(1)} s = ${rate.toFixed(2)}/s ` +
    `(${((rate / RATE) * 100).toFixed(1)}% of the allowed rate); 429s received ${throttled}; ` +
    `failed requests (after retries) ${failedActions}; final concurrency ${client.transport.limiter.current}\n`,
);
if (failedActions) process.exitCode = 1;
