/**
 * A check-only twin of a wire schema, for the common case: a response that is valid.
 *
 * zod's parse of a loose object builds a copy of the whole tree, so every list page was held twice for a moment
 * (JSON.parse's tree, then zod's) and the copy was most of the client's validation CPU (~160 ms per 1,000 pages
 * of 15 entitlements in a profile). A wire schema here is only types, nullish, arrays, records of unknown,
 * unions and loose objects, with no transforms or defaults, so a valid body and zod's output are the same value
 * (zod puts the shape's keys first; nothing reads a wire object's key order: normalize projects onto the
 * catalog format). The twin walks zod's own definition of the schema, so there is no second list of fields.
 *
 * It only ever says "valid" where zod would: whatever it does not mirror exactly (another check, a transform,
 * a `__proto__` key, a strict object) makes it answer false, and the caller then runs zod as before, which
 * gives the verdict, the data and the error message. test/client/check.test.ts compares the two verdicts on
 * mutated bodies.
 */
import type { z } from 'zod';

type Check = (value: unknown) => boolean;
type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  element?: AnySchema;
  keyType?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  shape?: Record<string, AnySchema>;
  catchall?: AnySchema;
  checks?: Array<{ _zod: { def: { check: string; minimum?: number; format?: string; value?: number; inclusive?: boolean } } }>;
  coerce?: boolean;
}

const compiled = new WeakMap<AnySchema, Check | null>();

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The twin of `schema`, or null when the schema uses something the twin does not mirror. */
export function checkerFor(schema: AnySchema): Check | null {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = compile(defOf(schema));
    compiled.set(schema, check);
  }
  return check;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** JSON.parse makes `__proto__` an own key; zod treats it specially. Such a body goes to zod. */
const plainJsonObject = (value: unknown): value is Record<string, unknown> => isObject(value) && !Object.hasOwn(value, '__proto__');

function compile(def: Def): Check | null {
  const checks = def.checks ?? [];
  if (def.coerce) return null;
  switch (def.type) {
    case 'unknown':
      return checks.length ? null : () => true;
    case 'boolean':
      return checks.length ? null : (value) => typeof value === 'boolean';
    case 'string': {
      let minimum = 0;
      for (const check of checks) {
        const c = check._zod.def;
        if (c.check !== 'min_length' || typeof c.minimum !== 'number') return null;
        minimum = Math.max(minimum, c.minimum);
      }
      return (value) => typeof value === 'string' && value.length >= minimum;
    }
    case 'number': {
      const parts: Check[] = [(value) => typeof value === 'number' && Number.isFinite(value)];
      for (const check of checks) {
        const c = check._zod.def;
        if (c.check === 'number_format' && c.format === 'safeint') {
          parts.push((value) => Number.isInteger(value) && (value as number) >= Number.MIN_SAFE_INTEGER && (value as number) <= Number.MAX_SAFE_INTEGER);
        } else if (c.check === 'greater_than' && typeof c.value === 'number') {
          const bound = c.value;
          parts.push(c.inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound);
        } else return null;
      }
      return (value) => parts.every((part) => part(value));
    }
    case 'optional': {
      const inner = !checks.length && def.innerType ? checkerFor(def.innerType) : null;
      return inner && ((value) => value === undefined || inner(value));
    }
    case 'nullable': {
      const inner = !checks.length && def.innerType ? checkerFor(def.innerType) : null;
      return inner && ((value) => value === null || inner(value));
    }
    case 'array': {
      const element = !checks.length && def.element ? checkerFor(def.element) : null;
      if (!element) return null;
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (const item of value) if (!element(item)) return false;
        return true;
      };
    }
    case 'record': {
      // Only the free-form record the wire uses: string keys, any values.
      if (checks.length || !def.keyType || !def.valueType) return null;
      const key = defOf(def.keyType);
      if (key.type !== 'string' || key.checks?.length || key.coerce || defOf(def.valueType).type !== 'unknown') return null;
      // zod wants a plain object (prototype Object.prototype or null): what JSON.parse makes.
      return (value) => plainJsonObject(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
    }
    case 'union': {
      if (checks.length || !def.options?.length) return null;
      const options = def.options.map((option) => checkerFor(option));
      if (options.some((option) => option === null)) return null;
      const all = options as Check[];
      return (value) => all.some((option) => option(value));
    }
    case 'object': {
      // Loose objects only (unknown keys kept as they are); a strict or stripping object is zod's business.
      if (checks.length || !def.shape || !def.catchall || defOf(def.catchall).type !== 'unknown') return null;
      const fields: Array<{ key: string; check: Check }> = [];
      for (const [key, child] of Object.entries(def.shape)) {
        const check = checkerFor(child);
        if (!check) return null;
        fields.push({ key, check });
      }
      return (value) => {
        if (!plainJsonObject(value)) return false;
        for (const { key, check } of fields) if (!check(Object.hasOwn(value, key) ? value[key] : undefined)) return false;
        return true;
      };
    }
    default:
      return null;
  }
}
