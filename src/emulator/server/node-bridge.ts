/** node:http ⇄ Fetch API: the emulator's handlers speak Fetch, the server speaks node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function toFetchRequest(request: IncomingMessage, url: URL, body: Buffer): Request {
  const headers = new Headers();
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    headers.append(request.rawHeaders[index]!, request.rawHeaders[index + 1]!);
  }
  const method = request.method ?? 'GET';
  const hasBody = body.length > 0 && method !== 'GET' && method !== 'HEAD';
  return new Request(url, { method, headers, body: hasBody ? body : undefined });
}

/** Sends a Fetch Response out; a 204/304 goes out without a body whatever the Response holds. */
export async function sendFetchResponse(response: Response, out: ServerResponse): Promise<void> {
  out.statusCode = response.status;
  response.headers.forEach((value, name) => out.setHeader(name, value));
  if (response.status === 204 || response.status === 304 || !response.body) {
    out.removeHeader('content-length');
    out.removeHeader('content-type');
    out.end();
    return;
  }
  // The handlers' bodies are small JSON documents: one buffered write with a content-length beats a write per
  // chunk (which showed up as the emulator's largest cost under benchmark load).
  const body = Buffer.from(await response.arrayBuffer());
  out.setHeader('content-length', body.length);
  out.end(body);
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
