#!/usr/bin/env node
// Entry point of the kelviq-catalog CLI. The TypeScript sources are compiled to dist/ by `npm run build`,
// which `npm ci` / `npm install` run through the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('kelviq-catalog is not built yet: run `npm ci` (or `npm run build`) in the package folder.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
