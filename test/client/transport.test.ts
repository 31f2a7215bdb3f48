import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KelviqApiError, KelviqClient, MAX_LIST_PAGES, RequestCounter, ResponseShapeError, UnknownOutcomeError } from '../../src/client/index.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const KEY = 'sk_test_canary_0123456789abcdef';
const page = (results: unknown[], count = results.length) => ({ count, next: null, previous: null, results });
const product = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, identifier: `p-${n}`, name: `P ${n}`, taxCode: 'saas' });

let server: ScriptedServer;
let client: KelviqClient;
let counter: RequestCounter;

beforeEach(async () => {
  server = await startScriptedServer();
  counter = new RequestCounter();
  client = new KelviqClient({ baseUrl: server.url, apiKey: KEY, baseBackoffMs: 5, maxBackoffMs: 20, onRequest: counter.record });
});

afterEach(async () => {
  await client.close();
  await server.close();
});

describe('requests', () => {
  test('sends the bearer key, JSON, and trailing-slash paths under the base URL prefix', async () => {
    server.script.push({ status: 201, body: product(1) });
    await client.createProduct({ name: 'P 1', taxCode: 'saas' });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/catalog/products/');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ name: 'P 1', taxCode: 'saas' });
  });

  test('entitlement PATCH/DELETE paths take the feature slug; the POST body takes its UUID', async () => {
    server.fallback = (r) => (r.method === 'DELETE' ? { status: 204 } : r.method === 'PATCH' ? { status: 200, body: { details: { value: 2 } } } : { status: 404 });
    await client.updateEntitlement('pro', 'api-calls', { value: 2 });
    await client.removeEntitlement('pro', 'api-calls');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /api/v1/catalog/plans/pro/features/api-calls/',
      'DELETE /api/v1/catalog/plans/pro/features/api-calls/',
    ]);
  });
});

describe('retries', () => {
  test('a 429 is retried after the Retry-After the server asked for, even for a create', async () => {
    server.script.push({ status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '1' } }, { status: 201, body: product(1) });
    const created = await client.createProduct({ name: 'P 1', taxCode: 'saas' });
    expect(created.identifier).toBe('p-1');
    expect(server.requests).toHaveLength(2);
    const waited = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(counter.retries).toBe(1);
  });

  test('a 429 halves the concurrency, and successes raise it again', async () => {
    const wide = new KelviqClient({ baseUrl: server.url, apiKey: KEY, concurrency: 8, baseBackoffMs: 1 });
    try {
      server.script.push({ status: 429, body: {}, headers: { 'retry-after': '0' } });
      server.fallback = () => ({ status: 200, body: page([]) });
      await wide.listProducts();
      expect(wide.transport.limiter.current).toBe(4);
      for (let i = 0; i < 30; i += 1) await wide.listProducts();
      expect(wide.transport.limiter.current).toBe(8);
    } finally {
      await wide.close();
    }
  });

  test('idempotent requests are retried on gateway errors and resets', async () => {
    server.script.push({ status: 503, raw: '<html><title>503 Service Unavailable</title></html>' }, { reset: true }, { status: 200, body: page([product(1)]) });
    const products = await client.listProducts();
    expect(products).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  test.each([
    ['a gateway error', { status: 502, raw: '<html><title>502 Bad Gateway</title></html>' }],
    ['a connection reset', { reset: true as const }],
  ])('a create is never retried blindly after %s: the outcome is unknown', async (_name, answer) => {
    server.script.push(answer);
    const error = await client.createPlan({ name: 'Pro', product: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect((error as Error).message).toMatch(/^POST \/catalog\/plans\/: outcome unknown/);
    expect(server.requests).toHaveLength(1);
  });

  test('a DELETE whose first attempt committed before a reset counts as done when the retry says 404', async () => {
    server.script.push({ reset: true }, { status: 404, body: { detail: 'Not found.' } });
    await expect(client.removeEntitlement('pro', 'seats')).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  test('gives up after the attempt budget with the last error', async () => {
    server.fallback = () => ({ status: 503, body: { detail: 'down' } });
    const error = await client.listFeatures().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KelviqApiError);
    expect((error as KelviqApiError).status).toBe(503);
    expect(server.requests).toHaveLength(6);
  });
});

describe('errors', () => {
  test('name method, path, status and the server message; never the key', async () => {
    server.script.push({ status: 401, body: { detail: 'Invalid token.' } });
    const error = (await client.listPlans().catch((e: unknown) => e)) as KelviqApiError;
    expect(error).toBeInstanceOf(KelviqApiError);
    expect(error.message).toMatch(/^GET \/catalog\/plans\/\?page=1&page_size=100 failed with 401: Invalid token\./);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(KEY);
  });

  test('the key is not reachable by inspecting or serialising the client', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(client.transport.limiter)).not.toContain(KEY);
  });

  test('an unexpected 2xx shape is a clear error naming the endpoint', async () => {
    server.script.push({ status: 200, body: { results: 'nope' } });
    const error = await client.listProducts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as Error).message).toMatch(/^GET \/catalog\/products\/\?page=1&page_size=100: unexpected response shape/);
  });

  test('a redirect is not followed, so the key never reaches another host', async () => {
    server.script.push({ status: 302, headers: { location: 'https://elsewhere.example/steal' } });
    const error = (await client.getFeature('f').catch((e: unknown) => e)) as KelviqApiError;
    expect(error.status).toBe(302);
    expect(error.message).toMatch(/unexpected redirect to https:\/\/elsewhere.example\/steal; not followed/);
    expect(server.requests).toHaveLength(1);
  });

  test('an oversized body is refused', async () => {
    const small = new KelviqClient({ baseUrl: server.url, apiKey: KEY, maxResponseBytes: 1024 });
    try {
      server.script.push({ status: 200, body: page(Array.from({ length: 50 }, (_, i) => product(i))) });
      await expect(small.listProducts()).rejects.toThrow(/response body larger than 1024 bytes/);
    } finally {
      await small.close();
    }
  });
});

