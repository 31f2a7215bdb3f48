/**
 * The target and its client, from flags and environment. A module of its own, beside nothing heavy: plan and
 * apply connect and start their live reads before the catalog loader, the engine and the renderers are loaded.
 */
import { createClient, resolveTarget, type KelviqClient, type Target } from '../client/index.js';
import type { Output } from './io.js';
import { DEFAULT_CONCURRENCY } from './options.js';

export interface TargetFlags {
  prod?: boolean;
  concurrency?: number;
}


export function connect(flags: TargetFlags, output: Output): { target: Target; client: KelviqClient } {
  const target = resolveTarget({ prod: flags.prod, env: output.streams.env });
  const client = createClient(target, { concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY, proxyEnv: output.streams.env, onRequest: output.progress.onRequest });
  return { target, client };
}

/** The heartbeat's words while live state is read. */
export const readingLive = (environment: string) => (progress: { requestsAnswered: number }) =>
  `reading the live catalog from Kelviq ${environment}: ${progress.requestsAnswered} request(s) answered so far`;
