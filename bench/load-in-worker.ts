/**
 * Loading a catalog in a worker thread (issue 14), measured as processes: the 500-plan catalog of the CLI
 * benchmark (500 plans × 15 of 100 features × 3 prices, 0.6 MB in 3 files) loaded on the main thread and in a
 * worker (loadCatalogInWorker), each in a new Node process on the built dist/ (bench/load-in-worker-probe.mjs)
 * while a timer ticks every 5 ms on the main thread. Prints, as medians of RUNS runs (interleaved), the longest
 * main-thread stall, the load's wall, the process's wall and peak RSS (GNU time), and the cost of cloning the
 * worker's answer (what postMessage does: V8 serialize in the worker, deserialize on the main thread).
 *
 *   npm run build && node --import tsx bench/load-in-worker.ts       (npm run bench:worker)
 *   YOUNG=1,2,4,8,default …: also the worker with those maxYoungGenerationSizeMb
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { loadCatalogParts } from '../src/schema/load-catalog.js';
import { loadedAnswer } from '../src/schema/load-in-worker.js';
import { catalogToFiles } from '../src/schema/write/index.js';
import { generateCatalog } from './generate-catalog.js';

const RUNS = Number(process.env.RUNS ?? 5);
const YOUNG = process.env.YOUNG ? process.env.YOUNG.split(',') : [];
const PROBE = join(import.meta.dirname, 'load-in-worker-probe.mjs');

const scratch = await mkdtemp(join(tmpdir(), 'kelviq-load-worker-'));
try {
  const catalog = generateCatalog({ plans: 500, entitlementsPerPlan: 15, pricesPerPlan: 3, features: 100 });
  const directory = join(scratch, 'catalog');
  let bytes = 0;
  for (const file of catalogToFiles(catalog, { directory })) {
    await mkdir(dirname(join(directory, file.path)), { recursive: true });
    await writeFile(join(directory, file.path), file.text);
    bytes += Buffer.byteLength(file.text);
  }

  interface Run {
    wallMs: number;
    longestStallMs: number;
    stallsOver50ms: number;
    thread: string;
    processWallMs: number;
    rssMb: number;
  }
  const modes: Array<{ name: string; args: string[] }> = [
    { name: 'main thread', args: ['main', directory] },
    { name: 'worker', args: ['worker', directory] },
    ...YOUNG.map((young) => ({ name: `worker, young ${young}`, args: ['worker', directory, young] })),
  ];
  const runs = new Map(modes.map((mode) => [mode.name, [] as Run[]]));
  const report = join(scratch, 'time.txt');
  for (let run = -1; run < RUNS; run++) {
    for (const mode of modes) {
      const started = performance.now();
      const child = spawnSync('/usr/bin/time', ['-f', '%M', '-o', report, process.execPath, PROBE, ...mode.args], { encoding: 'utf8' });
      const processWallMs = performance.now() - started;
      if (child.status !== 0) throw new Error(`${mode.name}: exit ${child.status}\n${child.stderr}`);
      const probe = JSON.parse(child.stdout) as Omit<Run, 'processWallMs' | 'rssMb'>;
      const rssMb = Number((await readFile(report, 'utf8')).trim().split('\n').at(-1)) / 1024;
      if (run >= 0) runs.get(mode.name)!.push({ ...probe, processWallMs, rssMb });
    }
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`500 plans × 15 entitlements × 3 prices, 100 features: ${(bytes / 1e6).toFixed(2)} MB; median of ${RUNS} runs (min–max)`);
  console.log('mode                  longest stall        load wall            process wall         peak RSS');
  for (const mode of modes) {
    const list = runs.get(mode.name)!;
    const threads = new Set(list.map((r) => r.thread));
    if (mode.args[0] === 'worker' && (threads.size !== 1 || !threads.has('worker'))) throw new Error(`${mode.name} ran on ${[...threads].join(', ')}`);
    const cell = (pick: (r: Run) => number, unit: string) => {
      const values = list.map(pick);
      return `${median(values).toFixed(0)} ${unit} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`.padEnd(21);
    };
    console.log(`${mode.name.padEnd(22)}${cell((r) => r.longestStallMs, 'ms')}${cell((r) => r.wallMs, 'ms')}${cell((r) => r.processWallMs, 'ms')}${cell((r) => r.rssMb, 'MB')}`);
  }

  // The answer's clone, on this thread: serialize is the worker's cost, deserialize the main thread's.
  const answer = loadedAnswer(await loadCatalogParts(directory));
  const serializeMs: number[] = [];
  const deserializeMs: number[] = [];
  let size = 0;
  for (let i = 0; i < 10; i++) {
    let t = performance.now();
    const buffer = serialize(answer);
    serializeMs.push(performance.now() - t);
    size = buffer.length;
    t = performance.now();
    deserialize(buffer);
    deserializeMs.push(performance.now() - t);
  }
  const texts = answer.locator.sources.reduce((sum, source) => sum + source.text.length, 0);
  console.log(
    `answer: ${(size / 1e6).toFixed(2)} MB serialized (${(texts / 1e6).toFixed(2)} MB of it file texts); serialize ${ms(median(serializeMs))} (worker), deserialize ${ms(median(deserializeMs))} (main thread), medians of 10`,
  );
} finally {
  await rm(scratch, { recursive: true, force: true });
}
