// The machine's floor for a plan's traffic, as a process (bench/cli.ts): a bare Node process that sends N GETs
// through an undici Pool at concurrency C to a trivial node:http server answering after a fixed latency (the
// server: `node bench/wire-floor.mjs serve LATENCY_MS`, which prints its port, and answers every request with
// the body given on its stdin, or a page of 15 small items when stdin is empty). Nothing else: no catalog, no
// validation, no diff. What a plan run cannot beat on the same machine, start-up included. bench/cli.ts and
// bench/wire.ts both use it.
//
// `replay ORIGIN CONCURRENCY PATHS_FILE` is the same bare client against a real server (bench/cli.ts: the
// emulator): it sends, in order, the GETs listed in PATHS_FILE (a JSON array of paths with their query, as a plan
// run sent them), at most CONCURRENCY at a time, with the key in KELVIQ_SANDBOX_SERVER_API_KEY, and parses each
// body. No request waits for another's answer, as a plan's per-plan reads wait for nothing either: what a plan
// run of the same requests against the same server cannot beat, in time and in memory (nothing is kept).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') {
  const latency = Number(args[0]);
  const given = readFileSync(0);
  const body = given.length ? given : Buffer.from(JSON.stringify({ count: 15, next: null, previous: null, results: Array.from({ length: 15 }, (_, i) => ({ id: `f${i}`, name: `Feature ${i}`, value: 10 })) }));
  const server = createServer((request, response) =>
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    }, latency),
  );
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
} else if (mode === 'replay') {
  const [origin, concurrency, pathsFile] = args;
  const paths = JSON.parse(readFileSync(pathsFile, 'utf8'));
  const headers = { authorization: `Bearer ${process.env.KELVIQ_SANDBOX_SERVER_API_KEY}` };
  const { Pool } = await import('undici');
  const pool = new Pool(origin, { connections: Number(concurrency), pipelining: 1 });
  let next = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < paths.length) {
        const path = paths[next++];
        const response = await pool.request({ path, method: 'GET', headers });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode}`);
        JSON.parse(text);
      }
    }),
  );
  await pool.close();
} else {
  const [port, count, concurrency] = args.map(Number);
  const { Pool } = await import('undici');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency, pipelining: 1 });
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent++ < count) JSON.parse(await (await pool.request({ path: '/', method: 'GET' })).body.text());
    }),
  );
  await pool.close();
}
