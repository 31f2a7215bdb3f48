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
