/**
 * What the catalog-wide rules see: the merged, schema-valid declarations (the canonical model plus where each
 * item was written) and every identifier declared, valid or not.
 */
import type { Diagnostic, SourceLocation } from '../model.js';
import type { SectionName } from '../format/catalog-file.js';
import { locateKey, locateValue, type PathSegment } from '../load/node-path.js';
import type { Declared } from '../validate/declarations.js';

export interface CatalogIndex {
  /** First valid declaration of each identifier. */
  products: Map<string, Declared<'products'>>;
  features: Map<string, Declared<'features'>>;
  plans: Map<string, Declared<'plans'>>;
  /** Every identifier declared in the catalog's files, including items that failed validation. */
  declared: Record<SectionName, Set<string>>;
  /**
   * Kinds some file may declare without it being readable (a file that does not parse, a section that is not a
   * list, an item without an identifier): a reference to such a kind that is not found may be declared there,
   * so it is not reported.
   */
  unreadable: ReadonlySet<SectionName>;
}

export interface RuleContext extends CatalogIndex {
  report(diagnostic: Diagnostic): void;
}

export type Rule = (context: RuleContext) => void;

/**
 * A location found when first read. Rules name where a problem would be before they know there is one (a
 * reset that may need enabling, for every entitlement), and the file's document may have been let go since it
 * was loaded (see ParsedSourceFile): looking it up only when a diagnostic reads it keeps the files unparsed.
 */
function lazyLocation(file: string, find: () => SourceLocation): SourceLocation {
  let found: SourceLocation | undefined;
  const get = () => (found ??= find());
  return {
    file,
    get line() {
      return get().line;
    },
    get column() {
      return get().column;
    },
  };
}

/** Where the value at `path` inside a declared item was written. */
export const valueAt = (item: Declared, path: readonly PathSegment[]): SourceLocation =>
  lazyLocation(item.file.path, () => locateValue(item.file, item.node, path));
/** Where the key at `path` inside a declared item was written. */
export const keyAt = (item: Declared, path: readonly PathSegment[]): SourceLocation =>
  lazyLocation(item.file.path, () => locateKey(item.file, item.node, path));

export const related = (location: SourceLocation, message: string) => ({ ...location, message });
