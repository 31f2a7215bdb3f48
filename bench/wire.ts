/**
 * The per-request floor of a plan's reads (`npm run bench:wire`): 1,000 GETs (entitlements and prices of 500
 * plans) through KelviqClient at concurrency 8 against the emulator in its own process with 20 ms of latency,
 * beside the same count through a bare undici Pool against a trivial node:http server (one setTimeout(20),
 * the same response body, also in its own process): the machine's floor for this traffic. Runs alternate, so
 * a busy moment on a shared machine falls on both. Reports wall time, the client's CPU, and each server's CPU
 * per request (from /proc on Linux: the emulator shares the machine's cores with the client it serves).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { applyPlan, computePlan } from '../src/apply/index.js';
import { KelviqClient } from '../src/client/index.js';
import { EMULATOR_DEFAULT_KEY } from '../src/emulator/index.js';
import { generateCatalog } from './generate-catalog.js';
import { spawnEmulator } from './spawn-emulator.js';

const PLANS = 500;
const CONCURRENCY = 8;
const LATENCY_MS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** CPU time (user + system) of a process so far, in ms; NaN where /proc is not there. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

const emulator = await spawnEmulator({ latencyMs: 0 });
// The floor's server gets its body on stdin once the emulator is seeded (below), then prints its port.
const floorServer = spawn(process.execPath, [new URL('./wire-floor.mjs', import.meta.url).pathname, 'serve', String(LATENCY_MS)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
try {
  const client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, concurrency: CONCURRENCY });
  const catalog = generateCatalog({ plans: PLANS, entitlementsPerPlan: 15, pricesPerPlan: 3, features: 100 });
  process.stderr.write(`seeding ${PLANS} plans…\n`);
  const computed = await computePlan({ client, catalog, environment: 'sandbox', decisions: { publish: true } });
  const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox', concurrency: CONCURRENCY });
  if (result.failed.length) throw result.failed[0]?.error;
  const plans = await client.listPlans();
  // The floor serves the emulator's own answer for one entitlements page: the same bytes to parse.
  const page = await fetch(`${emulator.url}/catalog/plans/${plans[0]!.identifier}/features/?page=1&page_size=100`, {
    headers: { authorization: `Bearer ${EMULATOR_DEFAULT_KEY}` },
  });
  floorServer.stdin!.end(Buffer.from(await page.arrayBuffer()));
  const floorPort = await new Promise<string>((resolve) => createInterface({ input: floorServer.stdout! }).once('line', resolve));
  await fetch(`${emulator.url.replace('/api/v1', '')}/__emulator/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: LATENCY_MS }),
  });

  const requests = plans.length * 2;
  const measure = async (pid: number, loop: () => Promise<void>) => {
    const serverBefore = cpuMs(pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await loop();
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(clientBefore);
    return { wallMs, clientMs: (used.user + used.system) / 1000, serverMsPerRequest: (cpuMs(pid) - serverBefore) / requests };
  };
  const ours = () => measure(emulator.pid, async () => {
    await Promise.all(plans.flatMap((plan) => [client.listEntitlements(plan.identifier), client.listPrices(plan.identifier)]));
  });
  const pool = new Pool(`http://127.0.0.1:${floorPort}`, { connections: CONCURRENCY, pipelining: 1 });
  const floor = () => measure(floorServer.pid!, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < requests) JSON.parse(await (await pool.request({ path: '/', method: 'GET' })).body.text());
      }),
    );
  });
  await ours(); // warm-up, both sides
  await floor();
  const runs = { ours: [] as Awaited<ReturnType<typeof ours>>[], floor: [] as Awaited<ReturnType<typeof floor>>[] };
  for (let i = 0; i < RUNS; i++) {
    runs.ours.push(await ours());
    runs.floor.push(await floor());
  }
  await client.close();
  await pool.close();

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const bound = (requests / CONCURRENCY) * LATENCY_MS;
  process.stdout.write(`${requests} GETs at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms latency (bound ${bound} ms); median of ${RUNS} alternating runs\n`);
  for (const [name, list] of [['KelviqClient → emulator', runs.ours], ['undici Pool → trivial server (floor)', runs.floor]] as const) {
    const wall = median(list.map((r) => r.wallMs));
    process.stdout.write(
      `  ${name.padEnd(38)} wall ${wall.toFixed(0).padStart(5)} ms (${(wall / bound).toFixed(2)}x bound)` +
        `  client CPU ${median(list.map((r) => r.clientMs)).toFixed(0).padStart(5)} ms` +
        `  server CPU ${median(list.map((r) => r.serverMsPerRequest)).toFixed(3)} ms/request\n`,
    );
  }
} finally {
  floorServer.kill('SIGTERM');
  await emulator.stop();
}
