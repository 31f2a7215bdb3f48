/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY, against a loopback proxy that records every byte it is sent:
 * - an https target goes through the proxy as a CONNECT tunnel, and the proxy never sees the key (the CLI runs a
 *   whole `plan` that way, against the emulator behind a TLS terminator with a throwaway certificate);
 * - NO_PROXY sends it direct; a loopback target is never proxied (plain http to loopback is the only plain http
 *   accepted, and through a proxy it would show the key in clear text);
 * - a proxy variable that is not a URL is an error naming the variable, never its value.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createClient, resolveTarget } from '../../src/client/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startLoopbackProxy, type LoopbackProxy } from '../helpers/loopback-proxy.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'kvq_proxy_test_key_8d1f0c2a';
let emulator: RunningEmulator;
let tls: TlsServer;
let certificate: { dir: string; cert: string };
let proxy: LoopbackProxy;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  // A certificate for kelviq.test made for this run only, trusted by the child process through NODE_EXTRA_CA_CERTS.
  const dir = mkdtempSync(join(tmpdir(), 'kelviq-proxy-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=kelviq.test',
    '-addext', 'subjectAltName=DNS:kelviq.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  certificate = { dir, cert: join(dir, 'cert.pem') };
  // TLS terminator in front of the plain-http emulator: what "kelviq.test:443" is, at the far end of the tunnel.
  tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(certificate.cert) }, (socket) => {
    const upstream = connect(emulator.port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => tls.close(resolve));
  rmSync(certificate.dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  proxy = await startLoopbackProxy({ port: (tls.address() as AddressInfo).port });
});
afterEach(async () => {
  await proxy.close();
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?_proxy|no_proxy|kelviq_)/i.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/cli-entry.ts', ...args], {
    env: { ...clean, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('HTTPS_PROXY: plan goes through the proxy as a CONNECT tunnel, and the proxy never sees the key', async () => {
  const ran = await cli(['plan', '--catalog', 'examples/catalog'], {
    KELVIQ_SANDBOX_BASE_URL: 'https://kelviq.test/api/v1',
    KELVIQ_SANDBOX_SERVER_API_KEY: KEY,
    HTTPS_PROXY: proxy.url,
    NO_PROXY: 'localhost,127.0.0.1,example.com',
    NODE_EXTRA_CA_CERTS: certificate.cert,
  });
  expect(ran.stderr).not.toMatch(/^error/m);
  expect(ran.code).toBe(0);
  expect(ran.stdout).toContain('create');
  // The emulator answered every read, and all of them came through the tunnel.
  expect(emulator.requestLog.entries.length).toBeGreaterThan(0);
  expect(proxy.requests.length).toBeGreaterThan(0);
  expect(proxy.requests.every((request) => request.method === 'CONNECT' && request.target === 'kelviq.test:443')).toBe(true);
  for (const request of proxy.requests) expect(request.headers.authorization).toBeUndefined();
  const seen = proxy.received().toString('latin1');
  expect(seen).toContain('CONNECT kelviq.test:443');
  expect(seen).not.toContain(KEY);
  expect(seen).not.toMatch(/authorization|bearer/i);
  expect(ran.stdout + ran.stderr).not.toContain(KEY);
}, 60_000);

test('NO_PROXY naming the host sends the request direct; the proxy sees nothing', async () => {
  const target = { ...resolveTarget({ env: { KELVIQ_SANDBOX_SERVER_API_KEY: KEY } }), baseUrl: 'https://kelviq.invalid/api/v1' };
  const client = createClient(target, { maxAttempts: 1, proxyEnv: { HTTPS_PROXY: proxy.url, NO_PROXY: '.invalid' } });
  try {
    // Direct means resolving kelviq.invalid, which never resolves (RFC 2606).
    await expect(client.listProducts()).rejects.toThrow(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
  } finally {
    await client.close();
  }
  expect(proxy.requests).toEqual([]);
  // Without NO_PROXY the same request does go to the proxy (so the assertion above can fail).
  const proxied = createClient(target, { maxAttempts: 1, proxyEnv: { https_proxy: proxy.url } });
  try {
    await expect(proxied.listProducts()).rejects.toThrow();
  } finally {
    await proxied.close();
  }
  expect(proxy.requests.map((request) => `${request.method} ${request.target}`)).toEqual(['CONNECT kelviq.invalid:443']);
});

test('a loopback target over plain http is never proxied, so the key is never shown to a proxy in clear text', async () => {
  const ran = await runCli(
    ['plan', '--catalog', 'examples/catalog'],
    { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
    [KEY],
  );
  expect(ran.code).toBe(0);
  expect(emulator.requestLog.entries.length).toBeGreaterThan(0);
  expect(proxy.requests).toEqual([]);
  expect(proxy.received().length).toBe(0);
});

test('a proxy variable that is not a URL is refused, named but never quoted (it can hold a password)', async () => {
  const ran = await runCli(['plan', '--catalog', 'examples/catalog'], { KELVIQ_SANDBOX_SERVER_API_KEY: KEY, HTTPS_PROXY: 'proxy-user:s3cretpass@' }, [KEY]);
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain('HTTPS_PROXY is not an http:// or https:// URL');
  expect(ran.stderr).not.toContain('s3cretpass');
  expect(proxy.requests).toEqual([]);
});
