/**
 * How catalog YAML is printed, shared by the writer (`pull`, `init`) and `fmt`: one set of options, so a file
 * the writer emits is already fmt-clean and `fmt` is idempotent.
 */
import { dirname, relative, sep } from 'node:path';
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

/**
 * The modeline that gives editors completion and hover docs (yaml-language-server, the VS Code YAML extension):
 * the schema's path relative to the file, with forward slashes. Returned as comment text (after the `#`).
 */
export function schemaModeline(filePath: string, schemaPath: string = PACKAGE_SCHEMA_PATH): string {
  const path = relative(dirname(filePath), schemaPath).split(sep).join('/');
  return ` yaml-language-server: $schema=${path}`;
}
