/**
 * What `npm pack` ships: a licence, no source maps pointing at sources that are not shipped, and no script that
 * needs files the package does not carry (the demo runs examples/catalog, which is not shipped, so the demo is
 * not either: it is for a clone, `npm run demo`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

const run = promisify(execFile);

let built: string;
let packed: string[];

beforeAll(async () => {
  // The real build configuration, into a folder of its own (dist/ is left alone).
  built = await mkdtemp(join(tmpdir(), 'kelviq-build-'));
  await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', built]);
  // --ignore-scripts: listing the files must not run `prepare` (a build into dist/).
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { env: { ...process.env, npm_config_loglevel: 'silent' } });
  packed = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
}, 180_000);

afterAll(async () => {
  await rm(built, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test('the build emits no source maps and no sourceMappingURL (src/ is not shipped)', async () => {
  const files = await filesUnder(built);
  expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(20);
  expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  for (const file of files.filter((f) => f.endsWith('.js'))) expect(await readFile(file, 'utf8'), file).not.toContain('sourceMappingURL');
});

test('the package carries the MIT licence the manifest names', async () => {
  expect(packed).toContain('LICENSE');
  expect(packed).toContain('README.md');
  const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { license: string };
  expect(manifest.license).toBe('MIT');
  expect(await readFile('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted, free of charge/);
});

test('no shipped file needs one that is not shipped: no demo without examples/, no src/ or test/', () => {
  expect(packed).toContain('bin/kelviq-catalog.js');
  expect(packed).toContain('schema/catalog.schema.json');
  expect(packed.filter((path) => /^(scripts|examples|src|test|bench)\//.test(path))).toEqual([]);
});

test('the catalog loader worker is built beside the module that starts it (loadCatalogInWorker from dist/)', async () => {
  // Tests run the worker from the TypeScript sources (through tsx, see test/schema/load-in-worker.test.ts); the
  // package starts the compiled entry, found next to load-in-worker.js.
  const starter = await readFile(join(built, 'schema', 'load-in-worker.js'), 'utf8');
  expect(starter).toContain("new URL('./load-worker.js', import.meta.url)");
  expect(await readFile(join(built, 'schema', 'load-worker.js'), 'utf8')).toContain('serveLoad(');
});
