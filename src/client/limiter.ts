/**
 * Bounded, adaptive concurrency for API calls: p-limit underneath, with an AIMD controller on top. A 429 halves
 * the number of requests allowed in flight and pauses new starts until the server's Retry-After has passed; each
 * run of successes as long as the current limit raises it by one again, up to the configured maximum. Under a
 * server-side rate limit this settles just below the allowed rate instead of hammering it.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export class AdaptiveLimiter {
  readonly max: number;
  private readonly limit: LimitFunction;
  private successesSinceChange = 0;
  private pausedUntil = 0;

  constructor(maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${maxConcurrency}`);
    }
    this.max = maxConcurrency;
    this.limit = pLimit(maxConcurrency);
  }

  get current(): number {
    return this.limit.concurrency;
  }

  /**
   * Runs `task` when a slot is free and no rate-limit pause is in force; an aborted `signal` ends the wait, and
   * a task still queued when it is aborted never starts (plan may have hundreds queued when the catalog turns
   * out invalid).
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.limit(async () => {
      if (signal?.aborted) throw signal.reason;
      await this.waitForPause(signal);
      return task();
    });
  }

  /** Waits out a server-imposed pause (used before each attempt, including retries inside a slot). */
  async waitForPause(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait <= 0) return;
      await sleep(wait, signal);
    }
  }

  onRateLimited(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
    const lowered = Math.max(1, Math.floor(this.limit.concurrency / 2));
    if (lowered !== this.limit.concurrency) this.limit.concurrency = lowered;
    this.successesSinceChange = 0;
  }

  onSuccess(): void {
    if (this.limit.concurrency >= this.max) return;
    this.successesSinceChange += 1;
    if (this.successesSinceChange >= this.limit.concurrency) {
      this.limit.concurrency += 1;
      this.successesSinceChange = 0;
    }
  }
}

/**
 * Node's timers hold at most 2^31-1 ms (~24.8 days); a longer delay fires after 1 ms with a warning, which turned
 * a huge Retry-After into a busy loop. Callers cap their waits far below this; the clamp is the last line.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
