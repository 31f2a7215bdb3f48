/** A token bucket: `rps` tokens a second, holding at most one second's worth (never less than one token). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    readonly rps: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, rps);
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Takes a token, or says in whole seconds (rounded up, at least 1) when one will be free: Retry-After. */
  take(): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rps);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.rps)) };
  }
}
