/**
 * A raw HTTP client for emulator tests: undici over loopback, its own connection pool (closed by `close()`),
 * JSON in and out, nothing interpreted. Deliberately not the project's client: the emulator is tested on its own.
 */
import { Agent, request } from 'undici';

export interface RawResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, undefined when empty. */
  body: T;
  text: string;
}

export interface SendOptions {
  body?: unknown;
  /** A literal body, sent as is (for malformed-JSON tests). */
  raw?: string;
  headers?: Record<string, string>;
  /** The bearer token; null sends no Authorization header. Default: the helper's key. */
  key?: string | null;
}

export interface EmulatorHttp {
  send<T = any>(method: string, path: string, options?: SendOptions): Promise<RawResponse<T>>;
  get<T = any>(path: string, options?: SendOptions): Promise<RawResponse<T>>;
  post<T = any>(path: string, body?: unknown, options?: SendOptions): Promise<RawResponse<T>>;
  patch<T = any>(path: string, body?: unknown, options?: SendOptions): Promise<RawResponse<T>>;
  delete<T = any>(path: string, options?: SendOptions): Promise<RawResponse<T>>;
  close(): Promise<void>;
}

/** `path` is relative to `baseUrl` (`/catalog/products/`) or an absolute URL (a `next` link, the control surface). */
export function emulatorHttp(baseUrl: string, apiKey: string): EmulatorHttp {
  const dispatcher = new Agent({ keepAliveTimeout: 1_000, connections: 16 });
  const send = async <T>(method: string, path: string, options: SendOptions = {}): Promise<RawResponse<T>> => {
    const url = /^https?:\/\//.test(path) ? path : `${baseUrl}${path}`;
    const key = options.key === undefined ? apiKey : options.key;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await request(url, { method: method as 'GET', headers, body, dispatcher });
    const text = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      headers: response.headers,
      body: (text && contentType.includes('json') ? JSON.parse(text) : undefined) as T,
      text,
    };
  };
  return {
    send,
    get: (path, options) => send('GET', path, options),
    post: (path, body, options) => send('POST', path, { ...options, body }),
    patch: (path, body, options) => send('PATCH', path, { ...options, body }),
    delete: (path, options) => send('DELETE', path, options),
    close: () => dispatcher.close(),
  };
}
