/**
 * The JSON Schema editors use: the committed copy is current, it is valid draft-07 (ajv strict mode), it
 * accepts every legal catalog file we have and rejects the schema-level cases of the invalid corpus, and it
 * agrees with the zod schemas the loader uses on every fixture file (same objects, so they must).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, test } from 'vitest';
import { catalogFileInput, catalogJsonSchema, catalogJsonSchemaText } from '../../src/schema/index.js';
import { compileCatalogSchema } from './ajv.js';
import { EXAMPLE_CATALOG, FIXTURES, fixtureCases, yamlFilesUnder } from './fixtures.js';

const COMMITTED = fileURLToPath(new URL('../../schema/catalog.schema.json', import.meta.url));

const { ajv, validate } = compileCatalogSchema({ allErrors: true });

/**
 * A file's plain value, or undefined when it is not clean YAML (those cases are about YAML, not the schema) or
 * an empty document (a loader warning; editors do not validate empty documents).
 */
function yamlValue(file: string): { value: unknown } | undefined {
  const doc = parseDocument(readFileSync(file, 'utf8'), { logLevel: 'error' });
  if (doc.errors.length || doc.warnings.length || doc.contents === null) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}

describe('catalog JSON Schema', () => {
  test('the committed schema/catalog.schema.json is up to date (run `npm run schema:write`)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(catalogJsonSchemaText());
  });

  test('it carries descriptions for editors down to nested fields', () => {
    const schema = catalogJsonSchema() as { properties: { plans: { anyOf: Array<{ items?: { properties: Record<string, { description?: string }> } }> } } };
    const plan = schema.properties.plans.anyOf.find((option) => option.items)!.items!.properties;
    for (const key of ['identifier', 'product', 'entitlements', 'prices', 'license', 'links']) expect(plan[key]?.description, key).toBeTruthy();
  });

  test.each(yamlFilesUnder(EXAMPLE_CATALOG).map((file) => [file.slice(EXAMPLE_CATALOG.length)]))('accepts the example %s', (name) => {
    const value = yamlValue(join(EXAMPLE_CATALOG, name));
    expect(value).toBeDefined();
    expect(validate(value!.value), ajv.errorsText(validate.errors)).toBe(true);
  });

  test('accepts every file of the warnings corpus (legal catalogs)', () => {
    for (const fixture of fixtureCases('warnings')) {
      for (const file of yamlFilesUnder(fixture.catalog)) {
        const value = yamlValue(file);
        if (value) expect(validate(value.value), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });

  const schemaLevel = fixtureCases('invalid').filter((fixture) => fixture.jsonSchema === 'reject');
  test.each(schemaLevel.map((fixture) => [fixture.name, fixture] as const))('rejects the schema-level case %s', (_name, fixture) => {
    const verdicts = yamlFilesUnder(fixture.catalog).map((file) => yamlValue(file)).filter((value) => value !== undefined).map((value) => validate(value.value));
    expect(verdicts).toContain(false);
  });

  test('agrees with the zod file schema on every parsable fixture file', () => {
    const files = [...yamlFilesUnder(FIXTURES), ...yamlFilesUnder(EXAMPLE_CATALOG)];
    let compared = 0;
    for (const file of files) {
      const value = yamlValue(file);
      if (!value) continue;
      compared++;
      expect(validate(value.value), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(catalogFileInput.safeParse(value.value).success);
    }
    expect(compared).toBeGreaterThan(60);
  });
});
