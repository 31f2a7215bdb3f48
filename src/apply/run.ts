/**
 * Walks a change plan: starts every action whose dependencies are done, as many at once as allowed, and on the
 * first failure (or an abort signal) starts nothing new, lets running actions finish, and reports exactly what
 * was applied, what failed and what was not attempted. Running the same command again converges, because the
 * next plan is computed from what actually happened.
 */
import type { KelviqClient } from '../client/index.js';
import type { LiveState } from '../diff/live-state.js';
import type { Action, ChangePlan } from './actions.js';
import { Ids } from './bodies.js';
import { executeAction } from './executors.js';

export interface ActionFailure {
  action: Action;
  error: Error;
}

export interface ApplyResult {
  applied: Action[];
  failed: ActionFailure[];
  notAttempted: Action[];
  /** True when an abort signal stopped the run. */
  interrupted: boolean;
  durationMs: number;
}

export interface ApplyOptions {
  client: KelviqClient;
  /** The live state the plan was computed from: seeds identifier → UUID lookups. */
  live: LiveState;
  /** Most actions in flight at once (HTTP requests are bounded separately by the client). Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (event: { action: Action; outcome: 'started' | 'applied' | 'failed'; done: number; total: number; error?: Error }) => void;
}

export function idsFromLive(live: LiveState): Ids {
  const ids = new Ids();
  for (const { product } of live.products.values()) ids.products.set(product.identifier, product.id);
  for (const feature of live.features.values()) ids.features.set(feature.identifier, feature.id);
  return ids;
}

export async function applyPlan(plan: ChangePlan, options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  const context = { client: options.client, ids: idsFromLive(options.live) };
  const concurrency = options.concurrency ?? 8;
  const byId = new Map(plan.actions.map((action) => [action.id, action]));
  const waitingOn = new Map(plan.actions.map((action) => [action.id, new Set(action.dependsOn.filter((id) => byId.has(id)))]));
  const dependents = new Map<string, string[]>();
  for (const action of plan.actions) {
    for (const dependency of action.dependsOn) {
      if (!byId.has(dependency)) continue;
      const list = dependents.get(dependency) ?? [];
      list.push(action.id);
      dependents.set(dependency, list);
    }
  }

  const ready: Action[] = plan.actions.filter((action) => waitingOn.get(action.id)?.size === 0);
  const applied: Action[] = [];
  const failed: ActionFailure[] = [];
  const attempted = new Set<string>();
  let running = 0;
  let stopped = false;
  let interrupted = false;

  await new Promise<void>((resolve) => {
    const onAbort = () => {
      interrupted = true;
      stopped = true;
      if (running === 0) resolve();
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const pump = () => {
      while (!stopped && running < concurrency && ready.length) {
        const action = ready.shift() as Action;
        attempted.add(action.id);
        running += 1;
        options.onProgress?.({ action, outcome: 'started', done: applied.length, total: plan.actions.length });
        executeAction(action, context).then(
          () => {
            applied.push(action);
            options.onProgress?.({ action, outcome: 'applied', done: applied.length, total: plan.actions.length });
            for (const dependentId of dependents.get(action.id) ?? []) {
              const waiting = waitingOn.get(dependentId);
              waiting?.delete(action.id);
              if (waiting?.size === 0) ready.push(byId.get(dependentId) as Action);
            }
            settle();
          },
          (error: unknown) => {
            const failure = { action, error: error instanceof Error ? error : new Error(String(error)) };
            failed.push(failure);
            options.onProgress?.({ action, outcome: 'failed', done: applied.length, total: plan.actions.length, error: failure.error });
            stopped = true;
            settle();
          },
        );
      }
      if (running === 0) {
        options.signal?.removeEventListener('abort', onAbort);
        resolve();
      }
    };
    const settle = () => {
      running -= 1;
      pump();
    };
    pump();
  });

  return {
    applied,
    failed,
    notAttempted: plan.actions.filter((action) => !attempted.has(action.id)),
    interrupted,
    durationMs: performance.now() - started,
  };
}
