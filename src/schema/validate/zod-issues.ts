/**
 * zod issues → diagnostics a person can act on: located at the offending key or value in the YAML, phrased in
 * YAML terms ("a mapping", "a list"), with "did you mean" for misspelled keys and enum values, and where a
 * misplaced key belongs (misplaced.ts).
 *
 * Unions (the entitlement shorthands, `upTo`) need care: zod reports every branch's failure. A branch that
 * failed only because the value is of another kind altogether is noise; when some branch got further (the value
 * was a mapping and the mapping branch found a bad key), its issues are the real ones.
 */
import type { Node } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../model.js';
import { describeValue, error, listWords } from '../diagnostics.js';
import { IDENTIFIER_PATTERN } from '../format/common.js';
import { locateKey, locateValue, type PathSegment } from '../load/node-path.js';
import type { SourceFile } from '../load/source-file.js';
import { closestMatch, didYouMean } from './did-you-mean.js';
import { misplacedKeyHint, renamedKey, shapeHint } from './misplaced.js';
import { allowedKeysAt } from './schema-shape.js';

type Issue = z.core.$ZodIssue;

export interface IssueScope {
  file: SourceFile;
  /** YAML node of the validated value. */
  node: Node | undefined;
  /** The plain value that was validated. */
  value: unknown;
  schema: z.ZodType;
  /** What the validated value is, for messages about it as a whole: "plan", "catalog file". */
  noun: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  null: 'null',
};
const typeName = (expected: string) => TYPE_NAMES[expected] ?? expected;

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `prices[0].chargeCatalogPrice[1].priceModel` */
export function pathText(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  return text;
}

const where = (path: readonly PathSegment[], scope: IssueScope) => pathText(path) || scope.noun;
const prefixed = (path: readonly PathSegment[], scope: IssueScope, message: string) => `${where(path, scope)}: ${message}`;

function typeHint(expected: string, received: unknown): string {
  if ((expected === 'number' || expected === 'int') && typeof received === 'string' && received.trim() !== '' && !Number.isNaN(Number(received))) {
    return ' (a quoted number is a string: remove the quotes)';
  }
  if (expected === 'string' && (typeof received === 'number' || typeof received === 'boolean')) {
    return ' (put it in quotes to make it a string)';
  }
  return '';
}

