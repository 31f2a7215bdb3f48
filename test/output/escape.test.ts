/**
 * The escapers, one per output. What each promises is checked on the strings that broke each output before:
 * terminal control sequences, bidi overrides, line breaks, Markdown syntax, GitHub workflow commands.
 */
import { describe, expect, test } from 'vitest';
import { forCiLog, forTerminal, jsonForCiLog, markdownCode } from '../../src/output/escape.js';

describe('forTerminal', () => {
  test.each([
    ['\x1b]0;title\x07', '\\x1b]0;title\\x07'],
    ['\x1b[2J', '\\x1b[2J'],
    ['\u009b31m', '\\x9b31m'],
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['\x7f\x00', '\\x7f\\x00'],
    ['\u202eevil\u2066x\u2069', '\\u202eevil\\u2066x\\u2069'],
    ['line\u2028sep\u2029para\u0085nel', 'line\\u2028sep\\u2029para\\x85nel'],
  ])('shows %j as %s', (raw, shown) => {
    expect(forTerminal(raw)).toBe(shown);
  });

  test('leaves ordinary text, punctuation and non-Latin letters alone', () => {
    const text = 'Pro plan — 10 € / Monat, 日本語, "quoted" `code` [x](y) ::not at a line start';
    expect(forTerminal(text)).toBe(text);
  });
});

describe('markdownCode', () => {
  test('a fence longer than any backtick run inside, padded when the text touches it', () => {
    expect(markdownCode('pro')).toBe('`pro`');
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    expect(markdownCode('`tick`')).toBe('`` `tick` ``');
  });

  test('one line: a line break would let the next line be read as a heading or an HTML block', () => {
    expect(markdownCode('x\n# Heading\n</details>')).toBe('`x\\n# Heading\\n</details>`');
  });

  test('in a table cell, | is escaped so the cell does not end', () => {
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(markdownCode('a|b')).toBe('`a|b`');
  });
});

describe('forCiLog', () => {
  test('no line starts a workflow command, however it is indented', () => {
    const shown = forCiLog('ok\n::error::forged\n  ::stop-commands::tok\n\r::add-mask::x\nmid ::error:: is fine');
    for (const line of shown.split('\n')) expect(line.trimStart()).not.toMatch(/^::/);
    expect(shown).toBe('ok\n\\x3a:error::forged\n  \\x3a:stop-commands::tok\n\r\\x3a:add-mask::x\nmid ::error:: is fine');
  });

  test('the legacy ##[command] form, read anywhere in a line, is broken up', () => {
    expect(forCiLog('name ##[error]forged')).toBe('name #\\x23[error]forged');
  });

  test('JSON keeps its data: the escaped document parses to the original string', () => {
    const value = { name: 'x ##[error]forged', other: '::error::y' };
    const json = jsonForCiLog(JSON.stringify(value));
    expect(json).not.toContain('##[');
    expect(JSON.parse(json)).toEqual(value);
  });
});
