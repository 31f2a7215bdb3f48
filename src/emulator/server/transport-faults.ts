/** What the wire looks like when something between the client and Kelviq fails. */
import type { ServerResponse } from 'node:http';
import type { FaultStatus } from './options.js';
import { sendHtml, sendJson } from './node-bridge.js';

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export function sendServerError(out: ServerResponse, status: FaultStatus): void {
  if (status === 502) sendHtml(out, 502, BAD_GATEWAY_PAGE);
  else if (status === 503) sendJson(out, 503, { detail: 'Service temporarily unavailable, try again later.' });
  else sendJson(out, 500, { detail: 'A server error occurred.' });
}

/** DRF's throttling answer. */
export function sendThrottled(out: ServerResponse, retryAfterSeconds: number): void {
  const unit = retryAfterSeconds === 1 ? 'second' : 'seconds';
  sendJson(out, 429, { detail: `Request was throttled. Expected available in ${retryAfterSeconds} ${unit}.` }, { 'retry-after': String(retryAfterSeconds) });
}
