/**
 * Merging the files of a catalog into one index, and the first catalog-wide rule: an identifier is declared
 * once per kind (products, features, plans), across all files. The diagnostic points at the second
 * declaration; `related` at the first.
 */
import type { Diagnostic } from '../model.js';
import { error } from '../diagnostics.js';
import { SECTION_NAMES, type SectionName } from '../format/catalog-file.js';
import { lookupNode } from '../load/node-path.js';
import { locationOfNode } from '../load/source-file.js';
import { SINGULAR, type Declared, type DeclaredName, type FileDeclarations } from '../validate/declarations.js';
import { related, type CatalogIndex } from './context.js';

const identifierLocation = (name: DeclaredName) => locationOfNode(name.file, lookupNode(name.file, name.node, ['identifier']).node ?? name.node);

export interface MergeResult {
  index: CatalogIndex;
  /** First declaration of each identifier per kind, valid or not: what the source locator points at. */
  firstDeclarations: Map<string, DeclaredName>;
}

export const declarationKey = (section: SectionName, id: string) => `${section}/${id}`;

export function mergeDeclarations(files: FileDeclarations[], unreadable: ReadonlySet<SectionName>, report: (d: Diagnostic) => void): MergeResult {
  const index: CatalogIndex = {
    products: new Map(),
    features: new Map(),
    plans: new Map(),
    declared: { products: new Set(), features: new Set(), plans: new Set() },
    unreadable: new Set([...unreadable, ...files.flatMap((file) => file.unreadable)]),
  };
  const firstDeclarations = new Map<string, DeclaredName>();
  for (const file of files) {
    for (const name of file.names) {
      const key = declarationKey(name.section, name.id);
      const first = firstDeclarations.get(key);
      if (first) {
        report(
          error('duplicate-identifier', `duplicate ${SINGULAR[name.section]} identifier "${name.id}": it is already declared`, identifierLocation(name), [
            related(identifierLocation(first), 'first declared here'),
          ]),
        );
      } else {
        firstDeclarations.set(key, name);
      }
      index.declared[name.section].add(name.id);
    }
    for (const section of SECTION_NAMES) {
      const target = index[section] as Map<string, Declared>;
      for (const item of file.items[section] as Declared[]) if (!target.has(item.id)) target.set(item.id, item);
    }
  }
  return { index, firstDeclarations };
}
