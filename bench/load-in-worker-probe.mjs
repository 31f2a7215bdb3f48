// One load of a catalog, as a process of its own (bench/load-in-worker.ts runs it under GNU time): on the main
// thread (`main`) or in a worker (`worker`), from the built dist/, while a timer ticks every 5 ms on the main
// thread. Prints one JSON line: the load's wall, the longest gap between ticks beyond the 5 ms asked for (the
// longest the main thread could not run anything), and where the load ran.
//   node bench/load-in-worker-probe.mjs <main|worker> <catalog> [maxYoungGenerationSizeMb]
import { loadCatalog } from '../dist/schema/load-catalog.js';
import { loadInWorker, WORKER_RESOURCE_LIMITS } from '../dist/schema/load-in-worker.js';

const [mode, catalog, young] = process.argv.slice(2);
const TICK_MS = 5;
let last = performance.now();
let longest = 0;
let over50 = 0;
const timer = setInterval(() => {
  const now = performance.now();
  const stall = now - last - TICK_MS;
  if (stall > longest) longest = stall;
  if (stall > 50) over50++;
  last = now;
}, TICK_MS);

const started = performance.now();
let thread = 'main';
let result;
if (mode === 'worker') {
  const resourceLimits = young === undefined ? WORKER_RESOURCE_LIMITS : { ...WORKER_RESOURCE_LIMITS, maxYoungGenerationSizeMb: young === 'default' ? undefined : Number(young) };
  const loaded = await loadInWorker(catalog, {}, { resourceLimits });
  result = loaded.result;
  thread = loaded.thread;
} else {
  result = await loadCatalog(catalog);
}
const wallMs = performance.now() - started;
// The tick due after the answer: a stall at the very end (taking the answer) counts too.
await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
clearInterval(timer);
if (!result.catalog) throw new Error(`the catalog did not load: ${result.diagnostics[0]?.message}`);
process.stdout.write(`${JSON.stringify({ mode, thread, wallMs, longestStallMs: longest, stallsOver50ms: over50, plans: result.catalog.plans.length })}\n`);
