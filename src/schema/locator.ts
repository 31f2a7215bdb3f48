/**
 * `SourceLocator`: from a pointer of identifiers (`/plans/pro/entitlements/seats`) to where it was written.
 * Resolved lazily against the YAML nodes, so building it costs nothing for catalogs nobody asks about.
 * Points at the key for a field (`name:`), at the item for `/plans/<id>`, at the element for a list index.
 */
import type { SourceLocation, SourceLocator } from './model.js';
import type { SectionName } from './format/catalog-file.js';
import type { LoadLimits } from './load/limits.js';
import { lookupNode, type PathSegment } from './load/node-path.js';
import { locationOfNode, ParsedSourceFile } from './load/source-file.js';
import { reparseSource } from './load-file.js';
import { declarationKey } from './rules/merge.js';
import { declaredName, type DeclaredName } from './validate/declarations.js';

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

export function createLocator(declarations: Map<string, DeclaredName>): SourceLocator {
  return {
    locate(pointer: string): SourceLocation | undefined {
      const [empty, section, id, ...rest] = pointer.split('/').map(unescape);
      if (empty !== '' || !section || id === undefined) return undefined;
      const declaration = declarations.get(declarationKey(section as SectionName, id));
      if (!declaration) return undefined;
      if (!rest.length) return locationOfNode(declaration.file, declaration.node);
      const path: PathSegment[] = rest.map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
      const lookup = lookupNode(declaration.file, declaration.node, path);
      if (!lookup.found) return undefined;
      return locationOfNode(declaration.file, lookup.key ?? lookup.node);
    },
  };
}

/**
 * A locator's declarations as plain data, to cross from a worker thread (load-in-worker.ts): YAML nodes cannot.
 * The text of each file a name is declared in, and for each name its file, section, position in the section's
 * list, identifier and validity.
 */
export interface LocatorTable {
  sources: Array<{ path: string; text: string }>;
  names: Array<[source: number, section: SectionName, index: number, id: string, valid: boolean]>;
}

export function locatorTable(declarations: Map<string, DeclaredName>, texts: ReadonlyMap<string, string>): LocatorTable {
  const table: LocatorTable = { sources: [], names: [] };
  const sourceOf = new Map<string, number>();
  for (const { file, section, index, id, valid } of declarations.values()) {
    let source = sourceOf.get(file.path);
    if (source === undefined) {
      source = table.sources.push({ path: file.path, text: texts.get(file.path)! }) - 1;
      sourceOf.set(file.path, source);
    }
    table.names.push([source, section, index, id, valid]);
  }
  return table;
}

/**
 * The locator of a table: the same answers as the locator it was made from. A file is parsed again, from its
 * text and with the same limits, the first time a pointer into it is asked for (as a released file is).
 */
export function locatorFromTable(table: LocatorTable, limits: LoadLimits): SourceLocator {
  const files = table.sources.map(({ path, text }) => ParsedSourceFile.unparsed(path, () => reparseSource(path, text, limits)));
  const declarations = new Map<string, DeclaredName>();
  for (const [source, section, index, id, valid] of table.names) declarations.set(declarationKey(section, id), declaredName(files[source]!, section, index, id, valid));
  return createLocator(declarations);
}
