/**
 * The fixture corpus: every invalid catalog reports exactly the diagnostics its expected.yaml lists (code,
 * severity, file, line, column, a message fragment, related locations), and no others; every "warnings"
 * catalog loads (warnings only) with exactly its listed warnings.
 */
import { relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DIAGNOSTIC_CODES, formatDiagnostics, loadCatalog, type Diagnostic } from '../../src/schema/index.js';
import { fixtureCases, type FixtureCase } from './fixtures.js';

function comparable(diagnostic: Diagnostic, catalog: string) {
  return {
    severity: diagnostic.severity,
    code: diagnostic.code,
    file: diagnostic.file === undefined ? undefined : relative(catalog, diagnostic.file),
    line: diagnostic.line,
    column: diagnostic.column,
    message: diagnostic.message,
    related: diagnostic.related?.map((r) => ({ file: relative(catalog, r.file), line: r.line, column: r.column })),
  };
}

function expectedShape(fixture: FixtureCase) {
  return fixture.diagnostics.map((d) => ({ ...d, message: expect.stringContaining(d.message), related: d.related }));
}

describe.each(['invalid', 'warnings'] as const)('%s catalogs', (kind) => {
  const cases = fixtureCases(kind);

  test.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
    const result = await loadCatalog(fixture.catalog);
    const actual = result.diagnostics.map((d) => comparable(d, fixture.catalog));
    // On failure, the formatted diagnostics say what the loader reported instead.
    expect(actual, formatDiagnostics(result.diagnostics)).toEqual(expectedShape(fixture));
    // A documented business rule says what to do: its message ends with a fix after "; ".
    for (const d of result.diagnostics) {
      const registered = DIAGNOSTIC_CODES[d.code as keyof typeof DIAGNOSTIC_CODES];
      if (registered && 'page' in registered) expect(d.message, d.code).toMatch(/; \S[^;]*$/);
    }
    if (kind === 'invalid') expect(result.catalog).toBeUndefined();
    else expect(result.catalog).toBeDefined();
  });
});
