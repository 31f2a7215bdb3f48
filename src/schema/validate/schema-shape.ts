/**
 * Which keys a strict object accepts at a given path of a zod schema: the candidates for "did you mean" when
 * zod reports an unrecognized key (zod itself does not say what it expected).
 */
import type { z } from 'zod';
import type { PathSegment } from '../load/node-path.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

/** Strips optional/nullable/… wrappers and the input side of pipes (transforms). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
  return current;
}

/** The object among a union's options (entitlement shorthands: only the details object has keys). */
function objectOption(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return schema;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const found = objectOption(unwrap(option));
      if (found) return found;
    }
  }
  return undefined;
}

function step(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  const current = unwrap(schema);
  const def = defOf(current);
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  const object = objectOption(current);
  if (!object) return undefined;
  return defOf(object).shape?.[String(segment)];
}

export function allowedKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    if (!current) return [];
    current = step(current, segment);
  }
  if (!current) return [];
  const object = objectOption(unwrap(current));
  return object ? Object.keys(defOf(object).shape ?? {}) : [];
}
