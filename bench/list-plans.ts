/**
 * Listing benchmark (`npm run bench:list`): 1,000 plans behind 20 ms of injected latency, listed by walking the
 * pages one after another (what a naive client does with `next`) versus our client (first page, then the rest
 * concurrently, the count being known). Prints requests and wall time of each.
 */
import { KelviqClient, PAGE_SIZE, RequestCounter } from '../src/client/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator } from '../src/emulator/index.js';

const PLANS = Number(process.env.BENCH_PLANS ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);

const emulator = await startEmulator({ port: 0 });
const seeder = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, concurrency: 16 });
const product = await seeder.createProduct({ name: 'Bench', identifier: 'bench', taxCode: 'saas' });
await Promise.all(
  Array.from({ length: PLANS }, (_, i) => seeder.createPlan({ name: `Plan ${i}`, identifier: `plan-${i}`, product: product.id })),
);
await seeder.close();
emulator.setLatency(LATENCY_MS);

async function timed(name: string, work: (client: KelviqClient) => Promise<number>) {
  const counter = new RequestCounter();
  const client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, concurrency: 8, onRequest: counter.record });
  const started = performance.now();
  const items = await work(client);
  const ms = performance.now() - started;
  await client.close();
  return { run: name, plans: items, requests: counter.total, 'wall ms': Math.round(ms) };
}

const sequential = await timed('sequential pages (follow next)', async (client) => {
  let total = 0;
  for (let page = 1; ; page += 1) {
    const response = await client.transport.call({ method: 'GET', path: `/catalog/plans/?page=${page}&page_size=${PAGE_SIZE}`, template: '/catalog/plans/', idempotent: true });
    const body = response.body as { results: unknown[]; next: string | null };
    total += body.results.length;
    if (!body.next) return total;
  }
});
const concurrent = await timed('kelviq-catalog client (concurrent pages)', async (client) => (await client.listPlans()).length);
await emulator.close();

process.stdout.write(`Listing ${PLANS} plans, ${LATENCY_MS} ms injected latency, concurrency 8\n`);
console.table([sequential, concurrent]);
process.stdout.write(`speed-up: ${(sequential['wall ms'] / concurrent['wall ms']).toFixed(1)}x with the same ${concurrent.requests} requests\n`);
