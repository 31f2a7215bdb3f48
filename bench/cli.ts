/**
 * The CLI benchmark (`npm run bench`): kelviq-catalog measured as users run it, a new Node process per command
 * (`node bin/kelviq-catalog.js …` on the built dist/), on generated YAML catalogs, against the emulator in a
 * process of its own with 20 ms of latency per request. Every figure is measured in the run that prints it,
 * beside its target and the ratio:
 *
 *   (a) `plan`, no changes, 500 plans × 15 of 100 features × 3 prices (0.63 MB, 22,000 lines, 3 files), default concurrency: wall time against
 *       the latency bound (minimum requests / concurrency × latency) and against `--concurrency 1`; requests as
 *       counted by the emulator against the minimum the API allows;
 *   (b) `validate` of 2,000 plans × 15 entitlements against the `yaml` package alone parsing the same files with
 *       positions, also as a process (bench/yaml-floor.mjs), interleaved with it;
 *   (c) peak RSS of both, from `/usr/bin/time` (GNU time's maximum resident set size of the child);
 *   (d) a scaling table at 100, 500 and 2,000 plans (5,000 too with `--full` or BENCH_FULL=1).
 *
 * Beside (a), two floors, interleaved with it (bench/wire-floor.mjs): the machine's (a bare undici client sending
 * as many GETs to a trivial server with the same latency) and the emulator's (the same client replaying the very
 * requests the plan sent, against the same emulator), with the latter's peak RSS: what the reads alone cost.
 *
 * Wall is the median of BENCH_RUNS runs (default 3) for (a) and (b), one run elsewhere; CPU is user + system
 * time of the process. The emulator is seeded through the library at 0 ms latency, then set to 20 ms.
 * Exits 1 when a target is missed (a benchmark, never part of `npm test`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KelviqClient } from '../src/client/index.js';
import { applyPlan, computePlan } from '../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY } from '../src/emulator/index.js';
import { catalogToFiles } from '../src/schema/write/index.js';
import { DEFAULT_CONCURRENCY } from '../src/cli/options.js';
import type { Catalog } from '../src/schema/model.js';
import { generateCatalog } from './generate-catalog.js';
import { spawnEmulator } from './spawn-emulator.js';
import { ENTITLEMENTS as VALIDATE_ENTITLEMENTS, writeValidationCatalog } from './validation-catalog.js';

const LATENCY_MS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FULL = process.argv.includes('--full') || process.env.BENCH_FULL === '1';
const SIZES = FULL ? [100, 500, 2_000, 5_000] : [100, 500, 2_000];
const PLAN_FEATURES = 100;
const PLAN_ENTITLEMENTS = 15;
const PLAN_PRICES = 3;
const TIME = '/usr/bin/time';
const BIN = new URL('../bin/kelviq-catalog.js', import.meta.url).pathname;
const FLOOR = new URL('./yaml-floor.mjs', import.meta.url).pathname;
const WIRE_FLOOR = new URL('./wire-floor.mjs', import.meta.url).pathname;

if (!existsSync(TIME)) {
  process.stderr.write(`${TIME} is needed for peak RSS and CPU of the child processes (Debian package "time").\n`);
  process.exit(1);
}
if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  process.stderr.write('dist/ is not built: run `npm run build` (npm run bench does).\n');
  process.exit(1);
}

interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  code: number | null;
  stderr: string;
}

const scratch = await mkdtemp(join(tmpdir(), 'kelviq-catalog-cli-bench-'));
let timeFiles = 0;

/** One child process under GNU time: wall from here, CPU (user + sys) and peak RSS from time's report. */
async function timed(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  const report = join(scratch, `time-${timeFiles++}.txt`);
  const child = spawn(TIME, ['-f', '%U %S %M', '-o', report, process.execPath, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const last = (await readFile(report, 'utf8')).trim().split('\n').pop() ?? '';
  const [user, sys, maxKb] = last.split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000, rssMb: (maxKb ?? NaN) / 1024, code, stderr };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function medianRun(runs: ProcessRun[]): ProcessRun {
  return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: median(runs.map((r) => r.rssMb)), code: runs[0]!.code, stderr: '' };
}

function expectExit(run: ProcessRun, expected: number, what: string): void {
  if (run.code !== expected) throw new Error(`${what} exited ${run.code}, expected ${expected}:\n${run.stderr.slice(0, 2000)}`);
}

// ---- plan

const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
/**
 * Requests a no-change plan cannot do without: three lists, settings per product, entitlements and prices per
 * plan, and (the plans being published, so they may have customers) the subscriptions list for customer impact,
 * one page here (the emulator holds no subscriptions).
 */
const minimumPlanRequests = (c: Catalog) =>
  pages(c.products.length) + pages(c.features.length) + pages(c.plans.length) + c.products.length + 2 * c.plans.length + 1;

interface PlanMeasure {
  plans: number;
  bytes: number;
  lines: number;
  minimum: number;
  concurrent: ProcessRun;
  concurrentRequests: number;
  sequential?: ProcessRun;
  sequentialRequests?: number;
  /** The machine's floor for the same number of requests, as a process (bench/wire-floor.mjs). */
  wireFloor?: ProcessRun;
  /** The same requests as the plan's, replayed by a bare client against the same emulator (bench/wire-floor.mjs replay). */
  replayFloor?: ProcessRun;
}

async function control(url: string, path: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(`/__emulator/${path}`, url), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status}`);
  return response.json();
}

async function requestsSinceClear(url: string): Promise<number> {
  const log = (await control(url, 'log', 'GET')) as { counts: Record<string, number> };
  return Object.values(log.counts).reduce((sum, n) => sum + n, 0);
}

/** The requests since the log was cleared, as `/api/v1…` paths with their query, in the order they started. */
async function requestPathsSinceClear(url: string): Promise<string[]> {
  const log = (await control(url, 'log', 'GET')) as { entries: Array<{ method: string; path: string; query: Record<string, string>; startedAt: string; seq: number }> };
  const apiRoot = new URL(url).pathname.replace(/\/$/, '');
  return [...log.entries]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.seq - b.seq)
    .map((entry) => {
      if (entry.method !== 'GET') throw new Error(`a no-change plan sent ${entry.method} ${entry.path}`);
      const query = new URLSearchParams(entry.query).toString();
      return `${apiRoot}${entry.path}${query ? `?${query}` : ''}`;
    });
}

async function measurePlan(plans: number, options: { runs: number; sequential: boolean }): Promise<PlanMeasure> {
  const catalog = generateCatalog({ plans, entitlementsPerPlan: PLAN_ENTITLEMENTS, pricesPerPlan: PLAN_PRICES, features: PLAN_FEATURES });
  const directory = join(scratch, `plan-${plans}`);
  let bytes = 0;
  let lines = 0;
  for (const file of catalogToFiles(catalog, { directory })) {
    await mkdir(dirname(join(directory, file.path)), { recursive: true });
    await writeFile(join(directory, file.path), file.text);
    bytes += Buffer.byteLength(file.text);
    lines += file.text.split('\n').length - 1;
  }
  const emulator = await spawnEmulator({ latencyMs: 0 });
  try {
    // Seed: the catalog applied and published through the library, without latency (not measured). Published,
    // as a catalog in use is: an unpublished plan is a pending change to `plan --detailed-exitcode`.
    const client = new KelviqClient({ baseUrl: emulator.url, apiKey: EMULATOR_DEFAULT_KEY, concurrency: 8 });
    try {
      const computed = await computePlan({ client, catalog, environment: 'sandbox', decisions: { publish: true } });
      const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox', concurrency: 8 });
      if (result.failed.length) throw result.failed[0]?.error;
    } finally {
      await client.close();
    }
    await control(emulator.url, 'config', 'POST', { latencyMs: LATENCY_MS });
    const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: EMULATOR_DEFAULT_KEY };
    const planOnce = async (concurrency?: number) => {
      await control(emulator.url, 'log', 'DELETE');
      const args = [BIN, 'plan', '--catalog', directory, '--detailed-exitcode', ...(concurrency ? ['--concurrency', String(concurrency)] : [])];
      const run = await timed(args, env);
      expectExit(run, 0, `plan of ${plans} plans (exit 0 = no changes)`);
      return { run, requests: await requestsSinceClear(emulator.url) };
    };
    const concurrentRuns = [];
    const floorRuns = [];
    const replayRuns = [];
    const minimum = minimumPlanRequests(catalog);
    const floorServer = options.sequential ? await startWireFloorServer() : undefined;
    const replayFile = join(scratch, `replay-${plans}.json`);
    try {
      // Interleaved with the floors, so a busy moment on the shared machine falls on all alike.
      for (let i = 0; i < options.runs; i++) {
        concurrentRuns.push(await planOnce());
        if (!floorServer) continue;
        if (i === 0) await writeFile(replayFile, JSON.stringify(await requestPathsSinceClear(emulator.url)));
        floorRuns.push(await timed([WIRE_FLOOR, 'client', floorServer.port, String(minimum), String(DEFAULT_CONCURRENCY)]));
        const replay = await timed([WIRE_FLOOR, 'replay', new URL(emulator.url).origin, String(DEFAULT_CONCURRENCY), replayFile], env);
        expectExit(replay, 0, 'replay floor');
        replayRuns.push(replay);
      }
    } finally {
      floorServer?.stop();
    }
    const measure: PlanMeasure = {
      plans,
      bytes,
      lines,
      minimum,
      concurrent: medianRun(concurrentRuns.map((r) => r.run)),
      concurrentRequests: Math.max(...concurrentRuns.map((r) => r.requests)),
      ...(floorRuns.length ? { wireFloor: medianRun(floorRuns) } : {}),
      ...(replayRuns.length ? { replayFloor: medianRun(replayRuns) } : {}),
    };
    if (options.sequential) {
      const sequential = await planOnce(1);
      measure.sequential = sequential.run;
      measure.sequentialRequests = sequential.requests;
    }
    return measure;
  } finally {
    await emulator.stop();
  }
}

/** The trivial server of the wire floor, in its own process, with the emulator's latency. */
async function startWireFloorServer(): Promise<{ port: string; stop(): void }> {
  const child = spawn(process.execPath, [WIRE_FLOOR, 'serve', String(LATENCY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`wire floor server exited with ${code}`)));
  });
  return { port, stop: () => void child.kill('SIGTERM') };
}

// ---- validate

interface ValidateMeasure {
  plans: number;
  bytes: number;
  cli: ProcessRun;
  floor: ProcessRun;
}

async function measureValidate(plans: number, runs: number): Promise<ValidateMeasure> {
  const directory = join(scratch, `validate-${plans}`);
  const { bytes } = await writeValidationCatalog(directory, plans);
  const cliRuns: ProcessRun[] = [];
  const floorRuns: ProcessRun[] = [];
  // Interleaved, so a busy moment on the shared machine falls on both alike.
  for (let i = 0; i < runs; i++) {
    const floor = await timed([FLOOR, directory]);
    expectExit(floor, 0, 'yaml floor');
    floorRuns.push(floor);
    const cli = await timed([BIN, 'validate', '--catalog', directory]);
    expectExit(cli, 0, `validate of ${plans} plans`);
    cliRuns.push(cli);
  }
  return { plans, bytes, cli: medianRun(cliRuns), floor: medianRun(floorRuns) };
}

// ---- run and report

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
interface Verdict {
  name: string;
  measured: string;
  target: string;
  ratio: string;
  met: boolean;
}
const verdicts: Verdict[] = [];
const check = (name: string, measured: string, target: string, ratio: number, met: boolean) =>
  verdicts.push({ name, measured, target, ratio: `${ratio.toFixed(2)}x`, met });

try {
  process.stdout.write(
    `kelviq-catalog as a process (node ${process.version}, ${BIN.replace(process.cwd() + '/', '')} on dist/), emulator in its own process, ${LATENCY_MS} ms latency; ` +
      `median of ${RUNS} runs for (a) and (b)\n`,
  );
  const planMeasures = new Map<number, PlanMeasure>();
  const validateMeasures = new Map<number, ValidateMeasure>();
  for (const plans of SIZES) {
    process.stderr.write(`plan, ${plans} plans…\n`);
    planMeasures.set(plans, await measurePlan(plans, { runs: plans === 500 ? RUNS : 1, sequential: plans === 500 }));
    process.stderr.write(`validate, ${plans} plans…\n`);
    validateMeasures.set(plans, await measureValidate(plans, plans === 2_000 ? RUNS : 1));
  }

  const plan500 = planMeasures.get(500)!;
  const bound = (plan500.minimum / DEFAULT_CONCURRENCY) * LATENCY_MS;
  const wallRatio = plan500.concurrent.wallMs / bound;
  check(
    `(a) plan 500, concurrency ${DEFAULT_CONCURRENCY}: wall / latency bound`,
    `${s(plan500.concurrent.wallMs)} / ${s(bound)}`,
    '≤ 1.30x',
    wallRatio,
    wallRatio <= 1.3,
  );
  const floor = plan500.wireFloor!;
  expectExit(floor, 0, 'wire floor');
  process.stdout.write(
    `\nmachine floor for (a), as a process: bare Node + undici Pool, ${plan500.minimum} GETs at concurrency ${DEFAULT_CONCURRENCY} to a trivial server ` +
      `answering after ${LATENCY_MS} ms: ${s(floor.wallMs)} = ${(floor.wallMs / bound).toFixed(2)}x the latency bound; plan 500 is ` +
      `${(plan500.concurrent.wallMs / floor.wallMs).toFixed(2)}x that floor\n`,
  );
  const replay = plan500.replayFloor!;
  process.stdout.write(
    `floor of (a) against the same emulator, as a process: the same bare client replaying the plan's ${plan500.minimum} GETs, in the order ` +
      `the plan sent them, none waiting for another, parsing each body and keeping nothing: ${s(replay.wallMs)} = ` +
      `${(replay.wallMs / bound).toFixed(2)}x the latency bound, peak RSS ${replay.rssMb.toFixed(0)} MB; plan 500 is ` +
      `${(plan500.concurrent.wallMs / replay.wallMs).toFixed(2)}x that floor in wall and ${(plan500.concurrent.rssMb / replay.rssMb).toFixed(2)}x in RSS\n`,
  );
  const speedUp = plan500.sequential!.wallMs / plan500.concurrent.wallMs;
  check(
    `(a) plan 500: concurrency 1 / concurrency ${DEFAULT_CONCURRENCY}`,
    `${s(plan500.sequential!.wallMs)} / ${s(plan500.concurrent.wallMs)}`,
    '≥ 5.00x',
    speedUp,
    speedUp >= 5,
  );
  for (const [label, requests] of [
    [`concurrency ${DEFAULT_CONCURRENCY}`, plan500.concurrentRequests],
    ['concurrency 1', plan500.sequentialRequests!],
  ] as const) {
    check(`(a) plan 500, ${label}: requests / minimum`, `${requests} / ${plan500.minimum}`, '= 1.00x', requests / plan500.minimum, requests === plan500.minimum);
  }
  const validate2000 = validateMeasures.get(2_000)!;
  const floorRatio = validate2000.cli.wallMs / validate2000.floor.wallMs;
  check(
    `(b) validate 2,000 x ${VALIDATE_ENTITLEMENTS}: wall / yaml parse alone`,
    `${s(validate2000.cli.wallMs)} / ${s(validate2000.floor.wallMs)}`,
    '≤ 1.20x',
    floorRatio,
    floorRatio <= 1.2,
  );
  check('(c) peak RSS, plan 500', `${plan500.concurrent.rssMb.toFixed(0)} MB`, '≤ 120 MB', plan500.concurrent.rssMb / 120, plan500.concurrent.rssMb <= 120);
  check(
    `(c) peak RSS, validate 2,000 x ${VALIDATE_ENTITLEMENTS}`,
    `${validate2000.cli.rssMb.toFixed(0)} MB`,
    '≤ 250 MB',
    validate2000.cli.rssMb / 250,
    validate2000.cli.rssMb <= 250,
  );

  process.stdout.write(
    `\nplan catalog: 500 plans x ${PLAN_ENTITLEMENTS} of ${PLAN_FEATURES} features x ${PLAN_PRICES} prices, ${mb(plan500.bytes)}, ${plan500.lines} lines; ` +
      `validate catalog: 2,000 plans x ${VALIDATE_ENTITLEMENTS} entitlements, ${mb(validate2000.bytes)}\n`,
  );
  console.table(verdicts.map((v) => ({ target: v.name, measured: v.measured, 'target ratio': v.target, ratio: v.ratio, '': v.met ? 'met' : 'MISSED' })));

  process.stdout.write(`\nscaling (one run per size; 500 and 2,000 are the medians above)${FULL ? '' : '; 5,000 with --full'}\n`);
  console.table(
    SIZES.map((plans) => {
      const p = planMeasures.get(plans)!;
      const v = validateMeasures.get(plans)!;
      return {
        plans,
        'plan wall s': (p.concurrent.wallMs / 1000).toFixed(2),
        'plan CPU s': (p.concurrent.cpuMs / 1000).toFixed(2),
        'plan RSS MB': Math.round(p.concurrent.rssMb),
        requests: p.concurrentRequests,
        minimum: p.minimum,
        'plan wall / bound': (p.concurrent.wallMs / ((p.minimum / DEFAULT_CONCURRENCY) * LATENCY_MS)).toFixed(2),
        'validate MiB': (v.bytes / 1024 / 1024).toFixed(2),
        'validate wall s': (v.cli.wallMs / 1000).toFixed(2),
        'validate CPU s': (v.cli.cpuMs / 1000).toFixed(2),
        'validate RSS MB': Math.round(v.cli.rssMb),
        'yaml alone s': (v.floor.wallMs / 1000).toFixed(2),
        'validate / yaml': (v.cli.wallMs / v.floor.wallMs).toFixed(2),
      };
    }),
  );
  const missed = verdicts.filter((v) => !v.met);
  process.stdout.write(missed.length ? `\nMISSED: ${missed.map((v) => v.name).join('; ')}\n` : '\nall targets met\n');
  if (missed.length) process.exitCode = 1;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