describe('waits', () => {
  test('a Retry-After beyond the cap fails the request at once, naming the server\'s value', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // 86400: a silent day-long sleep. 99999999: overflowed the timer and busy-looped.
      for (const value of ['86400', '99999999']) {
        server.requests.length = 0;
        server.script.push({ status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': value } });
        const started = Date.now();
        await expect(client.listProducts()).rejects.toThrow(
          new RegExp(`^GET /catalog/products/\\?page=1&page_size=100 failed with 429: the server asked to wait "Retry-After: ${value}", longer than the 60 s`),
        );
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(server.requests).toHaveLength(1);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('interrupt() ends a Retry-After wait at once', async () => {
    server.script.push({ status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '30' } });
    const pending = client.listProducts();
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    client.interrupt();
    await expect(pending).rejects.toThrow(/GET \/catalog\/products\/\?page=1&page_size=100: not sent, the run was interrupted while it waited/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  /** A server that sends headers, then one byte every 40 ms forever: never silent long enough for bodyTimeout. */
  async function trickle() {
    const timers = new Set<NodeJS.Timeout>();
    const slow = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
      const timer = setInterval(() => response.write(' '), 40);
      timers.add(timer);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const close = () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        slow.closeAllConnections();
        slow.close(() => resolve());
      });
    return { url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/api/v1`, close };
  }

  test('an attempt is cut at timeoutMs overall, even when the body keeps trickling in', async () => {
    const slow = await trickle();
    const impatient = new KelviqClient({ baseUrl: slow.url, apiKey: KEY, timeoutMs: 300, maxAttempts: 2, baseBackoffMs: 1 });
    try {
      const started = Date.now();
      await expect(impatient.listProducts()).rejects.toThrow(/^GET \/catalog\/products\/\?page=1&page_size=100 failed after 2 attempt\(s\): timed out$/);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(580);
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await impatient.close();
      await slow.close();
    }
  });

  test('a server that never answers times out; attempts that finished in time are not aborted later', async () => {
    server.script.push({ status: 200, body: page([product(1)]) }, { delayMs: 5_000, then: { status: 200, body: page([]) } });
    const impatient = new KelviqClient({ baseUrl: server.url, apiKey: KEY, timeoutMs: 250, maxAttempts: 1 });
    try {
      expect(await impatient.listProducts()).toHaveLength(1);
      // The first attempt's deadline passes while the second waits: only the second is cut.
      const started = Date.now();
      await expect(impatient.listProducts()).rejects.toThrow(/failed after 1 attempt\(s\): timed out$/);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await impatient.close();
    }
  });
});

describe('pagination', () => {
  test('after the first page, the remaining pages are requested concurrently', async () => {
    const all = Array.from({ length: 260 }, (_, i) => product(i));
    server.fallback = (request) => {
      const url = new URL(request.url, 'http://x');
      const pageNumber = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('page_size'));
      const results = all.slice((pageNumber - 1) * size, pageNumber * size);
      const answer = { status: 200, body: { count: all.length, next: pageNumber * size < all.length ? 'http://x/next' : null, previous: null, results } };
      return pageNumber === 1 ? answer : { delayMs: 150, then: answer };
    };
    const started = Date.now();
    const products = await client.listProducts();
    const elapsed = Date.now() - started;
    expect(products.map((p) => p.identifier)).toEqual(all.map((p) => p.identifier));
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v1/catalog/products/?page=1&page_size=100',
      '/api/v1/catalog/products/?page=2&page_size=100',
      '/api/v1/catalog/products/?page=3&page_size=100',
    ]);
    // Pages 2 and 3 each take 150 ms; concurrently that is ~150 ms, one after the other ~300 ms.
    expect(elapsed).toBeLessThan(290);
  });

  /** A server holding `total` products that claims `count` of them and links `next` as told. */
  const lyingServer = (total: number, count: number, hasNext = (pageNumber: number, size: number) => pageNumber * size < total) =>
    (request: { url: string }) => {
      const url = new URL(request.url, 'http://x');
      const pageNumber = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('page_size'));
      const results = Array.from({ length: Math.max(0, Math.min(size, total - (pageNumber - 1) * size)) }, (_, i) => product((pageNumber - 1) * size + i));
      return { status: 200, body: { count, next: hasNext(pageNumber, size) ? 'http://x/next' : null, previous: null, results } };
    };

  test('an understated count is an error naming method, path and both numbers, never a truncated list', async () => {
    server.fallback = lyingServer(250, 100);
    await expect(client.listProducts()).rejects.toThrow(
      /^GET \/catalog\/products\/: inconsistent list: the server's count says 100 but its pages held 250/,
    );
    // next was followed past what count promised.
    expect(server.requests).toHaveLength(3);
  });

  test('an absurd count is checked, not trusted: no huge allocation, no "Invalid array length"', async () => {
    for (const count of [100_000_000, Number.MAX_SAFE_INTEGER]) {
      server.requests.length = 0;
      server.fallback = lyingServer(250, count);
      const started = Date.now();
      await expect(client.listProducts()).rejects.toThrow(new RegExp(`count says ${count} but its pages held 250`));
      expect(server.requests).toHaveLength(3);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  test('an overstated count, or a page that ends the list early, is an error', async () => {
    server.fallback = lyingServer(250, 300);
    await expect(client.listProducts()).rejects.toThrow(/count says 300 but its pages held 250/);
    server.fallback = lyingServer(300, 300, (pageNumber) => pageNumber === 1);
    await expect(client.listProducts()).rejects.toThrow(/page 2 has no next page, but count 300 promised 3 pages/);
    // Django answers a page past the end with 404.
    const honest = lyingServer(250, 400);
    server.fallback = (request) => (new URL(request.url, 'http://x').searchParams.get('page') === '4' ? { status: 404, body: { detail: 'Invalid page.' } } : honest(request));
    await expect(client.listProducts()).rejects.toThrow(/page 4 does not exist \(404\), but count 400 promised 4 pages/);
  });

  test('a next that never ends stops at the page cap with a clear error', async () => {
    server.fallback = lyingServer(MAX_LIST_PAGES * 200, 100, () => true);
    await expect(client.listProducts()).rejects.toThrow(new RegExp(`still a next page after ${MAX_LIST_PAGES} pages`));
    expect(server.requests).toHaveLength(MAX_LIST_PAGES);
  }, 60_000);
});
