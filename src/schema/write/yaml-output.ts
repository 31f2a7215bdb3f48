/**
 * How catalog YAML is printed, shared by the writer (`pull`, `init`) and `fmt`: one set of options, so a file
 * the writer emits is already fmt-clean and `fmt` is idempotent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentOptions, ParseOptions, SchemaOptions, ToStringOptions } from 'yaml';

/** The loader reads YAML 1.2 with the core schema; the writer resolves scalars the same way when quoting. */
export const YAML_DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions & ParseOptions = { version: '1.2', schema: 'core' };

export const YAML_OUTPUT_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  // Never fold a long description onto several lines: a diff of one word stays a diff of one line.
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
  // Strings are plain unless YAML needs quotes (a string that would read as a number, "a: b", …).
  defaultStringType: 'PLAIN',
  defaultKeyType: 'PLAIN',
  doubleQuotedAsJSON: false,
  singleQuote: null,
};

/** The committed JSON Schema of the running kelviq-catalog (src/ and dist/ sit at the same depth). */
export const PACKAGE_SCHEMA_PATH = fileURLToPath(new URL('../../../schema/catalog.schema.json', import.meta.url));

/** The package's own folder: the schema sits in `schema/` at its top. */
const PACKAGE_ROOT = dirname(dirname(PACKAGE_SCHEMA_PATH));
const PACKAGE_NAME = 'kelviq-catalog';

/**
 * The modeline that gives editors completion and hover docs (yaml-language-server, the VS Code YAML extension),
 * returned as comment text (after the `#`). With `schemaPath`, that file's path relative to the file; otherwise
 * `schemaReference` of the file's folder.
 */
export function schemaModeline(filePath: string, schemaPath?: string): string {
  const directory = dirname(filePath);
  return ` yaml-language-server: $schema=${schemaPath === undefined ? schemaReference(directory) : relativePath(directory, schemaPath)}`;
}

/**
 * Where a catalog in `directory` finds the schema, in a form that still holds on a teammate's machine and after
 * an upgrade, which the resolved location of the running package does not (pnpm's is a version-specific store
 * folder; a global install or npx is outside the project altogether):
 * 1. a project that has kelviq-catalog in a `node_modules` of its own or of a folder above (npm, pnpm, yarn, a
 *    workspace root): the path through `node_modules/kelviq-catalog/`, symlinks left unresolved;
 * 2. a catalog inside the package's own folder (this repository's examples): the path to its schema;
 * 3. anything else (a global install, npx): the schema of this exact version from the npm registry's CDN, which
 *    editors fetch (yaml-language-server follows http(s) `$schema` URLs).
 */
export function schemaReference(directory: string): string {
  const start = resolve(directory);
  for (let folder = start; ; folder = dirname(folder)) {
    const installed = join(folder, 'node_modules', PACKAGE_NAME, 'schema', 'catalog.schema.json');
    if (existsSync(installed)) return relativePath(start, installed);
    if (dirname(folder) === folder) break;
  }
  const fromRoot = relative(PACKAGE_ROOT, start);
  // `..` first: outside the package; absolute: another drive (Windows).
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) return relativePath(start, PACKAGE_SCHEMA_PATH);
  return `https://unpkg.com/${PACKAGE_NAME}@${packageVersion()}/schema/catalog.schema.json`;
}

function relativePath(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
