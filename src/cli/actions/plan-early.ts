/**
 * What plan and apply start first, before the catalog loader, the engine and the renderers are loaded (module
 * loading alone took a third of a second before the first request): the connection, the three live lists, the
 * catalog's load in a worker thread, and, when the catalog's text can be outlined, every read of the scope it
 * outlines. The catalog is parsed while they run; the engine checks the parsed catalog's scope against the
 * guess (fetchLiveState).
 *
 * Imports here stay light: the client, the live reads and the outline, nothing that pulls in yaml or the
 * format's schemas.
 */
import { parseWaivers, WaiverError, type Waiver } from '../../policy/waivers.js';
import { scopeOfOutline, startLiveReads, type LiveReads } from '../../diff/live-state.js';
import { outlineCatalog } from '../../schema/load/outline.js';
import { connect, readingLive } from '../connect.js';
import type { Output } from '../io.js';
import type { LoadResult } from '../../schema/model.js';
import { CommandFailure } from '../failure.js';

export interface DecisionFlags {
  publish?: boolean;
  migrateFeatures?: boolean;
  migratePricing?: boolean;
  prune?: boolean;
  allowProdPrune?: boolean;
}

export interface PolicyFlags {
  /** `--allow RULE[:PLAN]`, repeatable. */
  allow?: string[];
  strictPolicy?: boolean;
}

export interface PlanFlags extends DecisionFlags, PolicyFlags {
  catalog: string;
  prod?: boolean;
  json?: boolean;
  markdown?: boolean;
  /** Text output: add the pricing matrix (Markdown and JSON always carry it). */
  matrix?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  concurrency?: number;
}

/** The waivers given, read before anything else happens: a rule name that is not one is an error (exit 1). */
export function waiversFrom(flags: PolicyFlags): Waiver[] {
  try {
    return parseWaivers(flags.allow);
  } catch (error) {
    if (error instanceof WaiverError) throw new CommandFailure('unknown-policy-rule', error.message);
    throw error;
  }
}

/**
 * `--migrate-*` act when a plan is published (they are the publish request's `updateFeatures` / `updatePricing`,
 * per the spec's POST /catalog/plans/{identifier}/publish/): without `--publish` nothing is published, so they
 * would be ignored in silence and someone would believe their customers were moved. Refused before any request.
 */
export function refuseMigrateWithoutPublish(flags: DecisionFlags): void {
  if (flags.publish) return;
  const given = [flags.migrateFeatures && '--migrate-features', flags.migratePricing && '--migrate-pricing'].filter((f): f is string => !!f);
  if (!given.length) return;
  throw new CommandFailure(
    'migrate-without-publish',
    `${given.join(' and ')} ${given.length > 1 ? 'move' : 'moves'} existing customers when a plan is published, and without --publish nothing is published: add --publish, or leave ${given.length > 1 ? 'them' : 'it'} out.`,
  );
}


export interface EarlyStart {
  waivers: Waiver[];
  /** The catalog, being loaded in a worker thread while the reads run (absent for a small catalog, or when nothing is read early). */
  loading?: Promise<LoadResult>;
  /** Undefined when the target cannot be resolved (no key): connect() fails again after the catalog's diagnostics. */
  connection?: ReturnType<typeof connect>;
  reads?: LiveReads;
  /** Ends the heartbeat of the live read, which starts with the reads (a no-op when nothing was started). */
  endHeartbeat: () => void;
}

/** From this size of YAML on, the catalog is loaded in a worker thread (see startEarly). */
export const WORKER_LOAD_MIN_BYTES = 192 * 1024;

/** Checks the flags (before any request), then connects and starts the reads. */
export async function startEarly(flags: PlanFlags, output: Output): Promise<EarlyStart> {
  refuseMigrateWithoutPublish(flags);
  const waivers = waiversFrom(flags);
  let connection;
  try {
    connection = connect(flags, output);
  } catch {
    return { waivers, endHeartbeat: () => {} };
  }
  // Counted from the first request: the heartbeat's count and seconds are the live read's, which now overlaps the load.
  const endHeartbeat = output.progress.begin(readingLive(connection.target.environment));
  const reads = startLiveReads(connection.client);
  // The outline only speeds the run up: whatever goes wrong in it, the run goes on without it.
  const { bytes, outline } = await outlineCatalog(flags.catalog).catch(() => ({ bytes: 0, outline: undefined }));
  if (outline) reads.guess(scopeOfOutline(outline), { subscriptions: true });
  // A big catalog is parsed on another core (1.2 s of CPU for 0.6 MB): on this thread the parse would stall the
  // reads it overlaps. A small one is parsed here: a worker's start (its own module loading) costs more than the
  // stall it saves (plan, 20 ms latency: 45 KB 1.10 s here vs 1.35 s in a worker; 143 KB 1.80 s both ways;
  // 640 KB 4.3 s in a worker vs 4.9 s here). The loader is imported only now, after the first requests are out.
  const loading = bytes >= WORKER_LOAD_MIN_BYTES ? import('../../schema/load-in-worker.js').then((module) => module.loadCatalogInWorker(flags.catalog)) : undefined;
  return { waivers, connection, reads, loading, endHeartbeat };
}
