/**
 * Regenerates `schema/catalog.schema.json` from the zod format schemas: `npm run schema:write`.
 * A test fails when the committed copy is out of date, so run this after changing anything in src/schema/format.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { catalogJsonSchemaText } from './json-schema.js';

export const COMMITTED_SCHEMA_PATH = fileURLToPath(new URL('../../schema/catalog.schema.json', import.meta.url));

async function main(): Promise<void> {
  await writeFile(COMMITTED_SCHEMA_PATH, catalogJsonSchemaText());
  process.stdout.write(`wrote ${COMMITTED_SCHEMA_PATH}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
