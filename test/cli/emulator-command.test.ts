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
