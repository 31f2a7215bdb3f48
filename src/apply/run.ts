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
import { isManaged } from '../diff/normalize.js';
import { policyBlocks, policyBlockSummary } from '../policy/evaluate.js';

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
  /** The environment the client talks to: production archives need the plan's allowProdPrune decision. */
  environment: 'sandbox' | 'production';
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

/**
 * A plan that must not run at all: one with errors (a feature that differs from the live one, a plan that cannot
 * be published), a malformed dependency graph, or an archive its own gates do not allow.
 */
export class InvalidPlanError extends Error {
  override name = 'InvalidPlanError';
}

/**
 * Refuses, before anything starts, a plan whose actions cannot all be scheduled (duplicate ids, a cycle): the
 * walk below would silently skip them and still report success. A dependency on an action that is not in the
 * plan counts as met, as it always has (callers may run part of a plan).
 */
function checkGraph(actions: Action[]): void {
  const ids = new Set<string>();
  for (const action of actions) {
    if (ids.has(action.id)) throw new InvalidPlanError(`the plan has two actions with id ${action.id}; nothing was applied.`);
    ids.add(action.id);
  }
  // Kahn: whatever is left once no action is free any more sits on a cycle (or waits for one).
  const remaining = new Map(actions.map((action) => [action.id, new Set(action.dependsOn)]));
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [id, waiting] of remaining) {
      if ([...waiting].some((dependency) => remaining.has(dependency))) continue;
      remaining.delete(id);
      progressed = true;
    }
  }
  if (remaining.size) {
    throw new InvalidPlanError(`the plan's dependencies form a cycle (${[...remaining.keys()].slice(0, 5).join(', ')}); nothing was applied.`);
  }
}

/**
 * The prune gates, enforced on the archive actions themselves rather than trusted to whoever built the plan:
 * an archive runs only when the plan's decisions include prune (and allowProdPrune in production), and only
 * for a live resource carrying the managed-by marker.
 */
function checkArchives(plan: ChangePlan, options: ApplyOptions): void {
  for (const action of plan.actions) {
    if (action.kind !== 'archive-plan' && action.kind !== 'archive-feature') continue;
    const what = action.kind === 'archive-plan' ? `plan ${action.plan}` : `feature ${action.feature}`;
    if (!plan.decisions.prune) throw new InvalidPlanError(`the plan archives ${what} but was not made with --prune; nothing was applied.`);
    if (options.environment !== 'sandbox' && !plan.decisions.allowProdPrune) {
      throw new InvalidPlanError(`the plan archives ${what} in production but was not made with --allow-prod-prune; nothing was applied.`);
    }
    const live = action.kind === 'archive-plan' ? options.live.plans.get(action.plan)?.newest.plan : options.live.features.get(action.feature);
    if (!live || !isManaged(live.metadata)) {
      throw new InvalidPlanError(`the plan archives ${what}, which ${live ? 'was not created by kelviq-catalog' : 'does not exist in Kelviq'}; nothing was applied.`);
    }
  }
}

/**
 * Refuses a plan with errors, as the CLI does: its actions are what could be planned around the problems, and
 * running them would leave Kelviq half-way to a catalog that cannot be reached (the library is the same engine,
 * so it must not be the way around that refusal).
 */
function checkErrors(plan: ChangePlan): void {
  if (policyBlocks(plan.policy)) {
    throw new InvalidPlanError(`the plan breaks its policy (${policyBlockSummary(plan.policy!)}); nothing was applied. Waive what was approved with --allow RULE[:PLAN].`);
  }
  const errors = plan.messages.filter((message) => message.severity === 'error');
  if (errors.length) {
    const shown = errors.slice(0, 3).map((error) => (error.location ? `${error.location}: ${error.message}` : error.message));
    throw new InvalidPlanError(`the plan has ${errors.length} error(s) (${shown.join('; ')}${errors.length > 3 ? '; …' : ''}); nothing was applied.`);
  }
}

export async function applyPlan(plan: ChangePlan, options: ApplyOptions): Promise<ApplyResult> {
  checkErrors(plan);
  checkGraph(plan.actions);
  checkArchives(plan, options);
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
