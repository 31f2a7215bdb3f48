/**
 * loadCatalogInWorker: the same answer as loadCatalog (catalog, policy, files, diagnostics in order, and the
 * locator's answers) over examples/catalog, every fixture catalog and some hostile ones, loaded in a real worker
 * thread (from the TypeScript sources here, through tsx); every way the worker can fail is a rejection with its
 * message, or, before it starts, loading on the main thread.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog, loadCatalogInWorker, type LoadOptions, type LoadResult } from '../../src/schema/index.js';
import { loadCatalogParts } from '../../src/schema/load-catalog.js';
import { loadedAnswer, loadInWorker, loadWorkerEntry, resultOfLoaded, typescriptEntry } from '../../src/schema/load-in-worker.js';
import { EXAMPLE_CATALOG, fixtureCases } from './fixtures.js';

const escape = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

/** Pointers into a YAML node: every key and list element down to `depth`, at most `limit`. */
function pointersUnder(node: Node | undefined, prefix: string, depth: number, out: string[], limit: number): void {
  if (out.length >= limit || depth === 0 || !node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const pointer = `${prefix}/${escape(String(pair.key.value))}`;
      out.push(pointer);
      pointersUnder(pair.value as Node | undefined, pointer, depth - 1, out, limit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      out.push(`${prefix}/${index}`);
      pointersUnder(item as Node, `${prefix}/${index}`, depth - 1, out, limit);
    });
  }
}

/** Pointers to ask both locators: each declared identifier, keys and elements inside it, and some that lead nowhere. */
async function samplePointers(path: string, options: LoadOptions): Promise<string[]> {
  const { firstDeclarations } = await loadCatalogParts(path, options);
  const pointers = ['', '/', 'plans', '/plans', '/plans/no-such-plan', '/nothing/here', '/features/~1weird~0'];
  for (const name of firstDeclarations.values()) {
    const base = `/${name.section}/${escape(name.id)}`;
    pointers.push(base, `${base}/no-such-key`, `${base}/identifier/0`);
    const inside: string[] = [];
    pointersUnder(name.node, base, 5, inside, 60);
    pointers.push(...inside);
  }
  return pointers;
}

async function expectSameResult(result: LoadResult, here: LoadResult, path: string, options: LoadOptions): Promise<void> {
  const { locations, ...rest } = result;
  const { locations: hereLocations, ...hereRest } = here;
  expect(rest, path).toStrictEqual(hereRest);
  expect(Object.keys(result), path).toEqual(Object.keys(here));
  const pointers = await samplePointers(path, options);
  const answers = pointers.map((pointer) => [pointer, locations.locate(pointer)]);
  expect(answers, path).toEqual(pointers.map((pointer) => [pointer, hereLocations.locate(pointer)]));
}

/** Loads `path` in a worker (which must really run) and on this thread, and compares. */
async function expectSameAnswer(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const inWorker = await loadInWorker(path, options);
  expect(inWorker.fallback).toBeUndefined();
  expect(inWorker.thread).toBe('worker');
  await expectSameResult(inWorker.result, await loadCatalog(path, options), path, options);
  return inWorker.result;
}

