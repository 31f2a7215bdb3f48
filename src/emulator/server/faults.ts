/** The fault schedule: a queue of targeted faults, then (if set) seeded random ones. */
import type { HttpMethod } from '../api/route.js';
import { API_BASE_PATH } from '../api/routes.js';
import { FAULT_KINDS, type FaultKind, type FaultStatus, type RandomFaults, type TargetedFault } from './options.js';

export interface ScheduledFault {
  kind: FaultKind;
  status: FaultStatus;
}

const ERROR_STATUSES: readonly FaultStatus[] = [500, 502, 503];

export class FaultSchedule {
  private queue: Array<TargetedFault & { times: number }> = [];
  private random: { config: RandomFaults; next: () => number } | null = null;

  add(faults: readonly TargetedFault[]): void {
    for (const fault of faults) {
      if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind "${String(fault.kind)}"`);
      const pathTemplate = fault.pathTemplate?.startsWith(`${API_BASE_PATH}/`) ? fault.pathTemplate.slice(API_BASE_PATH.length) : fault.pathTemplate;
      const method = fault.method?.toUpperCase() as HttpMethod | undefined;
      this.queue.push({ ...fault, method, pathTemplate, times: fault.times ?? 1 });
    }
  }

  setRandom(config: RandomFaults | null): void {
    if (config && (config.probability < 0 || config.probability > 1)) throw new Error('probability must be between 0 and 1');
    this.random = config ? { config: { ...config }, next: mulberry32(config.seed) } : null;
  }

  clear(): void {
    this.queue = [];
    this.random = null;
  }

  pending(): TargetedFault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  randomConfig(): RandomFaults | null {
    return this.random ? { ...this.random.config } : null;
  }

  /** The fault for this request, if any; consumes it. */
  next(method: string, template: string): ScheduledFault | null {
    const index = this.queue.findIndex((fault) => (!fault.method || fault.method === method) && (!fault.pathTemplate || fault.pathTemplate === template));
    if (index >= 0) {
      const fault = this.queue[index]!;
      fault.times -= 1;
      if (fault.times <= 0) this.queue.splice(index, 1);
      return { kind: fault.kind, status: fault.status ?? 500 };
    }
    if (!this.random) return null;
    const { config, next } = this.random;
    if (config.methods && !config.methods.some((m) => m.toUpperCase() === method)) return null;
    if (next() >= config.probability) return null;
    const kinds = config.kinds?.length ? config.kinds : FAULT_KINDS;
    return { kind: kinds[Math.floor(next() * kinds.length)]!, status: ERROR_STATUSES[Math.floor(next() * ERROR_STATUSES.length)]! };
  }
}

/** A small, well-known seeded PRNG: deterministic across runs and platforms. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
