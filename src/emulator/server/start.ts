/**
 * The emulator over real HTTP: node:http on loopback, each request turned into a Fetch `Request` and answered
 * by the catalog's Fetch handler (`api/handlers.ts`). Around that, in order: the request log, the first half of the
 * injected latency, the rate limit, the fault schedule (before or after the handlers run), the second half.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApiAnswerer, createApiHandler, type ApiHandler } from '../api/handlers.js';
import { API_BASE_PATH, matchTemplate } from '../api/routes.js';
import type { PublishRecord } from '../model/records.js';
import { CatalogStore } from '../model/store.js';
import { EMULATOR_DEFAULTS, SERVER_VALUES_MODES, type ServerValues } from '../model/server-values.js';
import { specExampleValues } from '../model/spec-example-values.js';
import { withExtraFields } from '../api/extra-fields.js';
import { exportSeed, loadSeedInto, readSeedFile } from '../seed/load.js';
import type { SeedDocument } from '../seed/schema.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { FaultSchedule, type ScheduledFault } from './faults.js';
import { readBody, resetConnection, sendAnswer, sendJson, toApiRequest } from './node-bridge.js';
import {
  EMULATOR_DEFAULT_KEY,
  runtimeSettingsFrom,
  type EmulatorConfig,
  type EmulatorModes,
  type EmulatorOptions,
  type RandomFaults,
  type RuntimeSettings,
  type TargetedFault,
} from './options.js';
import { TokenBucket } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { sendServerError, sendThrottled } from './transport-faults.js';

export interface RunningEmulator {
  /** Base URL including `/api/v1`, e.g. `http://127.0.0.1:53011/api/v1`. */
  readonly url: string;
  /** `http://127.0.0.1:53011`; the control surface lives at `${origin}/__emulator/`. */
  readonly origin: string;
  readonly port: number;
  readonly apiKey: string;
  /** The live catalog, for tests to inspect or arrange directly. */
  readonly store: CatalogStore;
  readonly requestLog: RequestLog;
  /** Every successful publish (identifier, version, updateFeatures, updatePricing), oldest first. */
  readonly publishLog: readonly PublishRecord[];
  /**
   * The API this emulator serves (sharing its store) as a Fetch handler, without the HTTP server, the latency,
   * the rate limit or the faults: e.g. for msw's `setupServer`, `http.all('*', ({ request }) => emulator.handle(request))`.
   */
  readonly handle: ApiHandler;
  config(): EmulatorConfig;
  configure(settings: Partial<RuntimeSettings>): EmulatorConfig;
  setLatency(latencyMs: number, jitterMs?: number): void;
  /** null or 0 turns the limit off. */
  setRateLimit(rps: number | null): void;
  setBillingProviderConnected(connected: boolean): void;
  injectFaults(...faults: TargetedFault[]): void;
  setRandomFaults(config: RandomFaults | null): void;
  clearFaults(): void;
  /** Replaces the catalog with a seed document (see `seed/schema.ts`); throws SeedError when it is invalid. */
  loadSeed(seed: unknown): void;
  exportSeed(): SeedDocument;
  /** Back to the starting catalog (the seed given at start, else empty); clears logs and faults, keeps knobs. */
  reset(): void;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? EMULATOR_DEFAULT_KEY;
  const initialSeed = options.seed ?? (options.seedFile ? await readSeedFile(options.seedFile) : undefined);
  const modes = modesFrom(options);
  const store = new CatalogStore(serverValuesFor(modes.serverValues));
  if (initialSeed !== undefined) loadSeedInto(store, initialSeed);

  const settings = runtimeSettingsFrom(options);
  let bucket = settings.rateLimitRps ? new TokenBucket(settings.rateLimitRps) : null;
  const faults = new FaultSchedule();
  faults.add(options.faults ?? []);
  faults.setRandom(options.randomFaults ?? null);
  const requestLog = new RequestLog(options.requestLogLimit);
  const handlerOptions = {
    store,
    apiKey: () => apiKey,
    runtime: { billingProviderConnected: () => settings.billingProviderConnected },
    ...(modes.extraFields ? { transformReply: withExtraFields } : {}),
  };
  // The same API twice: as a plain function for the HTTP server, and as a Fetch handler for msw and the like.
  const answer = createApiAnswerer(handlerOptions);
  const handle = createApiHandler(handlerOptions);
  const pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (pendingDelays.delete(entry), resolve()), ms), resolve };
      pendingDelays.add(entry);
    });

  const configure = (patch: Partial<RuntimeSettings>): EmulatorConfig => {
    if (patch.latencyMs !== undefined) settings.latencyMs = patch.latencyMs;
    if (patch.jitterMs !== undefined) settings.jitterMs = patch.jitterMs;
    if (patch.billingProviderConnected !== undefined) settings.billingProviderConnected = patch.billingProviderConnected;
    if (patch.rateLimitRps !== undefined) {
      settings.rateLimitRps = patch.rateLimitRps || null;
      bucket = settings.rateLimitRps ? new TokenBucket(settings.rateLimitRps) : null;
    }
    return emulator.config();
  };

  async function serveApi(request: IncomingMessage, out: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const path = url.pathname.slice(API_BASE_PATH.length);
    const template = matchTemplate(path)?.template ?? null;
    let fault: ScheduledFault | null = null;
    const finish = (status: number | null) =>
      requestLog.record({
        method,
        path,
        template,
        query: Object.fromEntries(url.searchParams),
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        startedAt: new Date(performance.timeOrigin + started).toISOString(),
        fault: fault?.kind ?? null,
      });

    // Latency is a round trip: half of it before the request "arrives", half after the answer leaves, so the
    // emulator's own processing (one thread, requests in turn) happens in the middle the way a server fleet's
    // does, instead of adding a queue that a real, parallel server would not have.
    const wait = settings.latencyMs + (settings.jitterMs ? Math.random() * settings.jitterMs : 0);
    if (wait > 0) await delay(wait / 2);
    const answerLeaves = async () => {
      const remaining = started + wait - performance.now();
      if (remaining > 0) await delay(remaining);
    };
    if (template && bucket) {
      const taken = bucket.take();
      if (!taken.allowed) {
        await answerLeaves();
        sendThrottled(out, taken.retryAfterSeconds);
        return void finish(429);
      }
    }
    fault = template ? faults.next(method, template) : null;
    if (fault?.kind === 'reset-before') {
      await answerLeaves();
      resetConnection(out);
      return void finish(null);
    }
    if (fault?.kind === 'error-before') {
      await answerLeaves();
      sendServerError(out, fault.status);
      return void finish(fault.status);
    }
    const answered = answer(toApiRequest(request, url, body));
    await answerLeaves();
    if (fault?.kind === 'commit-then-reset') {
      resetConnection(out);
      return void finish(null);
    }
    if (fault?.kind === 'commit-then-error') {
      sendServerError(out, 500);
      return void finish(500);
    }
    sendAnswer(answered, out);
    finish(answered.status);
  }

  const server = createServer((request, out) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? `${host}:${port}`}`);
      if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(emulator, request.method ?? 'GET', url.pathname, body, out);
      if (url.pathname.startsWith(`${API_BASE_PATH}/`)) return serveApi(request, out, url, body);
      sendJson(out, 404, { detail: 'Not found.' });
    })().catch((error: unknown) => {
      // A bug in the emulator must not look like a Kelviq answer: say so plainly.
      if (!out.headersSent) sendJson(out, 500, { detail: 'Emulator failure.', emulatorError: String(error) });
      else out.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const emulator: RunningEmulator = {
    url: `${origin}${API_BASE_PATH}`,
    origin,
    port,
    apiKey,
    store,
    requestLog,
    publishLog: store.publishLog,
    handle,
    config: () => ({ ...settings, ...modes, randomFaults: faults.randomConfig(), pendingFaults: faults.pending() }),
    configure,
    setLatency: (latencyMs, jitterMs) => void configure({ latencyMs, ...(jitterMs === undefined ? {} : { jitterMs }) }),
    setRateLimit: (rateLimitRps) => void configure({ rateLimitRps }),
    setBillingProviderConnected: (billingProviderConnected) => void configure({ billingProviderConnected }),
    injectFaults: (...list) => faults.add(list),
    setRandomFaults: (config) => faults.setRandom(config),
    clearFaults: () => faults.clear(),
    loadSeed: (seed) => loadSeedInto(store, seed),
    exportSeed: () => exportSeed(store),
    reset() {
      if (initialSeed === undefined) store.clear();
      else loadSeedInto(store, initialSeed);
      requestLog.clear();
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const pending of pendingDelays) {
          clearTimeout(pending.timer);
          pending.resolve();
        }
        pendingDelays.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
  return emulator;
}

function modesFrom(options: EmulatorOptions): EmulatorModes {
  const serverValues = options.serverValues ?? 'emulator-defaults';
  if (!SERVER_VALUES_MODES.includes(serverValues)) {
    throw new Error(`serverValues must be one of ${SERVER_VALUES_MODES.join(', ')}, got ${JSON.stringify(serverValues)}`);
  }
  return { serverValues, extraFields: options.extraFields ?? false };
}

function serverValuesFor(mode: EmulatorModes['serverValues']): ServerValues {
  return mode === 'spec-examples' ? specExampleValues() : EMULATOR_DEFAULTS;
}
