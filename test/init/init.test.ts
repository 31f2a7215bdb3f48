/**
 * `init`: a starter catalog that validates without a warning, is fmt-clean, applies (and publishes) as is, and
 * never overwrites anything.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import { cli } from '../pull/cli-run.js';

const VERSION = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-init-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('kelviq-catalog init', () => {
  test('the next commands it prints work as pasted: a folder with a space is quoted', async () => {
    const target = join(root, 'with space', 'my catalog');
    const ran = await cli(['init', '--catalog', target]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`Next: edit it, then kelviq-catalog validate --catalog '${target}' and kelviq-catalog plan --catalog '${target}'.\n`);
  });

  test('writes a small commented catalog that validates with no warning and is fmt-clean', async () => {
    const target = join(root, 'fresh', 'catalog');
    const ran = await cli(['init', '--catalog', target]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`Wrote a starter catalog to ${target}: features.yaml, policy.yaml, products/my-app.yaml.`);
    expect((await readdir(dirname(target))).sort()).toEqual(['catalog']); // nothing else left beside it

    const validated = await cli(['validate', '--catalog', target]);
    expect(validated.stdout).toBe(
      [
        'Policy: 0 violation(s), 0 waived, 0 not evaluated; 1 of 3 rule(s) checked',
        "  2 rule(s) need Kelviq's live state: plan, apply and promote check them.",
        '',
        'Catalog is valid, 0 warning(s) in 3 file(s) (1 products, 3 features, 2 plans).',
        '',
      ].join('\n'),
    );
    expect(validated.code).toBe(0);
    const formatted = await cli(['fmt', '--check', '--catalog', target]);
    expect(formatted.stdout).toBe('All 3 file(s) formatted.\n');
    expect(formatted.code).toBe(0);

    const { catalog, policy } = await loadCatalog(target);
    // A policy its own plans satisfy, so the guardrails are there from the first pull request.
    expect(policy?.rules.map((rule) => rule.rule)).toEqual(['max-price-change', 'keep-grants-with-customers', 'trial-days']);
    expect(new Set(catalog!.features.map((f) => f.featureType))).toEqual(new Set(['BOOLEAN', 'CUSTOMIZABLE', 'METER']));
    expect(catalog!.plans.map((p) => p.prices?.[0]?.priceType).sort()).toEqual(['FREE', 'PAID']);
    for (const file of ['features.yaml', 'policy.yaml', 'products/my-app.yaml']) {
      const text = await readFile(join(target, file), 'utf8');
      // Outside any project that installs kelviq-catalog (as with a global install or npx): this version's schema by URL.
      const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
      expect(modeline![1]).toBe(`https://unpkg.com/kelviq-catalog@${VERSION}/schema/catalog.schema.json`);
      // Comments explain the shape.
      expect(text.split('\n').filter((line) => line.trim().startsWith('#')).length).toBeGreaterThan(4);
    }
  });

  test('in a project that installs kelviq-catalog, the modeline goes through node_modules/kelviq-catalog, not the store', async () => {
    // pnpm's layout: node_modules/kelviq-catalog is a symlink into a folder named after the version.
    const project = join(root, 'pnpm-project');
    const store = join(project, 'node_modules', '.pnpm', 'kelviq-catalog@0.0.1', 'node_modules', 'kelviq-catalog');
    await mkdir(join(store, 'schema'), { recursive: true });
    await writeFile(join(store, 'schema', 'catalog.schema.json'), '{}');
    await symlink(relative(join(project, 'node_modules'), store), join(project, 'node_modules', 'kelviq-catalog'), 'dir');
    const target = join(project, 'config', 'catalog');
    expect((await cli(['init', '--catalog', target])).code).toBe(0);
    const features = await readFile(join(target, 'features.yaml'), 'utf8');
    expect(features.split('\n')[0]).toBe('# yaml-language-server: $schema=../../node_modules/kelviq-catalog/schema/catalog.schema.json');
    const product = await readFile(join(target, 'products', 'my-app.yaml'), 'utf8');
    expect(product.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../node_modules/kelviq-catalog/schema/catalog.schema.json');
  });

  test('the starter applies and publishes as it is; a second plan shows no changes', async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const target = join(root, 'applied');
      expect((await cli(['init', '--catalog', target])).code).toBe(0);
      const env = { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: emulator.apiKey };
      const applied = await cli(['apply', '--catalog', target, '--yes', '--publish'], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(emulator.publishLog.map((p) => p.identifier).sort()).toEqual(['free', 'pro-monthly']);
      expect((await cli(['plan', '--catalog', target, '--detailed-exitcode'], env)).code).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  test('an existing empty folder is fine', async () => {
    const target = join(root, 'empty');
    await mkdir(target);
    expect((await cli(['init', '--catalog', target])).code).toBe(0);
    expect((await readdir(target)).sort()).toEqual(['features.yaml', 'policy.yaml', 'products']);
  });

  test('refuses a folder that holds anything, and leaves it exactly as it was', async () => {
    const target = join(root, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'features.yaml'), 'features: []\n');
    await writeFile(join(target, 'notes.txt'), 'mine');
    const ran = await cli(['init', '--catalog', target]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`"${target}" is not empty (it holds features.yaml, notes.txt); nothing was written.`);
    expect(ran.stderr).toContain('choose a folder that does not exist or is empty');
    expect((await readdir(target)).sort()).toEqual(['features.yaml', 'notes.txt']);
    expect(await readFile(join(target, 'features.yaml'), 'utf8')).toBe('features: []\n');
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]); // no temporary folder left
  });

  test('refuses a path that is a file', async () => {
    const target = join(root, 'a-file');
    await writeFile(target, 'x');
    const ran = await cli(['init', '--catalog', target]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('exists and is not a folder');
    expect(await readFile(target, 'utf8')).toBe('x');
  });
});
