/**
 * The JSON Schema of one catalog file, generated from the zod format schemas (input side: what people write,
 * shorthands included). Editors use it through the `# yaml-language-server: $schema=...` comment; the committed
 * copy is `schema/catalog.schema.json` (regenerate with `npm run schema:write`).
 *
 * Draft-07 because it is what every editor integration (yaml-language-server, VS Code's JSON service) supports
 * fully. Cross-file and cross-field rules (references, duplicates, Kelviq rules) are the loader's job; a JSON
 * Schema cannot express them.
 */
import { z } from 'zod';
import { catalogFileInput } from './format/catalog-file.js';

export const CATALOG_SCHEMA_TITLE = 'Kelviq catalog file';

export function catalogJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(catalogFileInput, { io: 'input', target: 'draft-7', unrepresentable: 'throw' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: CATALOG_SCHEMA_TITLE, ...rest };
}

/** The exact text of the committed `schema/catalog.schema.json`. */
export function catalogJsonSchemaText(): string {
  return `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;
}
