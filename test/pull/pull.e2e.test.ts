/**
 * `pull` as a user meets it, over loopback HTTP: never a UUID or a key in what it writes or prints; refuses to
 * overwrite without --force, and --force never deletes anything but a catalog; a failure at any point (the API
 * midway through the snapshot, a rejected key, a check before the swap) leaves existing files exactly as they
 * were and no temporary folder behind; what the format cannot carry is said, not silently dropped.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KelviqClient } from '../../src/client/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { pullCatalog } from '../../src/pull/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import { writeCatalogFiles } from '../../src/schema/write/index.js';
import { cli } from './cli-run.js';

const CANARY = 'kvq_canary_pull_2b7f9e4d1c6a';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let emulator: RunningEmulator;
let dir: string;
const env = (key = CANARY) => ({ KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: key });
/** The library's client, retrying fast (the CLI's backoff would make a test of exhausted retries slow). */
const fastClient = () => new KelviqClient({ baseUrl: emulator.url, apiKey: CANARY, baseBackoffMs: 1, maxBackoffMs: 5 });

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: CANARY });
  const applied = await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish'], env());
  expect(applied.code, applied.stderr).toBe(0);
  dir = await mkdtemp(join(tmpdir(), 'kelviq-pull-'));
});
afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every file under a folder, relative, with its content. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    result[path.slice(folder.length + 1)] = await readFile(path, 'utf8');
  }
  return result;
}

/** A catalog folder from an earlier pull, with a hand edit, as a user would have it. */
async function existingCatalog(): Promise<{ out: string; before: Record<string, string> }> {
  const out = join(dir, 'catalog');
  expect((await cli(['pull', '--out', out], env())).code).toBe(0);
  await writeFile(join(out, 'features.yaml'), `${await readFile(join(out, 'features.yaml'), 'utf8')}# edited by hand\n`);
  return { out, before: await snapshot(out) };
}

