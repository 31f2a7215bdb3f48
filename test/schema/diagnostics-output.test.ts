/** Formatting diagnostics for people and for `--json`, and "did you mean". */
import { describe, expect, test } from 'vitest';
import { diagnosticsToJson, formatDiagnostic, formatDiagnostics, type Diagnostic } from '../../src/schema/index.js';
import { closestMatch, editDistance } from '../../src/schema/validate/did-you-mean.js';

const duplicate: Diagnostic = {
  severity: 'error',
  code: 'duplicate-identifier',
  message: 'duplicate plan identifier "pro": it is already declared',
  file: 'plans/b.yaml',
  line: 2,
  column: 17,
  related: [{ file: 'plans/a.yaml', line: 2, column: 17, message: 'first declared here' }],
};

describe('formatDiagnostic', () => {
  test('compiler style: file:line:col  severity  message  [code], related locations indented below', () => {
    expect(formatDiagnostic(duplicate)).toBe(
      'plans/b.yaml:2:17  error    duplicate plan identifier "pro": it is already declared  [duplicate-identifier]\n' +
        '    plans/a.yaml:2:17  first declared here',
    );
  });

  test('warnings, and diagnostics without a position or a file', () => {
    expect(formatDiagnostic({ severity: 'warning', code: 'empty-file', message: 'file is empty', file: 'x.yaml' })).toBe('x.yaml  warning  file is empty  [empty-file]');
    expect(formatDiagnostic({ severity: 'error', code: 'catalog-empty', message: 'no files' })).toBe('<catalog>  error    no files  [catalog-empty]');
  });

  test('color only when asked', () => {
    expect(formatDiagnostics([duplicate])).not.toContain('\u001b[');
    expect(formatDiagnostics([duplicate], { color: true })).toContain('\u001b[31m');
    expect(formatDiagnostics([duplicate, duplicate]).split('\n')).toHaveLength(5);
    expect(formatDiagnostics([])).toBe('');
  });
});

test('diagnosticsToJson: stable keys, no undefined fields', () => {
  const json = diagnosticsToJson([duplicate, { severity: 'error', code: 'catalog-empty', message: 'no files', file: undefined }]);
  expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  expect(Object.keys(json[0]!)).toEqual(['severity', 'code', 'message', 'file', 'line', 'column', 'related']);
  expect(json[1]).toEqual({ severity: 'error', code: 'catalog-empty', message: 'no files' });
});

describe('did you mean', () => {
  test('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('tiered', 'teired')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test.each([
    ['nmae', ['name', 'description'], 'name'],
    ['TEIRED', ['FLAT', 'TIERED', 'VOLUME'], 'TIERED'],
    ['paid', ['FREE', 'PAID', 'CUSTOM'], 'PAID'],
    ['feature_type', ['featureType', 'featureDetails'], 'featureType'],
    ['MONTHLY', ['NEVER', 'EVERY_MONTH'], 'EVERY_MONTH'],
    ['EVERY_MONTH', ['ONE_TIME', 'MONTHLY'], 'MONTHLY'],
    ['infinity', ['inf'], 'inf'],
    ['zzz', ['name', 'description'], undefined],
    ['a', ['b'], undefined],
    ['ID', ['id'], 'id'],
    ['name', ['name'], undefined],
    ['pricing', ['plans', 'products', 'features'], undefined],
    // synonyms, not typos: the first candidate of the synonym's list the enumeration has
    ['ANNUAL', ['ONE_TIME', 'DAILY', 'MONTHLY', 'QUARTERLY', 'YEARLY'], 'YEARLY'],
    ['annually', ['NEVER', 'EVERY_MONTH', 'EVERY_YEAR'], 'EVERY_YEAR'],
    ['ANNUAL', ['DAY', 'MONTH', 'YEAR'], 'YEAR'],
    ['YEAR', ['ONE_TIME', 'DAILY', 'MONTHLY', 'QUARTERLY', 'YEARLY'], 'YEARLY'],
    ['once', ['ONE_TIME', 'DAILY', 'MONTHLY'], 'ONE_TIME'],
  ])('%s in %j → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });
});
