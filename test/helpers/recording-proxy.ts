/**
 * A loopback HTTP proxy in front of an emulator that records every request body on its way through, so an
 * end-to-end test can check what the CLI sent (the emulator's request log keeps no bodies).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_BASE_PATH, matchTemplate } from '../../src/emulator/index.js';

export interface RecordedRequest {
  method: string;
  /** Relative to `/api/v1`, without the query. */
  path: string;
  /** The spec's template for the path, or null. */
  template: string | null;
  /** Parsed JSON; undefined when the request had no body. */
  body: unknown;
}

export interface RecordingProxy {
  /** Base URL including `/api/v1`, to use instead of the emulator's. */
  url: string;
  recorded: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: { origin: string }): Promise<RecordingProxy> {
  const recorded: RecordedRequest[] = [];
  const upstream = new URL(target.origin);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://proxy');
      const path = url.pathname.startsWith(`${API_BASE_PATH}/`) ? url.pathname.slice(API_BASE_PATH.length) : url.pathname;
      recorded.push({
        method: incoming.method ?? 'GET',
        path,
        template: matchTemplate(path)?.template ?? null,
        body: raw.length ? JSON.parse(raw.toString('utf8')) : undefined,
      });
      // The Host header is passed on as is: the emulator builds its pagination links from it, so they lead back here.
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${API_BASE_PATH}`,
    recorded,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