describe('what pull writes and prints', () => {
  test('identifiers only: the live catalog is full of UUIDs (charges name features by UUID), the files have none; no key anywhere', async () => {
    const liveFeatureIds = [...emulator.store.features.values()].map((feature) => feature.id);
    expect(liveFeatureIds.every((id) => UUID.test(id))).toBe(true);
    const out = join(dir, 'catalog');
    const ran = await cli(['pull', '--out', out], env());
    expect(ran.code).toBe(0);
    const files = await snapshot(out);
    expect(Object.keys(files).sort()).toEqual(['features.yaml', 'products/acme-analytics.yaml', 'products/acme-desktop.yaml']);
    for (const [file, text] of Object.entries(files)) {
      expect(text, file).not.toMatch(UUID);
      expect(text, file).not.toContain(CANARY);
      expect(text.split('\n')[0], file).toMatch(/^# yaml-language-server: \$schema=\S+catalog\.schema\.json$/);
    }
    // The charge on the devices feature, stored live with the feature's UUID, is written with its identifier.
    expect(files['products/acme-desktop.yaml']).toContain('- feature: devices\n            priceModel: FLAT');
    expect(ran.stdout + ran.stderr).not.toContain(CANARY);
    expect(ran.stdout).toBe(`Pulled 2 product(s), 8 feature(s) and 6 plan(s) from sandbox into ${out} (3 file(s)).\n`);
  });

  test('--json: a versioned document with files, counts and warnings', async () => {
    const out = join(dir, 'json');
    const ran = await cli(['pull', '--out', out, '--json'], env());
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({
      formatVersion: 1,
      environment: 'sandbox',
      out,
      files: ['features.yaml', 'products/acme-analytics.yaml', 'products/acme-desktop.yaml'],
      counts: { products: 2, features: 8, plans: 6 },
      warnings: [],
      diagnostics: [],
    });
  });

  test('what the format cannot carry is a warning: plan files; a feature archived while still granted and priced', async () => {
    const team = emulator.store.plans.get('desktop-team')!;
    team.versions.at(-1)!.fields.files = [{ id: randomUUID(), name: 'eula.pdf', enabled: true }];
    const devices = [...emulator.store.features.values()].find((feature) => feature.identifier === 'devices')!;
    devices.archived = true; // archived in the dashboard; desktop-team still grants it and prices extra devices

    const out = join(dir, 'catalog');
    const ran = await cli(['pull', '--out', out], env());
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('warning  plan desktop-team has 1 file(s) attached in Kelviq');
    expect(ran.stderr).toMatch(/warning {2}plan desktop-team grants feature\(s\) the API does not list or that are not carried \(devices: archived\?\); its entitlements are left out/);
    expect(ran.stderr).toMatch(/warning {2}plan desktop-team prices a feature the API does not list or that is not carried \(archived\?\); its prices are left out/);
    expect(ran.stderr).toMatch(/warning {2}plan desktop-personal grants feature\(s\) the API does not list or that are not carried \(devices/);
    for (const text of Object.values(await snapshot(out))) expect(text).not.toMatch(UUID);
    // Still a valid catalog that plans to no changes: what was left out is not managed.
    const validated = await cli(['validate', '--catalog', out]);
    expect(validated.code, validated.stdout).toBe(0);
    const planned = await cli(['plan', '--catalog', out, '--detailed-exitcode'], env());
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  });

  test('live data that breaks a catalog rule is still pulled, with the problems shown where they are in the files', async () => {
    // The product's currency changed in the dashboard: no PAID price of its plans is in JPY.
    const product = [...emulator.store.products.values()].find((p) => p.identifier === 'acme-desktop')!;
    const response = await fetch(`${emulator.url}/catalog/products/${product.id}/settings/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${CANARY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'JPY' }),
    });
    expect(response.status).toBe(200);
    const out = join(dir, 'catalog');
    const ran = await cli(['pull', '--out', out], env());
    expect(ran.code).toBe(0);
    const file = join(out, 'products', 'acme-desktop.yaml');
    expect(ran.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+  error    .*\\[product-currency-price-missing\\]`));
    expect(ran.stderr).toMatch(/the live catalog breaks \d+ catalog rule\(s\) above; fix them in the files before planning/);
    const validated = await cli(['validate', '--catalog', out]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain(`${file}:`);
  });

  test('an empty account: an empty folder and a summary that says so', async () => {
    emulator.reset();
    const out = join(dir, 'empty');
    const ran = await cli(['pull', '--out', out], env());
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe(`Pulled 0 product(s), 0 feature(s) and 0 plan(s) from sandbox into ${out} (0 file(s)).\n`);
    expect(await readdir(out)).toEqual([]);
  });
});

describe('overwriting', () => {
  test('refuses a folder that is not empty without --force: exit 1, says what is there and what to do, touches nothing', async () => {
    const { out, before } = await existingCatalog();
    const requestsBefore = emulator.requestLog.entries.length;
    const ran = await cli(['pull', '--out', out], env());
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe(`error  "${out}" is not empty (it holds features.yaml, products/); nothing was written. To replace it, pass --force; or choose another --out.\n`);
    expect(await snapshot(out)).toEqual(before);
    expect(emulator.requestLog.entries.length).toBe(requestsBefore); // refused before reading anything
  });

  test('--json: the refusal is a target-refused error document, not an internal error', async () => {
    const { out, before } = await existingCatalog();
    const ran = await cli(['pull', '--out', out, '--json'], env());
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout)).toEqual({ formatVersion: 1, error: { code: 'target-refused', message: expect.stringContaining('is not empty') } });
    expect(await snapshot(out)).toEqual(before);
  });

  test('--force replaces a catalog folder as a whole (a product gone live, its file gone too)', async () => {
    const { out } = await existingCatalog();
    await writeFile(join(out, 'products', 'retired.yaml'), 'products: []\n');
    const ran = await cli(['pull', '--out', out, '--force'], env());
    expect(ran.code).toBe(0);
    const after = await snapshot(out);
    expect(Object.keys(after).sort()).toEqual(['features.yaml', 'products/acme-analytics.yaml', 'products/acme-desktop.yaml']);
    expect(after['features.yaml']).not.toContain('# edited by hand');
    expect((await readdir(dir)).sort()).toEqual(['catalog']); // neither the old folder nor a temporary one left
  });

  test('--force never deletes what is not a catalog file: a folder holding a README or .git is refused', async () => {
    const { out } = await existingCatalog();
    await writeFile(join(out, 'README.md'), '# our pricing\n');
    await mkdir(join(out, '.git'));
    const before = await snapshot(out);
    const ran = await cli(['pull', '--out', out, '--force'], env());
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`"${out}" holds more than catalog files (.git/, README.md), which replacing it would delete; nothing was written.`);
    expect(await snapshot(out)).toEqual(before);
  });

  test('--force refuses the folder the command runs in, or one holding it (it would be renamed away under the shell)', async () => {
    const { out, before } = await existingCatalog();
    const original = process.cwd();
    for (const [cwd, target] of [[out, '.'], [join(out, 'products'), '..']] as const) {
      process.chdir(cwd);
      try {
        const ran = await cli(['pull', '--out', target, '--force'], env());
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain(`"${target}" is the current folder or one of its parents; nothing was written.`);
      } finally {
        process.chdir(original);
      }
    }
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['catalog']);
  });

  test('refuses a path that is a file', async () => {
    const out = join(dir, 'file.yaml');
    await writeFile(out, 'products: []\n');
    const ran = await cli(['pull', '--out', out, '--force'], env());
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/exists and is not a folder; nothing was written/);
    expect(await readFile(out, 'utf8')).toBe('products: []\n');
  });
});

