/** Reading the catalog fixture corpus: `test/fixtures/catalogs/<kind>/<case>/{catalog/, expected.yaml}`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const FIXTURES = fileURLToPath(new URL('../fixtures/catalogs/', import.meta.url));
export const EXAMPLE_CATALOG = fileURLToPath(new URL('../../examples/catalog/', import.meta.url));

export interface ExpectedDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  /** Relative to the case's catalog/ folder. */
  file: string;
  line: number;
  column: number;
  /** A fragment of the message. */
  message: string;
  related?: Array<{ file: string; line: number; column: number }>;
}

export interface FixtureCase {
  kind: 'invalid' | 'warnings';
  name: string;
  catalog: string;
  jsonSchema?: 'reject';
  diagnostics: ExpectedDiagnostic[];
}

export function fixtureCases(kind: FixtureCase['kind']): FixtureCase[] {
  return readdirSync(join(FIXTURES, kind))
    .sort()
    .map((name) => {
      const expected = parse(readFileSync(join(FIXTURES, kind, name, 'expected.yaml'), 'utf8')) as Pick<FixtureCase, 'jsonSchema' | 'diagnostics'>;
      return { kind, name, catalog: join(FIXTURES, kind, name, 'catalog'), ...expected };
    });
}

/** Every .yaml/.yml file under a folder, sorted. */
export function yamlFilesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true, withFileTypes: false }) as string[])
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
}
