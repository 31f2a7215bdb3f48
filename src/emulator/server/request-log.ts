/** Every request the emulator received, with its outcome, and counts by `METHOD template`. */
import type { FaultKind } from './options.js';

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Relative to `/api/v1` for API requests: `/catalog/plans/pro/prices/`. */
  path: string;
  /** `/catalog/plans/{identifier}/prices/`, or null when no endpoint matches the path. */
  template: string | null;
  query: Record<string, string>;
  /** null when the connection was reset instead of answered. */
  status: number | null;
  durationMs: number;
  startedAt: string;
  fault: FaultKind | null;
}

export class RequestLog {
  private readonly kept: RequestLogEntry[] = [];
  private readonly counts = new Map<string, number>();
  private seq = 0;

  constructor(private readonly limit = 10_000) {}

  /** `GET /catalog/plans/{identifier}/prices/`; unmatched paths as `GET /catalog/plans (no route)`. */
  static keyOf(method: string, template: string | null, path: string): string {
    return template ? `${method} ${template}` : `${method} ${path} (no route)`;
  }

  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.kept.push(full);
    if (this.kept.length > this.limit) this.kept.shift();
    const key = RequestLog.keyOf(entry.method, entry.template, entry.path);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return full;
  }

  get entries(): readonly RequestLogEntry[] {
    return this.kept;
  }

  /** Requests by `METHOD template`, sorted by key. */
  countsByTemplate(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  count(method: string, template: string): number {
    return this.counts.get(`${method.toUpperCase()} ${template}`) ?? 0;
  }

  clear(): void {
    this.kept.length = 0;
    this.counts.clear();
  }

  toJSON(): { entries: readonly RequestLogEntry[]; counts: Record<string, number> } {
    return { entries: this.kept, counts: this.countsByTemplate() };
  }
}
