/**
 * The allow-list at the one boundary where live data enters: a live value is projected onto the catalog
 * format's own schemas (`src/schema/format`), so a field the format does not define never reaches a pulled
 * file, a comparison or a request body, whatever the server adds (new fields, server-owned ids, `details`
 * inside charges). The format is the only list of fields: there is no second copy to keep in step.
 *
 * Then the projected value is checked against the same schemas: a value the format cannot express (an enum
 * value Kelviq's documentation lists but the spec does not, such as a WEEKLY charge period, or a shape the
 * format does not know) makes the resource unrepresentable. Callers report it and leave it alone; nothing
 * crashes and nothing is guessed.
 */
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;
// zod 4 keeps a schema's structure in `_zod.def`; only the kinds the catalog format uses are walked.
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
}
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema under optional/nullable/pipe wrappers: what a value is checked against first. */
function unwrap(schema: AnySchema): Def {
  let def = defOf(schema);
  for (;;) {
    if (WRAPPERS.has(def.type) && def.innerType) def = defOf(def.innerType);
    else if (def.type === 'pipe' && def.in) def = defOf(def.in);
    else return def;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Projector = (value: unknown) => unknown;
const compiled = new WeakMap<AnySchema, Projector>();

/**
 * `value` restricted to the keys `schema` defines, recursively. Leaves (strings, numbers, enums, free-form
 * values such as metadata) are kept as they are; a value of the wrong kind is kept too, for `formatIssues` to
 * report. An object of a format-defined shape that ends up empty is dropped from its parent: it sets nothing,
 * and `{}` and absent compare alike (a free-form record such as `entitlements` or `metadata` is kept even when
 * empty, because there an empty set is a statement).
 */
export function projectOnto(schema: AnySchema, value: unknown): unknown {
  return projectorFor(schema)(value);
}

/** The schema walked once into a tree of closures: a plan of 500 plans projects without re-reading zod's defs. */
function projectorFor(schema: AnySchema): Projector {
  let projector = compiled.get(schema);
  if (!projector) {
    projector = compile(unwrap(schema));
    compiled.set(schema, projector);
  }
  return projector;
}

function compile(def: Def): Projector {
  const keep: Projector = (value) => value;
  switch (def.type) {
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, child]) => ({
        key,
        project: (value: unknown) => projectorFor(child)(value),
        dropWhenEmpty: unwrap(child).type === 'object',
      }));
      return (value) => {
        if (!isPlainObject(value)) return value;
        const result: Record<string, unknown> = {};
        for (const { key, project, dropWhenEmpty } of fields) {
          const item = value[key];
          if (item === undefined || !Object.hasOwn(value, key)) continue;
          const projected = item === null ? null : project(item);
          if (dropWhenEmpty && isPlainObject(projected) && Object.keys(projected).length === 0) continue;
          result[key] = projected;
        }
        return result;
      };
    }
    case 'array': {
      if (!def.element) return keep;
      const element = def.element;
      return (value) => (Array.isArray(value) ? value.map((item) => (item == null ? item : projectorFor(element)(item))) : value);
    }
    case 'record': {
      if (!def.valueType) return keep;
      const valueType = def.valueType;
      return (value) => {
        if (!isPlainObject(value)) return value;
        const result: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) result[key] = item == null ? item : projectorFor(valueType)(item);
        return result;
      };
    }
    case 'union': {
      // Only an object can lose keys; scalars and lists under a union (shorthands, meter filters) stay as they are.
      const objectMember = def.options?.find((option) => unwrap(option).type === 'object');
      if (!objectMember) return keep;
      return (value) => (isPlainObject(value) ? projectorFor(objectMember)(value) : value);
    }
    default:
      return keep;
  }
}

export interface ValueIssue {
  /** Where, as the catalog would spell it: `prices[0].chargeCatalogPrice[1].charges[0].chargePeriod`. */
  path: string;
  /** What Kelviq holds there, as JSON text (short). */
  value: string;
  message: string;
}

/**
 * Why `value` (already projected) cannot be written in the catalog format: one issue per offending field.
 * `ignore` drops issues a caller handles itself (cross-references, checked against the live lists).
 */
export function formatIssues(schema: z.ZodType, value: unknown, ignore: (issue: z.core.$ZodIssue) => boolean = () => false): ValueIssue[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues
    .filter((issue) => !ignore(issue))
    .map((issue) => ({
      path: pathText(issue.path),
      value: shortJson(valueAt(value, issue.path)),
      message: issue.message,
    }));
}

/** One line for a person: `chargePeriod is "WEEKLY" (Invalid option: …)`, the first few issues. */
/**
 * Cross-references in a plan: `product`, a charge's `feature`, and the keys of `entitlements` (feature
 * identifiers). Callers check them against the live lists, with a message that says what is missing.
 */
export function isPlanReferenceIssue(issue: z.core.$ZodIssue): boolean {
  const last = issue.path[issue.path.length - 1];
  if (last === 'product' || last === 'feature') return true;
  return issue.path[0] === 'entitlements' && issue.path.length === 2 && issue.code === 'invalid_key';
}

export function describeIssues(issues: ValueIssue[], limit = 3): string {
  const shown = issues.slice(0, limit).map((issue) => `${issue.path || '(the resource)'} is ${issue.value} (${issue.message})`);
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return shown.join('; ') + more;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${String(segment)}` : String(segment)), '');
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function shortJson(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
  // A warning names the value; a long one (a whole entitlement) is shortened there, the field path says where.
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
