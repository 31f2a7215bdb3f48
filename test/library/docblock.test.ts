/**
 * The library surface: the docblock example of src/index.ts compiles (docblock-example.ts, typechecked by tsc)
 * and works; one exported name per thing; apply() refuses a plan with errors, as the CLI does; the JSON Schema
 * path is exported.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as library from '../../src/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { docblockExample } from './docblock-example.js';

const KEY = 'kvq_canary_library_8a61c3de40';

const CATALOG = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
features:
  - identifier: sso
    name: SSO
    featureType: BOOLEAN
plans:
  - identifier: free
    product: acme
    name: Free
    entitlements:
      sso: true
`;

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-library-'));
  await writeFile(join(dir, 'catalog.yaml'), CATALOG);
});
afterEach(async () => {
  await emulator.close();
});

/** The docblock's code lines, without the ` *   ` prefix, from the import to the end of the example. */
async function docblockLines(): Promise<string[]> {
  const source = await readFile('src/index.ts', 'utf8');
  const docblock = source.slice(0, source.indexOf('*/'));
  const lines = docblock.split('\n').filter((line) => line.startsWith(' *   '));
  return lines.map((line) => line.slice(' *   '.length));
}

async function exampleFileLines(): Promise<string[]> {
  const source = await readFile('test/library/docblock-example.ts', 'utf8');
  const body = source.split('// example:begin\n')[1]!.split('  // example:end')[0]!;
  return body
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(2));
}

describe('the docblock example', () => {
  test('is the example file, verbatim (bar the import path), so what tsc checks is what the docblock shows', async () => {
    const [importLine, ...code] = await docblockLines();
    expect(importLine).toBe("import { loadCatalog, formatDiagnostics, plan, apply, createClient, resolveTarget } from 'kelviq-catalog';");
    const exampleSource = await readFile('test/library/docblock-example.ts', 'utf8');
    expect(exampleSource).toContain(importLine!.replace("'kelviq-catalog'", "'../../src/index.js'"));
    expect(code.filter(Boolean)).toEqual(await exampleFileLines());
    expect(code.length).toBeGreaterThan(5);
  });

  test('runs: it applies the catalog in ./catalog to the sandbox named by the environment', async () => {
    const original = { cwd: process.cwd(), key: process.env.KELVIQ_SANDBOX_SERVER_API_KEY, url: process.env.KELVIQ_SANDBOX_BASE_URL };
    const logged: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));
    // The example reads ./catalog: a folder named so, in a directory of its own.
    const root = await mkdtemp(join(tmpdir(), 'kelviq-library-root-'));
    await mkdir(join(root, 'catalog'));
    await writeFile(join(root, 'catalog', 'catalog.yaml'), CATALOG);
    process.chdir(root);
    process.env.KELVIQ_SANDBOX_SERVER_API_KEY = KEY;
    process.env.KELVIQ_SANDBOX_BASE_URL = emulator.url;
    try {
      await docblockExample();
    } finally {
      process.chdir(original.cwd);
      for (const [name, value] of [['KELVIQ_SANDBOX_SERVER_API_KEY', original.key], ['KELVIQ_SANDBOX_BASE_URL', original.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      log.mockRestore();
    }
    // product, feature, plan and its entitlements.
    expect(logged).toEqual([['4 change(s) applied']]);
  });
});

describe('the exports', () => {
  test('one name per thing: plan and apply, and no alias of them', () => {
    const names = Object.keys(library);
    for (const alias of ['computePlan', 'executePlan', 'applyPlan']) expect(names).not.toContain(alias);
    expect(typeof library.plan).toBe('function');
    expect(typeof library.apply).toBe('function');
    // No two exported names are the same value (functions, classes, constants).
    const byValue = new Map<unknown, string[]>();
    for (const [name, value] of Object.entries(library)) {
      if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) continue;
      byValue.set(value, [...(byValue.get(value) ?? []), name]);
    }
    expect([...byValue.values()].filter((group) => group.length > 1)).toEqual([]);
  });

  test('catalogJsonSchemaPath is the shipped schema file, the same schema as catalogJsonSchema()', async () => {
    expect(JSON.parse(await readFile(library.catalogJsonSchemaPath, 'utf8'))).toEqual(library.catalogJsonSchema());
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { exports: Record<string, unknown>; files: string[] };
    expect(pkg.exports['./catalog.schema.json']).toBe('./schema/catalog.schema.json');
    expect(pkg.files).toContain('schema');
  });
});

test('apply() refuses a plan with errors, as the CLI does, and writes nothing', async () => {
  const client = library.createClient(library.resolveTarget({ env: { KELVIQ_SANDBOX_SERVER_API_KEY: KEY, KELVIQ_SANDBOX_BASE_URL: emulator.url } }));
  try {
    const loaded = await library.loadCatalog(join(dir, 'catalog.yaml'));
    const first = await library.plan({ client, catalog: loaded.catalog!, environment: 'sandbox' });
    await library.apply(first.plan, { client, live: first.live, environment: 'sandbox' });
    // A feature cannot be changed through the API: the plan carries an error, next to an action it could plan.
    const changed = CATALOG.replace('name: SSO', 'name: Single sign-on').replace('name: Free', 'name: Free plan');
    await writeFile(join(dir, 'catalog.yaml'), changed);
    const second = await library.plan({ client, catalog: (await library.loadCatalog(join(dir, 'catalog.yaml'))).catalog!, environment: 'sandbox' });
    expect(library.hasErrors(second.plan)).toBe(true);
    expect(second.plan.actions.length).toBeGreaterThan(0);
    await expect(library.apply(second.plan, { client, live: second.live, environment: 'sandbox' })).rejects.toThrow(library.InvalidPlanError);
    await expect(library.apply(second.plan, { client, live: second.live, environment: 'sandbox' })).rejects.toThrow(/^the plan has 1 error\(s\) \(.*feature sso.*\); nothing was applied\.$/);
    // Nothing was written: the plan name is still the one the first apply set.
    const third = await library.plan({ client, catalog: (await library.loadCatalog(join(dir, 'catalog.yaml'))).catalog!, environment: 'sandbox' });
    expect(third.plan.actions.map((action) => action.id)).toEqual(second.plan.actions.map((action) => action.id));
  } finally {
    await client.close();
  }
});
