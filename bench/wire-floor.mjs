// The machine's floor for a plan's traffic, as a process (bench/cli.ts): a bare Node process that sends N GETs
// through an undici Pool at concurrency C to a trivial node:http server answering after a fixed latency (the
// server: `node bench/wire-floor.mjs serve LATENCY_MS`, which prints its port, and answers every request with
// the body given on its stdin, or a page of 15 small items when stdin is empty). Nothing else: no catalog, no
// validation, no diff. What a plan run cannot beat on the same machine, start-up included. bench/cli.ts and
// bench/wire.ts both use it.
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
