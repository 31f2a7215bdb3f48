/**
 * `pull`: the live Kelviq catalog → catalog files in the project's format, so an existing account can be put in
 * git. The snapshot is read in full (every product's settings, every plan's entitlements and prices, the newest
 * version of each plan: what writes go to), turned into the canonical model by the one normaliser with server
 * defaults left out, and written by the catalog writer.
 *
 * Guarantees:
 * - identifiers only: no UUID is ever written (charges name features by identifier; a reference to something
 *   the API no longer lists is left out with a warning rather than written as a UUID);
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
import { IDENTIFIER_PATTERN } from '../schema/format/common.js';
import { loadCatalog } from '../schema/load-catalog.js';
import type { Catalog, Diagnostic } from '../schema/model.js';
import { catalogToFiles } from '../schema/write/catalog-to-yaml.js';
import { checkCatalogTarget, writeCatalogFiles } from '../schema/write/write-directory.js';

export interface PullOptions {
  client: KelviqClient;
  /** The catalog folder to write. */
  out: string;
  /** Replace a folder that already holds a catalog (never one holding other files). */
  force?: boolean;
  /** The JSON Schema the files' modeline points at. Default: the one shipped with kelviq-catalog. */
  schemaPath?: string;
  /**
   * Kelviq keys known to this run. A resource whose identifier, names, values or keys hold one is left out with a
   * warning, so a key a server echoed into a description never lands in a file that goes into git.
   */
  secrets?: readonly string[];
}

export interface PullResult {
  out: string;
  /** Written, relative to `out`, with forward slashes. */
  files: string[];
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
  const pulled = liveStateToCatalog(live);
  const leftOut = new Set<string>();
  const catalog = representable(writable(pulled.catalog, pulled.notes, options.secrets ?? [], leftOut), pulled.notes, leftOut);
  const files = catalogToFiles(catalog, { directory: options.out, schemaPath: options.schemaPath });

  let diagnostics: Diagnostic[] = [];
  await writeCatalogFiles(options.out, files, {
    ...targetOptions,
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
    counts: { products: catalog.products.length, features: catalog.features.length, plans: catalog.plans.length },
    notes: pulled.notes,
    diagnostics,
  };
}

/** Left out, and said: products, features and plans that cannot be written, for the reason `unwritable` gives. */
function writable(catalog: Catalog, notes: LiveCatalogNote[], secrets: readonly string[], leftOut: Set<string>): Catalog {
  const keep = <T extends { identifier: string }>(kind: LiveCatalogNote['kind'], items: T[]): T[] =>
    items.filter((item) => {
      const reason = unwritable(item, secrets);
      if (!reason) return true;
      notes.push({ kind, identifier: item.identifier, message: `${kind} ${item.identifier} is left out: ${reason}; the rest is written.` });
      leftOut.add(`${kind}:${item.identifier}`);
      return false;
    });
  return { ...catalog, products: keep('product', catalog.products), features: keep('feature', catalog.features), plans: keep('plan', catalog.plans) };
}

function unwritable(resource: { identifier: string }, secrets: readonly string[]): string | undefined {
  if (!IDENTIFIER_PATTERN.test(resource.identifier)) {
    return `its identifier is not a slug (${IDENTIFIER_PATTERN.source}), so no catalog file can declare or refer to it`;
  }
  if (secrets.some((secret) => holds(resource, secret))) return 'its text holds a Kelviq API key (one this run was given), and a key never goes into a file';
  return undefined;
}

function holds(value: unknown, secret: string): boolean {
  if (typeof value === 'string') return value.includes(secret);
  if (Array.isArray(value)) return value.some((item) => holds(item, secret));
  if (value && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes(secret) || holds(item, secret));
  return false;
}

/**
 * What the format can carry. A plan of a product the API does not list, or entitlements/prices naming a
 * feature it does not list (archived while still in use), would otherwise be written with a UUID or a dangling
 * reference: the plan, or that part of it, is left out (left out = not managed: apply leaves it alone) and noted.
 */
function representable(catalog: Catalog, notes: LiveCatalogNote[], leftOut: ReadonlySet<string>): Catalog {
  const products = new Set(catalog.products.map((p) => p.identifier));
  const features = new Set(catalog.features.map((f) => f.identifier));
  const leftOutFeature = (feature: string) => leftOut.has(`feature:${feature}`);
  const plans = catalog.plans.flatMap((plan) => {
    if (!products.has(plan.product)) {
      const why = leftOut.has(`product:${plan.product}`)
        ? `belongs to product ${plan.product}, which is left out above`
        : 'belongs to a product the API does not list (archived?)';
      notes.push({ kind: 'plan', identifier: plan.identifier, message: `plan ${plan.identifier} ${why}; the plan is left out.` });
      return [];
    }
    const kept = { ...plan };
    const unknownEntitled = Object.keys(plan.entitlements ?? {}).filter((feature) => !features.has(feature));
    if (unknownEntitled.length) {
      delete kept.entitlements;
      const which = unknownEntitled.some(leftOutFeature)
        ? `that are not pulled (${unknownEntitled.join(', ')}: archived, or left out above)`
        : `the API does not list (${unknownEntitled.join(', ')}: archived?)`;
      notes.push({
        kind: 'plan',
        identifier: plan.identifier,
        message: `plan ${plan.identifier} grants feature(s) ${which}; its entitlements are left out, so apply leaves them alone.`,
      });
    }
    const unknownPriced = (plan.prices ?? [])
      .flatMap((price) => price.chargeCatalogPrice ?? [])
      .flatMap((item) => (item.feature !== null && !features.has(item.feature) ? [item.feature] : []));
    if (unknownPriced.length) {
      delete kept.prices;
      const which = unknownPriced.some(leftOutFeature) ? 'a feature that is not pulled (archived, or left out above)' : 'a feature the API does not list (archived?)';
      notes.push({
        kind: 'plan',
        identifier: plan.identifier,
        message: `plan ${plan.identifier} prices ${which}; its prices are left out, so apply leaves them alone.`,
      });
    }
    return [kept];
  });
  return { ...catalog, plans };
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