describe('a failure leaves existing files untouched and nothing behind', () => {
  test('the API fails midway through the snapshot (500 after every retry), even with --force', async () => {
    const { out, before } = await existingCatalog();
    // Every attempt at every plan's price list fails: the lists and other plans' requests succeed around it.
    emulator.injectFaults({ kind: 'error-before', method: 'GET', pathTemplate: '/catalog/plans/{identifier}/prices/', status: 500, times: 1_000 });
    const client = fastClient();
    try {
      await expect(pullCatalog({ client, out, force: true })).rejects.toThrow(/GET \/catalog\/plans\/[\w-]+\/prices\/\?page=1&page_size=100 failed with 500/);
    } finally {
      await client.close();
    }
    expect(emulator.requestLog.entries.some((entry) => entry.template === '/catalog/plans/{identifier}/features/' && entry.status === 200)).toBe(true);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['catalog']);
  });

  test('a rejected key (401): exit 1, the hint, no key echoed, files untouched', async () => {
    const { out, before } = await existingCatalog();
    const wrong = `${CANARY}-wrong`;
    const ran = await cli(['pull', '--out', out, '--force'], env(wrong));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/failed with 401: .*hint: check the API key/);
    expect(ran.stdout + ran.stderr).not.toContain(CANARY);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['catalog']);
  });

  test('a failure after every file is written, just before the swap: the old folder stays, the temporary one goes', async () => {
    const { out, before } = await existingCatalog();
    const files = [{ path: 'features.yaml', text: 'features: []\n' }];
    await expect(
      writeCatalogFiles(out, files, {
        force: true,
        beforeSwap: async (temporary) => {
          expect(await readFile(join(temporary, 'features.yaml'), 'utf8')).toBe('features: []\n');
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['catalog']);
  });

  test('aborted while it writes (Ctrl-C): nothing is moved into place and the temporary folder goes', async () => {
    const { out, before } = await existingCatalog();
    const controller = new AbortController();
    const files = [
      { path: 'features.yaml', text: 'features: []\n' },
      { path: 'products/acme.yaml', text: 'products: []\n' },
    ];
    await expect(
      writeCatalogFiles(out, files, {
        force: true,
        signal: controller.signal,
        // The signal arrives once every file is written, before the swap: the last moment the writer looks.
        beforeSwap: async () => controller.abort(new Error('SIGINT')),
      }),
    ).rejects.toThrow('SIGINT');
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(['catalog']);
  });

  test('a pulled catalog loads into the live catalog exactly (pull checks this before the swap)', async () => {
    const out = join(dir, 'checked');
    const client = fastClient();
    try {
      const result = await pullCatalog({ client, out });
      expect(result.diagnostics).toEqual([]);
      expect(result.counts).toEqual({ products: 2, features: 8, plans: 6 });
    } finally {
      await client.close();
    }
    const loaded = await loadCatalog(out);
    expect(loaded.catalog!.plans.map((plan) => plan.identifier).sort()).toEqual([...emulator.store.plans.keys()].sort());
  });
});
