/**
 * What the program's definition needs at load time (flag parsers, defaults, error text), kept apart from
 * `shared.ts`: that one reaches the client and the catalog loader (undici, zod, yaml), which `--version`,
 * `--help` and `schema` never need and must not pay for at start-up.
 */

/** Where the catalog is unless --catalog (or pull's --out) says otherwise. */
export const DEFAULT_CATALOG = './catalog';

/**
 * Whether --catalog names a catalog of its own: commander fills in the default, so a flag that was not given and
 * one given as the default read alike (both mean ./catalog).
 */
export const catalogGiven = (catalog: string | undefined): catalog is string => catalog !== undefined && catalog !== DEFAULT_CATALOG;

/** Requests in flight unless --concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 8;

export function parseConcurrency(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) {
    throw new Error(`--concurrency takes a whole number from 1 to 64, got "${value}"`);
  }
  return number;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Commander's accumulator for a repeatable option (`--allow a --allow b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const ALLOW_DESCRIPTION = 'waive a policy rule: RULE for every plan, RULE:PLAN for one plan (repeatable)';

/** A path as one shell word, for a command printed to be pasted: as it is when nothing in it is special to a shell, else single-quoted. */
export function shellWord(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
