import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';

test('emulator prints its base URL and key as export lines, serves the API, and stops on SIGINT', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exit = run(['emulator', '--port', '0', '--latency-ms', '5'], { stdout, stderr, stdin: new PassThrough(), env: {} });
  while (!printed.includes('KELVIQ_SANDBOX_SERVER_API_KEY')) await new Promise((resolve) => setTimeout(resolve, 10));
  const url = /export KELVIQ_SANDBOX_BASE_URL=(\S+)/.exec(printed)?.[1];
  const key = /export KELVIQ_SANDBOX_SERVER_API_KEY=(\S+)/.exec(printed)?.[1];
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  const response = await fetch(`${url}/catalog/plans/`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  process.emit('SIGINT');
  expect(await exit).toBe(0);
});

test('emulator --server-values spec-examples --extra-fields serves both modes; an unknown mode is refused', async () => {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exit = run(['emulator', '--port', '0', '--server-values', 'spec-examples', '--extra-fields'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
  while (!printed.includes('KELVIQ_SANDBOX_SERVER_API_KEY')) await new Promise((resolve) => setTimeout(resolve, 10));
  const url = /export KELVIQ_SANDBOX_BASE_URL=(\S+)/.exec(printed)?.[1];
  const headers = { authorization: `Bearer ${/export KELVIQ_SANDBOX_SERVER_API_KEY=(\S+)/.exec(printed)?.[1]}`, 'content-type': 'application/json' };
  const created = await fetch(`${url}/catalog/products/`, { method: 'POST', headers, body: JSON.stringify({ name: 'Acme', taxCode: 'saas' }) });
  const product = (await created.json()) as { id: string };
  const settings = await (await fetch(`${url}/catalog/products/${product.id}/settings/`, { headers })).json();
  // The spec's ProductSettings examples (the emulator's own default for productUrl is null), plus the extra fields.
  expect(settings).toMatchObject({ vpn: true, tor: true, proxy: true, currency: 'USD', productUrl: 'https://app.example.com', x_emulator_extra: expect.any(String) });
  process.emit('SIGINT');
  expect(await exit).toBe(0);

  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  expect(await run(['emulator', '--port', '0', '--server-values', 'prism'], { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} })).toBe(1);
  expect(errors).toContain('--server-values takes emulator-defaults or spec-examples, got "prism"');
});

test('a port in use, a missing or non-JSON seed file: exit 1 with a sentence naming the flag, not a bare Node error', async () => {
  const { createServer } = await import('node:net');
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  const failing = async (args: string[]) => {
    const stderr = new PassThrough();
    let errors = '';
    stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await run(['emulator', ...args], { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} });
    return { code, errors };
  };
  try {
    expect(await failing(['--port', String(port)])).toEqual({
      code: 1,
      errors: `error  port ${port} is already in use on 127.0.0.1 (another emulator?): stop what listens there, or pass another --port (--port 0 picks a free one).\n`,
    });
  } finally {
    busy.close();
  }
  const dir = await mkdtemp(join(tmpdir(), 'kelviq-emulator-'));
  const missing = await failing(['--port', '0', '--seed-file', join(dir, 'nope.json')]);
  expect(missing).toEqual({ code: 1, errors: `error  --seed-file ${join(dir, 'nope.json')}: cannot read it (ENOENT); pass the path of a JSON seed document.\n` });
  await writeFile(join(dir, 'seed.yaml'), 'products: []\n');
  const yaml = await failing(['--port', '0', '--seed-file', join(dir, 'seed.yaml')]);
  expect(yaml.code).toBe(1);
  expect(yaml.errors).toMatch(/^error {2}--seed-file .*seed\.yaml is not JSON \(.*\); the seed is a JSON document\.\n$/);
});
