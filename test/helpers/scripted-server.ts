/**
 * A loopback HTTP server whose answers a test scripts one by one, for client behaviours the emulator would make
 * awkward to pin down exactly (a precise Retry-After, a reset on the third call). Records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string>; raw?: string }
  | { reset: true }
  | { delayMs: number; then: Answer };

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers in order; when exhausted, `fallback` answers. */
  script: Answer[];
  fallback: (request: RecordedRequest) => Answer;
  close(): Promise<void>;
}

export async function startScriptedServer(fallback: ScriptedServer['fallback'] = () => ({ status: 404, body: { detail: 'Not found.' } })): Promise<ScriptedServer> {
  const state: ScriptedServer = { url: '', requests: [], script: [], fallback, close: async () => {} };
  const respond = async (answer: Answer, response: ServerResponse): Promise<void> => {
    if ('delayMs' in answer) {
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return respond(answer.then, response);
    }
    if ('reset' in answer) {
      response.socket?.destroy();
      return;
    }
    const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    response.writeHead(answer.status, { 'content-type': answer.raw ? 'text/html' : 'application/json', ...answer.headers });
    response.end(answer.status === 204 ? undefined : text);
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      state.requests.push(recorded);
      void respond(state.script.shift() ?? state.fallback(recorded), response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/api/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
