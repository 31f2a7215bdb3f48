/**
 * Progress for logs. On a terminal apply redraws one status line; without one (CI) nothing was printed until the
 * end: ten seconds of silence while live state was read, then every "done" at once. Here, when stderr is not a
 * terminal, a long phase prints a heartbeat line every few seconds saying what it is doing (requests answered, n
 * of N actions), and apply prints each action as it completes. Lines are plain and complete (no `\r`), since a
 * log keeps every byte.
 *
 * The interval is `KELVIQ_CATALOG_HEARTBEAT` seconds (default 5; 0 turns the heartbeat off).
 */
export const DEFAULT_HEARTBEAT_SECONDS = 5;

export class Progress {
  /** Requests answered (any status, retries included) since the current phase began. */
  private answered = 0;
  private phaseStarted = 0;

  private constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs: number,
    /** Whether per-item lines (each applied action) are printed: only where there is no redrawn status line. */
    readonly lines: boolean,
  ) {}

  /** For a CLI run: active when stderr is not a terminal. */
  static forStreams(write: (line: string) => void, stderr: { isTTY?: boolean }, env: Record<string, string | undefined>): Progress {
    if (stderr.isTTY) return new Progress(write, 0, false);
    const raw = env.KELVIQ_CATALOG_HEARTBEAT;
    const seconds = raw === undefined || raw.trim() === '' ? DEFAULT_HEARTBEAT_SECONDS : Number(raw);
    // A value that is not a number is ignored rather than fatal: progress is a courtesy, never the outcome.
    const intervalMs = Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : DEFAULT_HEARTBEAT_SECONDS * 1000;
    return new Progress(write, intervalMs, true);
  }

  /** Plug into the client's `onRequest`. */
  readonly onRequest = (): void => {
    this.answered += 1;
  };

  get requestsAnswered(): number {
    return this.answered;
  }

  /**
   * Runs `work`, printing `describe()` every interval until it settles. `describe` is called at each beat, so it
   * reports the state at that moment (its text is ours: counts and environment names, no untrusted text).
   */
  async during<T>(describe: (progress: Progress) => string, work: () => Promise<T>): Promise<T> {
    const stop = this.begin(describe);
    try {
      return await work();
    } finally {
      stop();
    }
  }

  /** Starts a phase (as `during` does) that ends when the returned function is called. */
  begin(describe: (progress: Progress) => string): () => void {
    this.answered = 0;
    this.phaseStarted = Date.now();
    const timer = this.intervalMs > 0 ? setInterval(() => this.beat(describe), this.intervalMs) : undefined;
    // A forgotten beat must never keep the process alive on its own.
    timer?.unref();
    return () => {
      if (timer) clearInterval(timer);
    };
  }

  /** One line for an item that completed (an applied action); printed only without a terminal. */
  item(line: string): void {
    if (this.lines) this.write(`${line}\n`);
  }

  private beat(describe: (progress: Progress) => string): void {
    const seconds = Math.round((Date.now() - this.phaseStarted) / 1000);
    this.write(`... ${describe(this)} (${seconds}s)\n`);
  }
}
