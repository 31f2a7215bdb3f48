/**
 * The floor of `validate`, as a process of its own (`node bench/yaml-floor.mjs DIR`): Node starts, loads the
 * `yaml` package alone and parses every .yaml/.yml file under DIR into a Document with positions (node ranges
 * and a LineCounter, what `file:line:column` needs), with the options the loader uses. Nothing else: no
 * validation, no conversion to values. bench/cli.ts times `kelviq-catalog validate` against it. Plain
 * JavaScript (no tsx), so it starts as the built CLI does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';

const OPTIONS = { schema: 'core', version: '1.2', merge: false, uniqueKeys: false, stringKeys: true, strict: true, prettyErrors: false, logLevel: 'error' };

function* yamlFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/.test(entry.name)) yield path;
  }
}

let nodes = 0;
for (const path of yamlFiles(process.argv[2] ?? '.')) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { ...OPTIONS, lineCounter });
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0].message}`);
  nodes += doc.contents?.items?.length ?? 0;
}
process.stdout.write(`${nodes}\n`);
