/**
 * structuredClone for the JSON values the store's records hold, without its fixed cost per call: the answer
 * to one entitlements page cloned ~75 small objects (four per embedded feature), and those calls were the
 * largest part of the emulator's own CPU per request after the HTTP stack. The result is what structuredClone
 * gives for such values: fresh plain objects and arrays, own keys in order (`__proto__` included, as an own
 * key), primitives as they are. Anything else (a Date, a Map, an object with another prototype) goes to
 * structuredClone itself.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    // Sparse arrays (never in JSON) keep structuredClone's handling of holes.
    if (Object.getPrototypeOf(value) !== Array.prototype || !isDense(value)) return structuredClone(value);
    return value.map((item) => cloneJson(item)) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = cloneJson(source[key]);
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}

function isDense(array: unknown[]): boolean {
  for (let index = 0; index < array.length; index += 1) if (!(index in array)) return false;
  return true;
}
