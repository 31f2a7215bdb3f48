/**
 * `loadCatalogInWorker(path)`: `loadCatalog` on another core, so the main thread stays free while the catalog is
 * parsed and validated (1.2 s of CPU for a 500-plan catalog): `plan` keeps its HTTP reads flowing meanwhile.
 *
 * The worker (load-worker.ts) runs the same loader and posts back everything but the locator: YAML documents
 * cannot cross threads, so the locator crosses as a table (each file's text, each name's position) and is rebuilt
 * here, parsing a file again only when a pointer into it is first asked for. The answer is the one `loadCatalog`
 * gives: same catalog, policy, files, diagnostics in the same order, same locations.
 *
 * The worker entry is load-worker.js beside this module (dist/). Run from the TypeScript sources (vitest,
 * `node --import tsx`), there is only load-worker.ts: the worker then loads it through tsx. When there is no entry
 * to start, or it fails before it starts loading, the catalog is loaded here, on the main thread, instead (same
 * answer, later); `loadInWorker` says which happened. A failure while loading (an exception, the worker's memory
 * limit, an exit) is a rejection with the worker's message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { LoadResult } from './model.js';
import { loadCatalog, loadCatalogParts, loadLimits, type LoadedCatalog, type LoadOptions } from './load-catalog.js';
import { locatorFromTable, locatorTable, type LocatorTable } from './locator.js';

export interface LoadJob {
  path: string;
  options: LoadOptions;
  /**
   * Set to 1 by the worker as it starts loading (`announceStart`). A flag in shared memory, not a message: an
   * 'error' or 'exit' event can overtake a message posted just before it, and a worker that failed while loading
   * must be told apart from one that never started (which falls back to the main thread).
   */
  started?: Int32Array;
}

type Answer =
  | { type: 'loaded'; result: LoadedCatalog['result']; locator: LocatorTable }
  | { type: 'failed'; error: { name: string; message: string; stack?: string; code?: unknown } };

/**
 * The worker's heap. A small young generation: the loader's garbage is short-lived, and Node's default young
 * generation only adds resident memory beside the main thread's (bench/load-in-worker.ts, 500-plan catalog, peak
 * RSS of the process: default 135-147 MB, 16 MB 135, 8 MB 122, 4 MB 116-121, 2 MB 114, on the main thread 117;
 * load wall the same within noise). The old generation is not capped below Node's default: the largest catalog
 * the load limits allow needs a few hundred MB. The stack is the main thread's (V8's 984 KB, plus the 192 KB Node
 * keeps in reserve in a worker): the YAML parser recurses per nesting level, and a file that overflows it must
 * give the same diagnostic, at the same place, in both. (With a worker's default 4 MB, the 5,000-line block list
 * inside [ … ] of the tests does not overflow: a yaml-syntax error and 41 yaml-nesting-depth errors instead of
 * one yaml-nesting-depth.)
 */
export const WORKER_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 4, stackSizeMb: (984 + 192) / 1024 };

export interface WorkerLoad {
  result: LoadResult;
  /** Where the catalog was loaded: 'main' when the worker could not be started (then `fallback` says why). */
  thread: 'worker' | 'main';
  fallback?: string;
}

export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/** The worker's entry: the compiled one beside this module, or the TypeScript one through tsx. */
export function loadWorkerEntry(): WorkerEntry | string {
  const compiled = new URL('./load-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled, execArgv: [] };
  const source = new URL('./load-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) return `no ${fileURLToPath(compiled)}`;
  return typescriptEntry(source);
}

/**
 * A TypeScript worker entry (run from the sources): the worker starts on a small module that registers tsx
 * (its `tsx/esm/api`), then imports the entry. Node 20 does not apply loaders given in a worker's `execArgv` to
 * the worker, and tsx's `--import` entry registers itself on the main thread only.
 */
export function typescriptEntry(url: URL): WorkerEntry | string {
  let api: string;
  try {
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
    api = new URL(exports['./esm/api']!.import!.default!, pathToFileURL(manifest)).href;
  } catch {
    return `${fileURLToPath(url)} needs tsx (its tsx/esm/api), which is not installed`;
  }
  const bootstrap = `const { register } = await import(${JSON.stringify(api)});\nregister();\nawait import(${JSON.stringify(url.href)});\n`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), execArgv: [] };
}

