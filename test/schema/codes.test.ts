/**
 * The diagnostic-code registry is the truth: every code the sources emit is registered with its severity, every
 * registered code is emitted somewhere, and every one has a test case (the fixture corpus or the generated
 * hostile inputs), so a rule cannot be added untested.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/schema/index.js';
import { fixtureCases } from './fixtures.js';

const SOURCE = fileURLToPath(new URL('../../src/schema/', import.meta.url));
const sources = (readdirSync(SOURCE, { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts') && name !== 'codes.ts')
  .map((name) => readFileSync(join(SOURCE, name), 'utf8'))
  .join('\n');
const hostileTests = readFileSync(fileURLToPath(new URL('./hostile-files.test.ts', import.meta.url)), 'utf8');

/** The fallback for zod issue kinds the format schemas do not produce (custom refinements, …). */
const UNREACHABLE_ON_PURPOSE = new Set(['schema']);

test('every emitted code is registered with the severity it is emitted with', () => {
  const emitted = [...sources.matchAll(/\b(error|warning)\(\s*'([a-z0-9-]+)'/g)].map((match) => [match[2]!, match[1]!] as const);
  expect(emitted.length).toBeGreaterThan(50);
  for (const [code, severity] of emitted) {
    expect(DIAGNOSTIC_CODES, code).toHaveProperty(code);
    expect(DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES].severity, code).toBe(severity);
  }
});

test('every registered code is emitted somewhere', () => {
  for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(sources, code).toContain(`'${code}'`);
});

test('every code has a test case', () => {
  const covered = new Set([...fixtureCases('invalid'), ...fixtureCases('warnings')].flatMap((fixture) => fixture.diagnostics.map((d) => d.code)));
  for (const match of hostileTests.matchAll(/'([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) covered.add(match[1]!);
  const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !covered.has(code) && !UNREACHABLE_ON_PURPOSE.has(code));
  expect(missing).toEqual([]);
});

test('the invalid corpus has at least one case per error rule and 40 cases in all', () => {
  const cases = fixtureCases('invalid');
  expect(cases.length).toBeGreaterThanOrEqual(40);
  for (const fixture of cases) expect(fixture.diagnostics.some((d) => d.severity === 'error'), fixture.name).toBe(true);
});

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

test('the README\'s format reference lists every code with its severity', () => {
  for (const [code, { severity }] of Object.entries(DIAGNOSTIC_CODES)) expect(README, code).toContain(`| \`${code}\` | ${severity} |`);
});

/** A source is a page of Kelviq's documentation (linked) or the API spec (named). */
const SOURCE_CELL = /^(?:API spec \(.+\)|\[[^\]]+\]\(https:\/\/docs\.kelviq\.com\/[^)\s]+\))(?:, (?:API spec \(.+\)|\[[^\]]+\]\(https:\/\/docs\.kelviq\.com\/[^)\s]+\)))*$/;

test('every row of the README\'s Kelviq rules table names the source of its rule', () => {
  const start = README.indexOf("#### Kelviq's rules, checked offline");
  expect(start).toBeGreaterThan(0);
  const section = README.slice(start, README.indexOf('\n### ', start));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  expect(rows.length).toBeGreaterThanOrEqual(45);
  for (const row of rows) {
    const cells = row.slice(1, -1).split(' | ').map((cell) => cell.trim());
    expect(cells, row).toHaveLength(4);
    const [code, severity, , source] = cells as [string, string, string, string];
    const registered = DIAGNOSTIC_CODES[code.slice(1, -1) as keyof typeof DIAGNOSTIC_CODES];
    expect(registered?.severity, row).toBe(severity);
    expect(source, row).toMatch(SOURCE_CELL);
    // A documented business rule names the page the registry gives for it.
    const page = registered && 'page' in registered ? registered.page : undefined;
    if (page) expect(source, row).toContain(`](https://docs.kelviq.com/${page}`);
  }
  const listed = new Set(rows.map((row) => row.slice(3, row.indexOf('`', 3))));
  for (const [code, entry] of Object.entries(DIAGNOSTIC_CODES)) if ('page' in entry) expect(listed, code).toContain(code);
});
