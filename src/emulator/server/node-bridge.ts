/** node:http ⇄ Fetch API: the emulator's handlers speak Fetch, the server speaks node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiAnswer, ApiRequest } from '../api/handlers.js';

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The request as the API reads it, straight from node:http: what `new Request(url, …)` and its `headers.get()` /
 * `text()` would give, without building them (see `createApiAnswerer`).
 */
export function toApiRequest(request: IncomingMessage, url: URL, body: Buffer): ApiRequest {
  const method = request.method ?? 'GET';
  // A Fetch Request carries no body for GET or HEAD; anything sent is ignored, as before.
  const hasBody = body.length > 0 && method !== 'GET' && method !== 'HEAD';
  return {
    method,
    url,
    authorization: rawHeader(request.rawHeaders, 'authorization'),
    contentType: rawHeader(request.rawHeaders, 'content-type'),
    // TextDecoder, not Buffer#toString: it drops a leading BOM as Fetch's text() does.
    bodyText: hasBody ? utf8.decode(body) : '',
  };
}

const utf8 = new TextDecoder();
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** A header as `Headers.get` reads it: every occurrence, trimmed of HTTP whitespace, joined with ", "; or null. */
function rawHeader(rawHeaders: string[], name: string): string | null {
  let value: string | null = null;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.length !== name.length || rawHeaders[index]!.toLowerCase() !== name) continue;
    const one = rawHeaders[index + 1]!.replace(HTTP_WHITESPACE, '');
    value = value === null ? one : `${value}, ${one}`;
  }
  return value;
}

/** Sends an answer out: JSON with its length in one write, or a bare 204. */
export function sendAnswer(answer: ApiAnswer, out: ServerResponse): void {
  out.statusCode = answer.status;
  for (const name in answer.headers) out.setHeader(name, answer.headers[name]!);
  if (answer.json === null) {
    out.end();
    return;
  }
  // One buffered write with a content-length: a write per chunk was the emulator's largest cost under load.
  out.setHeader('content-type', 'application/json');
  out.setHeader('content-length', Buffer.byteLength(answer.json));
  out.end(answer.json);
}

export function sendJson(out: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  out.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  out.end(text);
}

export function sendHtml(out: ServerResponse, status: number, html: string): void {
  out.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  out.end(html);
}

/** An abrupt TCP reset (RST), as a crashed proxy or a dropped connection looks to a client. */
export function resetConnection(out: ServerResponse): void {
  const socket = out.socket ?? out.req.socket;
  if (!socket) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
