/**
 * JSON canonicalisation after RFC 8785 (JCS): object keys sorted by UTF-16 code units, numbers and strings
 * serialised as ECMAScript's JSON.stringify does (which is what RFC 8785 specifies), no whitespace. Two values
 * that are equal as JSON data give the same text whatever order their keys were set in, which is what a
 * fingerprint or an "is this the same plan" comparison needs. Maps are written as objects keyed by their keys.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, parts: string[]): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    parts.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'number') {
    // RFC 8785 has no representation for them; JSON.stringify would silently write null.
    if (!Number.isFinite(value)) throw new TypeError(`cannot canonicalise the number ${value}`);
    parts.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((item, index) => {
      if (index) parts.push(',');
      // As in JSON.stringify: an array slot holding undefined is null.
      write(item === undefined ? null : item, parts);
    });
    parts.push(']');
    return;
  }
  if (value instanceof Map) {
    write(Object.fromEntries(value), parts);
    return;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, the order RFC 8785 prescribes.
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    parts.push('{');
    keys.forEach((key, index) => {
      if (index) parts.push(',');
      parts.push(JSON.stringify(key), ':');
      write(record[key], parts);
    });
    parts.push('}');
    return;
  }
  // undefined at the top level, functions, symbols, bigints: not JSON data.
  throw new TypeError(`cannot canonicalise a value of type ${typeof value}`);
}
