/** GitHub workflow-command annotations: exact lines, and untrusted text that can never end or forge a command. */
import { describe, expect, test } from 'vitest';
import { escapeData, escapeProperty, formatAnnotation, positionOf } from '../../src/output/github.js';

describe('escaping by the workflow-command rules', () => {
  test('message: % CR LF; property: also : and ,', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    // `%` first: an escape already in the text stays text (GitHub decodes %250A to "%0A", not to a line break).
    expect(escapeData('%0A')).toBe('%250A');
  });

  test('other controls and bidi marks are shown, as on a terminal', () => {
    expect(escapeData('a\u001b]0;title\u0007b\u202ec')).toBe('a\\x1b]0;title\\x07b\\u202ec');
  });
});

describe('formatAnnotation', () => {
  test('error and warning with a position and a title, notice without properties', () => {
    expect(formatAnnotation({ level: 'error', file: 'catalog/plans/acme.yaml', line: 12, col: 5, title: 'kelviq-catalog: unknown-key', message: 'unknown key "nmae"' })).toBe(
      '::error file=catalog/plans/acme.yaml,line=12,col=5,title=kelviq-catalog%3A unknown-key::unknown key "nmae"',
    );
    expect(formatAnnotation({ level: 'warning', file: 'x.yaml', message: 'file is empty' })).toBe('::warning file=x.yaml::file is empty');
    expect(formatAnnotation({ level: 'notice', message: 'hello' })).toBe('::notice::hello');
  });

  test('a hostile file name cannot add a property or end the properties; a hostile message cannot start a second command', () => {
    const line = formatAnnotation({ level: 'warning', file: 'a.yaml,line=1::x', line: 3, col: 1, message: 'bad\n::error file=forged.yaml::forged\r\n::stop-commands::t' });
    expect(line).toBe('::warning file=a.yaml%2Cline=1%3A%3Ax,line=3,col=1::bad%0A::error file=forged.yaml::forged%0D%0A::stop-commands::t');
    expect(line.split('\n')).toHaveLength(1);
    // The runner reads properties up to the first `::`; every `,` `=` boundary in them is ours.
    const properties = line.slice('::warning '.length, line.indexOf('::', 2));
    expect(properties.split(',').map((p) => p.split('=')[0])).toEqual(['file', 'line', 'col']);
  });
});

test('positionOf splits file:line:col, keeping colons inside the file name', () => {
  expect(positionOf('catalog/a:b.yaml:7:3')).toEqual({ file: 'catalog/a:b.yaml', line: 7, col: 3 });
  expect(positionOf('catalog/a.yaml')).toEqual({ file: 'catalog/a.yaml' });
  expect(positionOf(undefined)).toEqual({});
});
