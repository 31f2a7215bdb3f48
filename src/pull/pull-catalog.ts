/**
 * `pull`: the live Kelviq catalog → catalog files in the project's format, so an existing account can be put in
 * git. The snapshot is read in full (every product's settings, every plan's entitlements and prices, the newest
 * version of each plan: what writes go to), turned into the canonical model by the one normaliser (every value
 * the server holds, projected onto the format's fields), and written by the catalog writer.
 *
 * Guarantees:
 * - identifiers only: no UUID is ever written (charges name features by identifier; a reference to something
 *   the API no longer lists is left out with a warning rather than written as a UUID);
 * - only the format's fields: a field the server adds is never written, and a resource holding a value the
 *   format cannot express is left out with a warning while the rest is written (`liveStateToCatalog`);
 * - atomic: nothing is written until the whole snapshot is read; files go to a temporary folder beside the
 *   target and are moved into place only once complete and read back; any failure leaves the target as it was;
 * - round trip: the files load back into exactly the catalog pulled, which plans to no changes against the
 *   environment it came from;
 * - one bad resource does not stop the rest: a product, feature or plan whose identifier is not a slug (no file
 *   can declare it), or whose text holds the API key this run uses (the key never reaches a file), is left out
 *   whole, with a warning naming it; everything else is written.
 */
import { relative, resolve, sep } from 'node:path';
import type { KelviqClient } from '../client/index.js';
import { fetchLiveState, FULL_SCOPE } from '../diff/live-state.js';
import { liveStateToCatalog, type LiveCatalogNote } from '../diff/live-catalog.js';
import { deepEqual } from '../diff/normalize.js';
import { loadCatalog } from '../schema/load-catalog.js';
import type { Catalog, Diagnostic } from '../schema/model.js';
import { catalogToFiles } from '../schema/write/catalog-to-yaml.js';
import { checkCatalogTarget, writeCatalogFiles } from '../schema/write/write-directory.js';
import { policyToKeep } from './keep-policy.js';

export interface PullOptions {
  client: KelviqClient;
  /** The catalog folder to write. */
  out: string;
  /** Replace a folder that already holds a catalog (never one holding other files). */
  force?: boolean;
  /** The JSON Schema the files' modeline points at. Default: kelviq-catalog's, as `schemaReference` finds it. */
  schemaPath?: string;
  /**
   * Kelviq keys known to this run. A resource whose identifier, names, values or keys hold one is left out with a
   * warning, so a key a server echoed into a description never lands in a file that goes into git.
   */
  secrets?: readonly string[];
  /**
   * Aborted (the CLI aborts it on SIGINT/SIGTERM): nothing more is written, the temporary folder is removed and
   * the target is left as it was; pullCatalog rejects with the signal's reason. Once the folder has been swapped
   * into place the pull is complete and an abort changes nothing.
   */
  signal?: AbortSignal;
}

export interface PullResult {
  out: string;
  /** Written, relative to `out`, with forward slashes. */
  files: string[];
  /** With --force into a catalog holding a `policy`: the file it was kept in (also listed in `files`). */
  keptPolicy?: string;
  counts: { products: number; features: number; plans: number };
  /** What a reader should know: pending drafts pulled, plan files and product images not carried, references left out. */
  notes: LiveCatalogNote[];
  /**
   * Problems `validate` reports in the pulled files (file paths under `out`): data Kelviq accepted that the
   * catalog's rules flag, e.g. a draft plan without a price in the product's currency. The files are written anyway.
   */
  diagnostics: Diagnostic[];
}

/** Refusals and hints are worded for the command line. */
const HINT = { force: 'pass --force', elsewhere: 'choose another --out' };

export async function pullCatalog(options: PullOptions): Promise<PullResult> {
  const targetOptions = { force: options.force, hint: HINT };
  // Refuse before reading hundreds of plans, and again just before the swap.
  await checkCatalogTarget(options.out, targetOptions);

  const live = await fetchLiveState(options.client, FULL_SCOPE);
  options.signal?.throwIfAborted();
  // A key never goes into a file: a resource whose text holds one this run was given is left out, said so.
  const pulled = liveStateToCatalog(live, { leaveOut: (resource) => heldKey(resource, options.secrets ?? []) });
  const catalog = pulled.catalog;
  const files = catalogToFiles(catalog, { directory: options.out, schemaPath: options.schemaPath });
  // Kelviq holds no policy, so pull writes none; replacing a catalog that has one keeps it (keep-policy.ts).
  const kept = options.force && files.length ? await policyToKeep(options.out, new Set(files.map((file) => file.path))) : undefined;
  if (kept) files.push(kept);

  let diagnostics: Diagnostic[] = [];
  await writeCatalogFiles(options.out, files, {
    ...targetOptions,
    signal: options.signal,
    async beforeSwap(temporary) {
      if (!files.length) return;
      const loaded = await loadCatalog(temporary);
      diagnostics = loaded.diagnostics.map((d) => relocate(d, temporary, options.out));
      if (loaded.catalog && !sameCatalog(loaded.catalog, catalog)) {
        throw new Error('pull: the written files do not read back as the live catalog (a bug in kelviq-catalog); nothing was written');
      }
    },
  });

  return {
    out: options.out,
    files: files.map((file) => file.path),
    ...(kept ? { keptPolicy: kept.path } : {}),
    counts: { products: catalog.products.length, features: catalog.features.length, plans: catalog.plans.length },
    notes: pulled.notes,
    diagnostics,
  };
}

function heldKey(resource: object, secrets: readonly string[]): string | undefined {
  return secrets.some((secret) => holds(resource, secret)) ? 'its text holds a Kelviq API key (one this run was given), and a key never goes into a file' : undefined;
}

function holds(value: unknown, secret: string): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (Array.isArray(value)) return value.some((item) => holds(item, secret));
  if (value && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes(secret) || holds(item, secret));
  return false;
}

function sameCatalog(a: Catalog, b: Catalog): boolean {
  const byId = <T extends { identifier: string }>(items: T[]) => new Map(items.map((item) => [item.identifier, item]));
  return (['products', 'features', 'plans'] as const).every((kind) => {
    const left = byId<{ identifier: string }>(a[kind]);
    const right = byId<{ identifier: string }>(b[kind]);
    return left.size === right.size && [...left].every(([id, item]) => deepEqual(item, right.get(id)));
  });
}

/** A diagnostic about a file in the temporary folder, as if it were in `out` (where the file now is). */
function relocate(diagnostic: Diagnostic, temporary: string, out: string): Diagnostic {
  const move = (file: string | undefined) => {
    if (file === undefined) return undefined;
    const inside = relative(temporary, resolve(file));
    return inside.startsWith('..') ? file : [out, ...inside.split(sep)].join(sep);
  };
  const result: Diagnostic = { ...diagnostic };
  if (result.file !== undefined) result.file = move(result.file);
  if (result.related) result.related = result.related.map((r) => ({ ...r, file: move(r.file) ?? r.file }));
  return result;
}
