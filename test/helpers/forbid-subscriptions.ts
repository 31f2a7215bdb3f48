/**
 * A loopback proxy in front of an emulator that answers 403 for GET /subscriptions/, as Kelviq does for a key
 * without that permission, and passes every other request through.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function forbidSubscriptions(origin: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(origin);
  const server = createServer((incoming, outgoing) => {
    if ((incoming.url ?? '').startsWith('/api/v1/subscriptions/')) {
      outgoing.writeHead(403, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ detail: 'You do not have permission to perform this action.' }));
      return;
    }
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
