/** Runtime knobs: rate limit, latency, the fault schedule, the request log, the control surface, close(). */
import { describe, expect, test } from 'vitest';
import { EMULATOR_DEFAULT_KEY, startEmulator, type RandomFaults } from '../../src/emulator/index.js';
import { emulatorHttp } from '../helpers/emulator-http.js';
import { createProduct, expectStatus, flatPrice, useEmulator } from './fixtures.js';

const env = useEmulator();
const productCount = () => env.emulator.store.products.size;

describe('rate limit', () => {
  test('above the limit: 429, an integer Retry-After, a DRF throttle body; within it: normal answers', async () => {
    env.emulator.setRateLimit(2);
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push(await env.api.get('/catalog/products/'));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    const limited = statuses[2]!;
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
    env.emulator.setRateLimit(null);
    expect((await env.api.get('/catalog/products/')).status).toBe(200);
  });

  test('Retry-After is the seconds until a token is free, rounded up', async () => {
    env.emulator.setRateLimit(0.25);
    expect((await env.api.get('/catalog/products/')).status).toBe(200);
    const limited = await env.api.get('/catalog/products/');
    expect([limited.status, limited.headers['retry-after'], limited.body.detail]).toEqual([429, '4', 'Request was throttled. Expected available in 4 seconds.']);
  });

  test('a throttled write does not happen', async () => {
    env.emulator.setRateLimit(1);
    await createProduct(env.api);
    const second = await env.api.post('/catalog/products/', { name: 'Other', taxCode: 'saas' });
    expect(second.status).toBe(429);
    expect(productCount()).toBe(1);
  });
});

describe('latency', () => {
  test('latencyMs delays every API answer; jitter adds at most jitterMs', async () => {
    env.emulator.setLatency(80, 20);
    const started = performance.now();
    expect((await env.api.get('/catalog/products/')).status).toBe(200);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(78);
    expect(elapsed).toBeLessThan(600);
    expect(env.emulator.requestLog.entries.at(-1)?.durationMs).toBeGreaterThanOrEqual(79);
    env.emulator.setLatency(0, 0);
    expect(env.emulator.config()).toMatchObject({ latencyMs: 0, jitterMs: 0 });
  });
});

