/**
 * The one table of server defaults the code relies on: a value Kelviq is documented to fill in when a client
 * leaves a field out. `pull` and `promote` leave a field out of what they write only when its value is listed
 * here; every other value the server holds is written explicitly, so a pulled catalog and a promoted
 * environment carry exactly what the source holds, whatever a server chooses for omitted fields.
 *
 * Every entry names its source: a path in the official OpenAPI spec (a `default` keyword) or a page of Kelviq's
 * documentation that states the exact value. An `example` is not a default (NOTES.md), and neither is what the
 * emulator happens to store. At the time of writing the spec declares no `default` anywhere and the
 * documentation states no field value a server fills in (it describes behaviour, e.g. tax-settings.mdx "By
 * default Kelviq adds tax on top of your listed price", without naming the `taxBehavior` value that stands for
 * it), so the table is empty. `test/diff/server-defaults.test.ts` fails for an entry without a source that
 * resolves, and for a pull that leaves out any other value.
 */
import { isDeepStrictEqual } from 'node:util';

export interface DocumentedDefault {
  resource: 'product' | 'feature' | 'plan';
  /** Path in the catalog format below the resource, e.g. `['settings', 'vpn']`. */
  path: readonly string[];
  value: unknown;
  /**
   * `openapi:#/components/schemas/<Schema>/properties/<field>/default`, or
   * `docs:<folder>/<page>.mdx` with the sentence that states the value.
   */
  source: string;
}

export const DOCUMENTED_DEFAULTS: readonly DocumentedDefault[] = [];

/** `model` without the values that equal a documented default (what pull and promote may leave out). */
export function withoutDocumentedDefaults<T extends object>(resource: DocumentedDefault['resource'], model: T): T {
  for (const entry of DOCUMENTED_DEFAULTS) {
    if (entry.resource !== resource) continue;
    const parentPath = entry.path.slice(0, -1);
    const key = entry.path[entry.path.length - 1];
    let parent: unknown = model;
    for (const segment of parentPath) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[segment] : undefined;
    if (key !== undefined && parent && typeof parent === 'object' && isDeepStrictEqual((parent as Record<string, unknown>)[key], entry.value)) {
      delete (parent as Record<string, unknown>)[key];
    }
  }
  return model;
}
