/**
 * A loopback HTTP proxy that records everything it is sent: absolute-form requests (plain http through the
 * proxy), CONNECT requests, and every byte that passes through a CONNECT tunnel. Tunnels go to `tunnelTo`
 * whatever host the client named, so a test can use a name that resolves nowhere.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyRecord {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  headers: IncomingHttpHeaders;
}

export interface LoopbackProxy {
  url: string;
  requests: ProxyRecord[];
  /** Every byte the client sent, request lines, headers and tunnel contents alike. */
  received(): Buffer;
  close(): Promise<void>;
}

export async function startLoopbackProxy(tunnelTo: { port: number } | null): Promise<LoopbackProxy> {
  const requests: ProxyRecord[] = [];
  const chunks: Buffer[] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', target: request.url ?? '', headers: request.headers });
    // This proxy forwards nothing in the clear: a request that reaches here is itself the finding.
    response.writeHead(502, { 'content-type': 'text/plain' }).end('loopback test proxy: plain requests are not forwarded');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  });
  server.on('connect', (request, client, head) => {
    requests.push({ method: 'CONNECT', target: request.url ?? '', headers: request.headers });
    if (!tunnelTo) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(tunnelTo.port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        // Tunnels are no longer the HTTP server's connections: closeAllConnections would miss them.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