describe('faults', () => {
  test('error-before 503: answered without processing, once', async () => {
    env.emulator.injectFaults({ kind: 'error-before', method: 'POST', pathTemplate: '/catalog/products/', status: 503 });
    const failed = await env.api.post('/catalog/products/', { name: 'Acme', taxCode: 'saas' });
    expect([failed.status, failed.body]).toEqual([503, { detail: 'Service temporarily unavailable, try again later.' }]);
    expect(productCount()).toBe(0);
    await createProduct(env.api);
    expect(productCount()).toBe(1);
  });

  test('error-before 502 answers an HTML proxy page; 500 answers JSON', async () => {
    env.emulator.injectFaults({ kind: 'error-before', status: 502 }, { kind: 'error-before' });
    const gateway = await env.api.get('/catalog/products/');
    expect([gateway.status, gateway.headers['content-type'], gateway.text]).toEqual([502, 'text/html; charset=utf-8', expect.stringContaining('<h1>502 Bad Gateway</h1>')]);
    const server = await env.api.get('/catalog/products/');
    expect([server.status, server.body]).toEqual([500, { detail: 'A server error occurred.' }]);
    expect((await env.api.get('/catalog/products/')).status).toBe(200);
  });

  test('reset-before destroys the connection and nothing is written', async () => {
    env.emulator.injectFaults({ kind: 'reset-before', method: 'POST' });
    await expect(env.api.post('/catalog/products/', { name: 'Acme', taxCode: 'saas' })).rejects.toThrow();
    expect(productCount()).toBe(0);
    expect(env.emulator.requestLog.entries.at(-1)).toMatchObject({ method: 'POST', status: null, fault: 'reset-before' });
  });

  test('commit-then-error: the write really happened, the client got a 500', async () => {
    env.emulator.injectFaults({ kind: 'commit-then-error', method: 'POST', pathTemplate: '/api/v1/catalog/products/' });
    const response = await env.api.post('/catalog/products/', { name: 'Acme', identifier: 'acme', taxCode: 'saas' });
    expect([response.status, response.body]).toEqual([500, { detail: 'A server error occurred.' }]);
    const list = await expectStatus(env.api.get('/catalog/products/'), 200);
    expect(list.results.map((p: any) => p.identifier)).toEqual(['acme']);
    // A blind retry of the create now fails: that is what a sync engine must look before.
    expect((await env.api.post('/catalog/products/', { name: 'Acme', identifier: 'acme', taxCode: 'saas' })).status).toBe(400);
  });

  test('commit-then-reset: the write really happened, the connection died', async () => {
    const product = await createProduct(env.api);
    await expectStatus(env.api.post('/catalog/plans/', { name: 'Pro', identifier: 'pro', product: product.id }), 201);
    env.emulator.injectFaults({ kind: 'commit-then-reset', pathTemplate: '/catalog/plans/{identifier}/prices/bulk/' });
    await expect(env.api.post('/catalog/plans/pro/prices/bulk/', { prices: [flatPrice(10)] })).rejects.toThrow();
    expect((await expectStatus(env.api.get('/catalog/plans/pro/prices/'), 200)).count).toBe(1);
  });

  test('targeted faults match method and template, and fire `times` times', async () => {
    await createProduct(env.api);
    env.emulator.injectFaults({ kind: 'error-before', method: 'PATCH', pathTemplate: '/catalog/products/{pk}/', times: 2 });
    expect((await env.api.get('/catalog/products/')).status).toBe(200);
    const id = [...env.emulator.store.products.keys()][0];
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await env.api.patch(`/catalog/products/${id}/`, { name: `n${index}` })).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(env.emulator.config().pendingFaults).toEqual([]);
  });

  test('random faults are deterministic under a seed, and respect the method filter', async () => {
    const run = async (config: RandomFaults, method: 'GET' | 'POST') => {
      const emulator = await startEmulator({ randomFaults: config });
      const api = emulatorHttp(emulator.url, EMULATOR_DEFAULT_KEY);
      const outcomes: Array<number | string> = [];
      for (let index = 0; index < 30; index += 1) {
        const pending = method === 'GET' ? api.get('/catalog/features/') : api.post('/catalog/features/', { name: `f${index}`, featureType: 'BOOLEAN' });
        outcomes.push(await pending.then((r) => r.status, () => 'reset'));
      }
      await api.close();
      await emulator.close();
      return outcomes;
    };
    const config: RandomFaults = { seed: 42, probability: 0.4 };
    const first = await run(config, 'POST');
    expect(await run(config, 'POST')).toEqual(first);
    expect(first.filter((o) => o === 201).length).toBeGreaterThan(5);
    expect(first.some((o) => o !== 201)).toBe(true);
    expect(await run({ ...config, seed: 7 }, 'POST')).not.toEqual(first);
    const onlyWrites = await run({ ...config, methods: ['POST'] }, 'GET');
    expect(onlyWrites.every((o) => o === 200)).toBe(true);
  });
});

