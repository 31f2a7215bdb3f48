/**
 * `loadCatalog(path)`: files → text → YAML → values → validated items → merged catalog → catalog-wide rules,
 * collecting every problem on the way (never throwing for bad input) and returning the canonical model only
 * when there is no error.
 */
import type { Catalog, Diagnostic, LoadResult, Policy } from './model.js';
import { error, hasErrors, sortDiagnostics } from './diagnostics.js';
import { locationOfNode } from './load/source-file.js';
import { related } from './rules/context.js';
import { discoverCatalogFiles } from './load/discover-files.js';
import { DEFAULT_LIMITS, type LoadLimits } from './load/limits.js';
import { decodeSource, readFileBytes } from './load/read-source.js';
import { loadSourceText } from './load-file.js';
import { createLocator } from './locator.js';
import { CATALOG_RULES } from './rules/index.js';
import { mergeDeclarations } from './rules/merge.js';
import { SECTION_NAMES, type SectionName } from './format/catalog-file.js';
import type { DeclaredName, FileDeclarations } from './validate/declarations.js';

export interface LoadOptions {
  /** Tighter or looser safety limits (tests, unusual catalogs). */
  limits?: Partial<LoadLimits>;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  // An aliased item is validated once per use; its problems are reported once.
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.code}|${d.file}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What loading found, all but the locator: the diagnostics, files, catalog and policy, the first declaration of
 * each identifier (what the locator points at) and the text of each file they are in. In a worker thread
 * (load-in-worker.ts), all of it but the declarations crosses to the main thread as it is; the declarations hold
 * YAML files and cross as a table (see locator.ts).
 */
export interface LoadedCatalog {
  result: Omit<LoadResult, 'locations'>;
  firstDeclarations: Map<string, DeclaredName>;
  /** By path, each file that parsed. */
  texts: Map<string, string>;
}

export async function loadCatalog(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const { result, firstDeclarations } = await loadCatalogParts(path, options);
  const { diagnostics, files, ...valid } = result;
  return { diagnostics, locations: createLocator(firstDeclarations), files, ...valid };
}

export async function loadCatalogParts(path: string, options: LoadOptions = {}): Promise<LoadedCatalog> {
  const limits = loadLimits(options);
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => void diagnostics.push(d);

  const discovered = await discoverCatalogFiles(path, limits);
  discovered.diagnostics.forEach(report);
  // Kinds some file may declare where it cannot be read: references to them that are not found are not errors.
  const unreadable = new Set<SectionName>();
  const unreadableAll = () => SECTION_NAMES.forEach((section) => unreadable.add(section));
  if (discovered.incomplete) unreadableAll();

  const budget = { remainingBytes: limits.maxTotalBytes };
  const tokenBudget = { remainingTokens: limits.maxTotalNodes };
  const files: string[] = [];
  const texts = new Map<string, string>();
  const declarations: FileDeclarations[] = [];
  // Parsing is synchronous; the next file's bytes are read meanwhile.
  let next = discovered.files[0] ? readFileBytes(discovered.files[0].path, limits) : undefined;
  for (const [position, ref] of discovered.files.entries()) {
    const bytes = await next!;
    const following = discovered.files[position + 1];
    next = following ? readFileBytes(following.path, limits) : undefined;
    const read = decodeSource(ref.path, bytes, limits, budget);
    if (read.text === undefined) {
      read.diagnostics.forEach(report);
      unreadableAll();
      if (read.diagnostics.some((d) => d.code === 'catalog-too-large')) break; // said once: "this file and the rest"
      continue;
    }
    files.push(ref.path);
    const loaded = loadSourceText(ref.path, read.text, limits, tokenBudget, report);
    if (loaded.declarations) {
      declarations.push(loaded.declarations);
      texts.set(ref.path, read.text);
      continue;
    }
    loaded.unreadable.forEach((section) => unreadable.add(section));
    if (loaded.stop) {
      unreadableAll();
      break; // said once: "this file and the rest"
    }
  }

  const { index, firstDeclarations } = mergeDeclarations(declarations, unreadable, report);
  const policy = onePolicy(declarations, report);
  const context = { ...index, report };
  for (const rule of CATALOG_RULES) rule(context);

  const sorted = sortDiagnostics(dedupe(diagnostics), discovered.files.map((file) => file.path));
  const result: LoadedCatalog['result'] = { diagnostics: sorted, files };
  if (!hasErrors(sorted)) {
    const catalog: Catalog = {
      products: declarations.flatMap((file) => file.items.products.map((item) => item.value)),
      features: declarations.flatMap((file) => file.items.features.map((item) => item.value)),
      plans: declarations.flatMap((file) => file.items.plans.map((item) => item.value)),
    };
    result.catalog = catalog;
    if (policy) result.policy = policy;
  }
  return { result, firstDeclarations, texts };
}

/** The limits a load runs with: the defaults, with the options' own. */
export const loadLimits = (options: LoadOptions): LoadLimits => ({ ...DEFAULT_LIMITS, ...options.limits });

/** A catalog has at most one `policy`: a second one is an error at its key, pointing at the first. */
function onePolicy(declarations: FileDeclarations[], report: (d: Diagnostic) => void): Policy | undefined {
  const found = declarations.flatMap((file) => (file.policy ? [file.policy] : []));
  const [first, ...others] = found;
  if (!first) return undefined;
  const firstAt = locationOfNode(first.file, first.key);
  for (const other of others) {
    report(
      error('duplicate-policy', 'a second `policy`: a catalog has at most one; merge its rules into the first', locationOfNode(other.file, other.key), [
        related(firstAt, 'first policy here'),
      ]),
    );
  }
  return first.value;
}