function rangeMessage(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  switch (issue.origin) {
    case 'string':
      return small && bound === 1 ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
    case 'array':
      return `needs ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
    default:
      if (small) return inclusive ? `must be at least ${bound}` : `must be greater than ${bound}`;
      return inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
  }
}

/** zod's own messages start like this; any other message was written in the format schemas on purpose. */
const isDefaultMessage = (message: string) => /^(Invalid|Too small|Too big|Unrecognized)/.test(message);

function describeUnionExpectations(branches: Issue[][]): { expected: string[]; literals: string[] } {
  const expected: string[] = [];
  const literals: string[] = [];
  for (const branch of branches) {
    const first = branch[0];
    if (!first) continue;
    if (first.code === 'invalid_type') expected.push(typeName(first.expected));
    if (first.code === 'invalid_value') {
      for (const value of first.values) {
        expected.push(JSON.stringify(value));
        if (typeof value === 'string') literals.push(value);
      }
    }
  }
  return { expected: [...new Set(expected)], literals };
}

const isKindMismatch = (branch: Issue[]) =>
  branch.length === 1 && branch[0]!.path.length === 0 && (branch[0]!.code === 'invalid_type' || branch[0]!.code === 'invalid_value');

export function issuesToDiagnostics(issues: readonly Issue[], scope: IssueScope, basePath: readonly PathSegment[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    for (const d of issueToDiagnostics(issue, scope, [...basePath, ...(issue.path as PathSegment[])])) out.push(d);
  }
  return out;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isWrittenAsAnotherKey(schema: z.ZodType, path: readonly PathSegment[], object: Record<string, unknown>, missing: string): boolean {
  const allowed = allowedKeysAt(schema, path);
  if (!allowed.length) return false;
  return Object.keys(object).some((key) => !allowed.includes(key) && (renamedKey(path, key, allowed) ?? closestMatch(key, allowed)) === missing);
}

function issueToDiagnostics(issue: Issue, scope: IssueScope, path: PathSegment[]): Diagnostic[] {
  const { file, node } = scope;
  const received = valueAt(scope.value, path);
  // `.inf`, `.nan`, `1e309` were reported where they were read (to-value.ts), with what to write instead.
  if (typeof received === 'number' && !Number.isFinite(received)) return [];
  const parentPath = path.slice(0, -1);
  const parent = valueAt(scope.value, parentPath);
  // zod phrases a missing key by what it expected there (a type, an enum value, a union…): one message for all.
  if (issue.code !== 'unrecognized_keys' && received === undefined && path.length && isPlainObject(parent) && !(String(path[path.length - 1]) in parent)) {
    // `type: BOOLEAN` or `featureTyp: BOOLEAN` is already reported as an unknown key suggesting this one.
    if (isWrittenAsAnotherKey(scope.schema, parentPath, parent, String(path[path.length - 1]))) return [];
    return [error('missing-key', `missing required key "${String(path[path.length - 1])}" in ${where(parentPath, scope)}`, locateValue(file, node, parentPath))];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(scope.schema, path);
      return issue.keys.map((key) => {
        const hint =
          misplacedKeyHint(path, key, valueAt(scope.value, [...path, key]), allowed) ||
          didYouMean(key, allowed) ||
          (allowed.length ? `; expected one of ${allowed.join(', ')}` : '');
        return error('unknown-key', `unknown key "${key}" in ${where(path, scope)}${hint}`, locateKey(file, node, [...path, key]));
      });
    }
    case 'invalid_type': {
      const message = `expected ${typeName(issue.expected)}, got ${describeValue(received)}${typeHint(issue.expected, received)}${shapeHint(path, received)}`;
      return [error('invalid-type', prefixed(path, scope, message), locateValue(file, node, path))];
    }
    case 'invalid_value': {
      const options = issue.values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
      const suggestion = typeof received === 'string' ? didYouMean(received, options) : '';
      const message =
        options.length === 1
          ? `expected ${JSON.stringify(issue.values[0])}, got ${describeValue(received)}${suggestion}`
          : `${describeValue(received)} is not one of ${options.join(', ')}${suggestion}`;
      return [error('invalid-value', prefixed(path, scope, message), locateValue(file, node, path))];
    }
    case 'invalid_union': {
      const branches = issue.errors;
      const informative = branches.filter((branch) => branch.length && !isKindMismatch(branch));
      if (informative.length) {
        const best = informative.reduce((a, b) => (b.length < a.length ? b : a));
        return issuesToDiagnostics(best, scope, path);
      }
      const { expected, literals } = describeUnionExpectations(branches);
      const suggestion = typeof received === 'string' ? didYouMean(received, literals) : '';
      const message = `expected ${listWords(expected)}, got ${describeValue(received)}${suggestion}${typeHint('number', received)}`;
      return [error('invalid-type', prefixed(path, scope, message), locateValue(file, node, path))];
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues[0];
      const reason = inner && !isDefaultMessage(inner.message) ? inner.message : 'invalid key';
      return [error('invalid-identifier', `${pathText(path.slice(0, -1))} key "${key}": ${reason}`, locateKey(file, node, path))];
    }
    case 'invalid_format': {
      const identifierRule = (issue as { pattern?: string }).pattern === String(IDENTIFIER_PATTERN);
      const reason = isDefaultMessage(issue.message) ? `invalid ${issue.format}` : issue.message;
      return [
        error(identifierRule ? 'invalid-identifier' : 'invalid-format', prefixed(path, scope, `${describeValue(received)}: ${reason}`), locateValue(file, node, path)),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const message = isDefaultMessage(issue.message) ? rangeMessage(issue) : issue.message;
      return [error('out-of-range', prefixed(path, scope, `${message}, got ${describeValue(received)}`), locateValue(file, node, path))];
    }
    case 'not_multiple_of':
      return [error('out-of-range', prefixed(path, scope, `must be a multiple of ${String(issue.divisor)}`), locateValue(file, node, path))];
    default:
      return [error('schema', prefixed(path, scope, issue.message), locateValue(file, node, path))];
  }
}