describe('request log', () => {
  test('records method, path, template, query, status, duration and fault; counts by template', async () => {
    await env.api.get('/catalog/products/?page=1&page_size=100');
    await env.api.get('/catalog/products/', { key: null });
    const product = await createProduct(env.api);
    await env.api.get(`/catalog/products/${product.id}/settings/`);
    await env.api.get('/catalog/products');
    env.emulator.injectFaults({ kind: 'error-before', method: 'GET' });
    await env.api.get('/catalog/plans/pro/prices/?version=2');

    const log = env.emulator.requestLog;
    expect(log.entries[0]).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/catalog/products/',
      template: '/catalog/products/',
      query: { page: '1', page_size: '100' },
      status: 200,
      fault: null,
      durationMs: expect.any(Number),
      startedAt: expect.any(String),
    });
    expect(log.entries.map((e) => e.status)).toEqual([200, 401, 201, 200, 404, 500]);
    expect(log.entries.at(-1)).toMatchObject({ template: '/catalog/plans/{identifier}/prices/', fault: 'error-before', query: { version: '2' } });
    expect(log.countsByTemplate()).toEqual({
      'GET /catalog/products/': 2,
      'POST /catalog/products/': 1,
      'GET /catalog/products/{pk}/settings/': 1,
      'GET /catalog/products (no route)': 1,
      'GET /catalog/plans/{identifier}/prices/': 1,
    });
    expect(log.count('GET', '/catalog/products/')).toBe(2);
    log.clear();
    expect([log.entries.length, log.countsByTemplate()]).toEqual([0, {}]);
  });
});

describe('control surface', () => {
  test('config, faults, log, publishes, state, seed and reset over HTTP', async () => {
    const control = (path: string) => `${env.emulator.origin}/__emulator${path}`;
    const config = await expectStatus(
      env.api.post(control('/config'), { latencyMs: 5, rateLimitRps: 1000, billingProviderConnected: false, faults: [{ kind: 'error-before', method: 'DELETE' }] }, { key: null }),
      200,
    );
    expect(config).toMatchObject({ latencyMs: 5, rateLimitRps: 1000, billingProviderConnected: false, pendingFaults: [{ kind: 'error-before', method: 'DELETE' }] });
    expect((await env.api.post(control('/config'), { latencyMs: -1 })).status).toBe(400);

    await expectStatus(env.api.post(control('/seed'), {
      products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas' }],
      plans: [{ identifier: 'pro', product: 'acme', versions: [{ name: 'Pro', prices: [flatPrice(5)] }] }],
    }), 200);
    expect((await env.api.post('/catalog/plans/pro/publish/')).status).toBe(428);
    await expectStatus(env.api.post(control('/config'), { billingProviderConnected: true }), 200);
    await expectStatus(env.api.post('/catalog/plans/pro/publish/'), 200);
    expect(await expectStatus(env.api.get(control('/publishes')), 200)).toEqual([expect.objectContaining({ identifier: 'pro', version: 1 })]);

    const state = await expectStatus(env.api.get(control('/state')), 200);
    expect(state.plans[0]).toMatchObject({ identifier: 'pro', published: true, versions: [{ name: 'Pro' }] });
    const log = await expectStatus(env.api.get(control('/log')), 200);
    expect(log.counts).toEqual({ 'POST /catalog/plans/{identifier}/publish/': 2 });
    expect((await env.api.post(control('/seed'), { plans: [{ identifier: 'x', product: 'nope', versions: [{ name: 'X' }] }] })).status).toBe(400);

    await expectStatus(env.api.post(control('/reset')), 200);
    expect([productCount(), env.emulator.publishLog.length, env.emulator.requestLog.entries.length, env.emulator.config().pendingFaults]).toEqual([0, 0, 0, []]);
    expect((await env.api.get(control('/nothing'))).status).toBe(404);
  });
});

describe('lifecycle', () => {
  test('starts fast, and close() ends keep-alive connections and in-flight delays promptly', async () => {
    const started = performance.now();
    const emulator = await startEmulator({ latencyMs: 5_000 });
    expect(performance.now() - started).toBeLessThan(500);
    const api = emulatorHttp(emulator.url, EMULATOR_DEFAULT_KEY);
    emulator.setLatency(0);
    expect((await api.get('/catalog/products/')).status).toBe(200);
    emulator.setLatency(5_000);
    const inFlight = api.get('/catalog/products/').then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = performance.now();
    await emulator.close();
    expect(performance.now() - closing).toBeLessThan(1_000);
    expect(await inFlight).toBe('failed');
    await expect(api.get('/catalog/products/')).rejects.toThrow();
    await api.close();
  });
});