describe('the same answer as loadCatalog', () => {
  test('the worker entry is the TypeScript one here (no load-worker.js beside the sources), loaded through tsx', () => {
    const entry = loadWorkerEntry();
    expect(typeof entry).toBe('object');
    expect((entry as { url: URL }).url.protocol).toBe('data:');
  });

  test('examples/catalog, with locations of every identifier and many keys inside', async () => {
    const result = await expectSameAnswer(EXAMPLE_CATALOG);
    expect(result.catalog?.plans.length).toBeGreaterThan(0);
    expect(result.policy).toBeDefined();
    expect(result.locations.locate('/plans/analytics-usage/entitlements/events-ingested')).toMatchObject({ file: join(EXAMPLE_CATALOG, 'plans/acme-analytics.yaml') });
  });

  test('the public function gives the same result', async () => {
    const result = await loadCatalogInWorker(EXAMPLE_CATALOG);
    const here = await loadCatalog(EXAMPLE_CATALOG);
    expect(result.catalog).toStrictEqual(here.catalog);
    expect(result.locations.locate('/features/seats')).toEqual(here.locations.locate('/features/seats'));
  });

  // A worker started through tsx costs a second here: a sample of the fixtures runs in real workers (two at a
  // time), every fixture through the same answer, structured-cloned as postMessage does, on this thread.
  const cases = [...fixtureCases('invalid'), ...fixtureCases('warnings')];
  const inWorkers = [
    'duplicate-identifier-across-files',
    'policy-duplicate-across-files',
    'yaml-syntax',
    'yaml-alias-bomb',
    'empty-file',
  ];
  test.concurrent.each(cases.filter((c) => inWorkers.includes(c.name)).map((c) => [`${c.kind}/${c.name}`, c.catalog]))('in a worker: fixture %s', async (_, catalog) => {
    const result = await expectSameAnswer(catalog);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test('every fixture catalog, through the answer a worker posts', async () => {
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const answer = structuredClone(loadedAnswer(await loadCatalogParts(c.catalog)));
      const result = resultOfLoaded(answer, {});
      const here = await loadCatalog(c.catalog);
      expect(result.diagnostics.length, c.name).toBeGreaterThan(0);
      await expectSameResult(result, here, c.catalog, {});
    }
  });

  describe('hostile and odd catalogs', () => {
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'kelviq-catalog-worker-'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    test('a path that does not exist: the same diagnostic', async () => {
      const result = await expectSameAnswer(join(root, 'no-such-catalog'));
      expect(result.diagnostics.map((d) => d.code)).toEqual([expect.any(String)]);
    });

    test('one file of a catalog, and a relative path (the worker shares the working directory)', async () => {
      await Promise.all([expectSameAnswer(join(EXAMPLE_CATALOG, 'features.yaml')), expectSameAnswer('examples/catalog')]);
    });

    test('a block list inside [ … ] overflowing the parser stack: the same diagnostic at the same place', async () => {
      const folder = join(root, 'overflow');
      await mkdir(folder, { recursive: true });
      const lines = Array.from({ length: 5_000 }, (_, i) => `  - a: ${i}`);
      await writeFile(join(folder, 'mixed.yaml'), `features: [\n${lines.join('\n')}\n]\n`);
      const result = await expectSameAnswer(folder);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml-nesting-depth']);
    });

    test('limits cross to the worker: over the token budget, the same "this file and the rest"', async () => {
      const result = await expectSameAnswer(EXAMPLE_CATALOG, { limits: { maxTotalNodes: 400 } });
      expect(result.diagnostics.map((d) => d.code)).toContain('catalog-too-large');
    });
  });
});

describe.concurrent('when the worker fails', () => {
  const misbehaving = typescriptEntry(new URL('./helpers/misbehaving-load-worker.ts', import.meta.url));

  test('an exception in the loader is a rejection with its message, name and code', async () => {
    const failure = loadInWorker('throw', {}, { entry: misbehaving });
    await expect(failure).rejects.toThrow('the loader broke: 42 is not a plan');
    await expect(failure).rejects.toMatchObject({ name: 'RangeError', code: 'E_TEST_LOADER' });
  });

  test('an uncaught exception in the worker is a rejection with its message', async () => {
    await expect(loadInWorker('uncaught', {}, { entry: misbehaving })).rejects.toThrow('uncaught in the worker: cannot read "plans" of undefined');
  });

  test('a value thrown that is not an Error is a rejection with an Error that says it', async () => {
    await expect(loadInWorker('throw-string', {}, { entry: misbehaving })).rejects.toThrow('a string thrown in the worker');
  });

  test('a worker that exits without answering is a rejection, not a hang', async () => {
    await expect(loadInWorker('exit', {}, { entry: misbehaving })).rejects.toThrow('the catalog loader worker exited with code 3 before answering');
  });

  test('a worker over its heap limit is a rejection', async () => {
    await expect(loadInWorker('out-of-memory', {}, { entry: misbehaving, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 } })).rejects.toThrow(
      /memory limit/,
    );
  });

  test('a result that cannot be posted is a rejection with the clone error', async () => {
    await expect(loadInWorker('unclonable', {}, { entry: misbehaving })).rejects.toThrow(/could not be cloned/);
  });

  test('an entry that cannot start: the catalog is loaded on the main thread, and the answer says so', async () => {
    const loaded = await loadInWorker(EXAMPLE_CATALOG, {}, { entry: misbehaving });
    expect(loaded.thread).toBe('main');
    expect(loaded.fallback).toContain('this entry cannot start');
    expect(loaded.result.catalog).toStrictEqual((await loadCatalog(EXAMPLE_CATALOG)).catalog);
  });

  test('no entry at all: loaded on the main thread', async () => {
    const loaded = await loadInWorker(EXAMPLE_CATALOG, {}, { entry: 'no load-worker.js' });
    expect(loaded).toMatchObject({ thread: 'main', fallback: 'no load-worker.js' });
    expect(loaded.result.diagnostics).toEqual([]);
  });
});
