/**
 * `pull --force` replaces a catalog folder with what Kelviq holds, and Kelviq holds no policy: the catalog's
 * `policy` would be lost with the files it was in. It is kept instead, comments included:
 * - a file that holds only `policy` is written back as it was, at the same place;
 * - a `policy` that shared a file with products, features or plans (which pull rewrites) is moved into
 *   `policy.yaml`, as a document of its own (with its comments; the file's other sections are pull's to write).
 * Pull itself never writes a policy.
 */
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { isMap, isScalar, parseDocument, YAMLMap, type Pair } from 'yaml';
import { discoverCatalogFiles } from '../schema/load/discover-files.js';
import { DEFAULT_LIMITS } from '../schema/load/limits.js';
import { POLICY_FILE as KEPT_POLICY_FILE, type CatalogFileText } from '../schema/write/catalog-to-yaml.js';

/** The file to write so the folder keeps its policy, or undefined when it has none (or does not exist). */
export async function policyToKeep(out: string, generated: ReadonlySet<string>): Promise<CatalogFileText | undefined> {
  const discovered = await discoverCatalogFiles(out, DEFAULT_LIMITS);
  for (const file of discovered.files) {
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch {
      continue;
    }
    if (!/^policy\s*:/m.test(text)) continue;
    const document = parseDocument(text);
    if (document.errors.length || !isMap(document.contents)) continue;
    const pairs = document.contents.items as Array<Pair<unknown, unknown>>;
    const policy = pairs.find((pair) => isScalar(pair.key) && pair.key.value === 'policy');
    if (!policy) continue;
    const path = relative(out, file.path).split(sep).join('/');
    // Only the policy in it, and pull does not write a file there: kept byte for byte.
    if (pairs.length === 1 && !generated.has(path)) return { path, text };
    const alone = new YAMLMap();
    alone.items.push(policy as Pair<unknown, unknown>);
    document.contents = alone as unknown as typeof document.contents;
    const header = `# The catalog's policy, kept by pull --force from ${path}, where it shared the file with what pull rewrites.\n`;
    return { path: generated.has(KEPT_POLICY_FILE) ? `kept-${KEPT_POLICY_FILE}` : KEPT_POLICY_FILE, text: header + document.toString() };
  }
  return undefined;
}
