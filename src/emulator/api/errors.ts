/**
 * The error shapes the real API answers with, and the one exception type handlers throw to produce them:
 * - `{"detail": "..."}`: Django REST Framework's own errors (404, 401, 405, 415, 429, parse errors);
 * - `{"status": "...", "message": "..."}`: Kelviq's business-rule errors (publish, discard, archive);
 * - DRF field errors: `{"field": ["msg"]}`, nested like the request (`{"prices": [{}, {"currency": [...]}]}`).
 */
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

export const detailError = (status: number, detail: string, headers?: Record<string, string>) =>
  new ApiError(status, { detail }, headers);

export const notFound = () => detailError(404, 'Not found.');

export const businessError = (message: string, status = 400) =>
  new ApiError(status, { status: status === 428 ? 'Precondition required' : 'Bad request', message });

type Path = ReadonlyArray<PropertyKey>;

/** See `schemas.ts`: the emulator refuses what the spec does not list, where the spec lists properties. */
export const UNKNOWN_FIELD = 'Unknown field: the Kelviq API specification does not list it here.';
type ErrorTree = { [key: string]: ErrorTree | ErrorTree[] | string[] };

/** Collects field errors from zod and from checks that need the store, then throws them as one DRF 400. */
export class FieldErrors {
  private readonly root: ErrorTree = {};
  private count = 0;

  /** `prefix` nests every error under it (the seed loader reports `versions[0]` this way). */
  constructor(private readonly prefix: Path = []) {}

  add(relativePath: Path, message: string): void {
    this.count += 1;
    const path = [...this.prefix, ...relativePath];
    const keys = path.length ? path.map(String) : ['non_field_errors'];
    let node: ErrorTree | ErrorTree[] = this.root;
    for (let index = 0; index < keys.length - 1; index += 1) {
      const key = keys[index]!;
      const nextIsItem = typeof path[index + 1] === 'number';
      node = descend(node, key, nextIsItem);
    }
    const last = keys[keys.length - 1]!;
    const holder = node as unknown as Record<string, string[]>;
    (holder[last] ??= []).push(message);
  }

  addZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: Path = []): void {
    for (const issue of issues) {
      // One error per unknown key, under the key itself, as DRF reports a field.
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.add([...prefix, ...issue.path, key], UNKNOWN_FIELD);
      } else this.add([...prefix, ...issue.path], drfMessage(issue));
    }
  }

  get empty(): boolean {
    return this.count === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new ApiError(400, this.root);
  }

  toJSON(): ErrorTree {
    return this.root;
  }
}

/** DRF renders a list of nested serializers as an array with `{}` for items that had no error. */
function descend(node: ErrorTree | ErrorTree[], key: string, nextIsItem: boolean): ErrorTree | ErrorTree[] {
  const container = node as unknown as Record<string, ErrorTree | ErrorTree[]>;
  if (Array.isArray(node)) {
    const index = Number(key);
    while (node.length <= index) node.push({});
    return node[index]!;
  }
  container[key] ??= nextIsItem ? [] : {};
  return container[key];
}

/** zod issue → the message DRF would have written for the same problem. */
function drfMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') && input === undefined) {
    return 'This field is required.';
  }
  switch (issue.code) {
    case 'invalid_type':
      if (input === null) return 'This field may not be null.';
      switch (issue.expected) {
        case 'string':
          return 'Not a valid string.';
        case 'int':
          return 'A valid integer is required.';
        case 'number':
          return 'A valid number is required.';
        case 'boolean':
          return 'Must be a valid boolean.';
        case 'array':
          return `Expected a list of items but got type "${pythonType(input)}".`;
        case 'object':
        case 'record':
          return `Expected a dictionary of items but got type "${pythonType(input)}".`;
        default:
          return issue.message;
      }
    case 'invalid_value':
      return `"${String(input)}" is not a valid choice.`;
    case 'too_small':
      if (issue.origin === 'string') return 'This field may not be blank.';
      if (issue.origin === 'array') return 'This list may not be empty.';
      return `Ensure this value is greater than or equal to ${String(issue.minimum)}.`;
    case 'invalid_format':
      return issue.format === 'url' ? 'Enter a valid URL.' : issue.message;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'Invalid value.' : issue.message;
    default:
      return issue.message;
  }
}

function pythonType(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'NoneType';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'boolean':
      return 'bool';
    default:
      return 'dict';
  }
}

/** Parses with zod (reporting inputs, for DRF-style messages) or throws the DRF 400. */
export function parseBody<T extends z.ZodType>(schema: T, rawBody: unknown, errors = new FieldErrors()): z.infer<T> {
  // DRF sees an empty body as an empty form: every required field is then reported missing.
  const body = rawBody === undefined ? {} : rawBody;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    errors.add([], `Invalid data. Expected a dictionary, but got ${pythonType(body)}.`);
    errors.throwIfAny();
  }
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) errors.addZodIssues(parsed.error.issues);
  errors.throwIfAny();
  return (parsed as { data: z.infer<T> }).data;
}