export async function loadCatalogInWorker(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  return (await loadInWorker(path, options)).result;
}

/** `loadCatalogInWorker`, and where it ran; `entry` and `resourceLimits` for tests. */
export async function loadInWorker(
  path: string,
  options: LoadOptions = {},
  how: { entry?: WorkerEntry | string; resourceLimits?: ResourceLimits } = {},
): Promise<WorkerLoad> {
  const entry = how.entry ?? loadWorkerEntry();
  const inProcess = async (fallback: string): Promise<WorkerLoad> => ({ result: await loadCatalog(path, options), thread: 'main', fallback });
  if (typeof entry === 'string') return inProcess(entry);

  const started = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const job: LoadJob = { path, options, started };
  let worker: Worker;
  try {
    worker = new Worker(entry.url, { workerData: job, execArgv: entry.execArgv, resourceLimits: how.resourceLimits ?? WORKER_RESOURCE_LIMITS });
  } catch (cause) {
    return inProcess(`the worker could not be created: ${(cause as Error).message}`);
  }
  const answer = await new Promise<Answer | { type: 'not-started'; reason: string }>((resolve, reject) => {
    const hasStarted = () => Atomics.load(started, 0) === 1;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      // The worker has posted (or died): its heap goes now, not when the process exits.
      void worker.terminate();
      fn();
    };
    worker.on('message', (message: Answer) => settle(() => resolve(message)));
    worker.on('messageerror', (cause) => settle(() => reject(cause)));
    worker.on('error', (thrown: unknown) => {
      const cause = thrown instanceof Error ? thrown : new Error(String(thrown)); // `throw 'text'` in the worker
      settle(() => (hasStarted() ? reject(cause) : resolve({ type: 'not-started', reason: cause.message })));
    });
    worker.on('exit', (code) => {
      const message = `the catalog loader worker exited with code ${code} before answering`;
      settle(() => (hasStarted() ? reject(new Error(message)) : resolve({ type: 'not-started', reason: message })));
    });
  });
  switch (answer.type) {
    case 'not-started':
      return inProcess(`the worker did not start: ${answer.reason}`);
    case 'failed': {
      // The worker's error, as far as it crosses: message, name, stack (the worker's), code.
      const { name, message, stack, code } = answer.error;
      const error = new Error(message);
      error.name = name;
      if (stack) error.stack = stack;
      if (code !== undefined) Object.assign(error, { code });
      throw error;
    }
    case 'loaded':
      return { result: resultOfLoaded(answer, options), thread: 'worker' };
    default:
      throw new Error(`the catalog loader worker answered ${(answer as { type: string }).type}`);
  }
}

export type LoadedAnswer = Extract<Answer, { type: 'loaded' }>;

/** What the worker posts for a catalog it loaded: all of it but the locator, and the locator as a table. */
export function loadedAnswer({ result, firstDeclarations, texts }: LoadedCatalog): LoadedAnswer {
  return { type: 'loaded', result, locator: locatorTable(firstDeclarations, texts) };
}

/** What `loadCatalog` would have returned, from the worker's answer (the locator rebuilt, lazily). */
export function resultOfLoaded(answer: LoadedAnswer, options: LoadOptions): LoadResult {
  const { diagnostics, files, ...valid } = answer.result;
  return { diagnostics, locations: locatorFromTable(answer.locator, loadLimits(options)), files, ...valid };
}

/**
 * The worker's side: marks itself started, loads, posts the result (or the failure, with its message) once. `load` is
 * the loader (tests replace it).
 */
export async function serveLoad(port: MessagePort, job: LoadJob, load: typeof loadCatalogParts = loadCatalogParts): Promise<void> {
  const post = (answer: Answer) => port.postMessage(answer);
  announceStart(job);
  try {
    post(loadedAnswer(await load(job.path, job.options)));
  } catch (cause) {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    post({ type: 'failed', error: { name: error.name, message: error.message, stack: error.stack, code: (error as { code?: unknown }).code } });
  }
}

/** The worker's side: from here on, a failure is the load's failure, not a worker that could not start. */
export function announceStart(job: LoadJob): void {
  if (job.started) Atomics.store(job.started, 0, 1);
}
