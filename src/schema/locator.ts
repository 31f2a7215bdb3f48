/**
 * `SourceLocator`: from a pointer of identifiers (`/plans/pro/entitlements/seats`) to where it was written.
 * Resolved lazily against the YAML nodes, so building it costs nothing for catalogs nobody asks about.
 * Points at the key for a field (`name:`), at the item for `/plans/<id>`, at the element for a list index.
 */
import type { SourceLocation, SourceLocator } from './model.js';
import type { SectionName } from './format/catalog-file.js';
import { lookupNode, type PathSegment } from './load/node-path.js';
import { locationOfNode } from './load/source-file.js';
import { declarationKey } from './rules/merge.js';
import type { DeclaredName } from './validate/declarations.js';

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
