/**
 * `fmt`: canonical key order and formatting, comments kept and moved with what they describe, idempotent, never
 * a change of meaning; refuses YAML errors with file:line:col and writes nothing then; `--check` for PR checks.
 */
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/emulator/server/faults.js';
import { formatCatalogText } from '../../src/schema/fmt/index.js';
import { loadCatalog } from '../../src/schema/index.js';
import type { Catalog } from '../../src/schema/model.js';
import { CATALOG_FILE_LAYOUT, keyRank, type Layout } from '../../src/schema/write/index.js';
import { sortedCatalog as sorted, validCatalogArb } from '../pull/catalog-arbitrary.js';
import { cli } from '../pull/cli-run.js';

let root: string;
let count = 0;
const fresh = async () => {
  const dir = join(root, `case-${++count}`);
  await mkdir(dir, { recursive: true });
  return dir;
};
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-fmt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const MESSY = `# yaml-language-server: $schema=../schema/catalog.schema.json
#
# Header: what this file is about.
plans:
  # The pro plan, sold monthly.
  - name: Pro   # display name
    product: acme
    # Entitlements: the complete set.
    entitlements:
      seats: 5
      api-calls:
        reset: EVERY_MONTH
        value: 1000 # per month
    identifier: pro
    prices:
      - currency: USD
        chargeCatalogPrice:
          - charges:
              - priceData: {amount: 29}
                chargePeriod: MONTHLY
            priceModel: FLAT   # the plan fee
        priceType: PAID
    # Shown on the pricing page.
    isVisible: true
# Products come after plans in this file.
products:
  - taxCode: saas
    identifier: acme
    settings:
      # Tor is blocked: fraud.
      tor: false
      currency: USD
    name: Acme
features:
  - {featureType: CUSTOMIZABLE, name: Seats, identifier: seats}
  - featureType: METER
    identifier: api-calls
    name: API calls
    featureDetails:
      units: {plural: calls, singular: call}
      featureSubType: PRE_AGGREGATED_USAGE
# The end.
`;

const EXPECTED = `# yaml-language-server: $schema=../schema/catalog.schema.json
#
# Header: what this file is about.
# Products come after plans in this file.
products:
  - identifier: acme
    name: Acme
    taxCode: saas
    settings:
      currency: USD
      # Tor is blocked: fraud.
      tor: false
features:
  - { identifier: seats, name: Seats, featureType: CUSTOMIZABLE }
  - identifier: api-calls
    name: API calls
    featureType: METER
    featureDetails:
      featureSubType: PRE_AGGREGATED_USAGE
      units: { singular: call, plural: calls }
plans:
  # The pro plan, sold monthly.
  - identifier: pro
    product: acme
    name: Pro # display name
    # Shown on the pricing page.
    isVisible: true
    # Entitlements: the complete set.
    entitlements:
      seats: 5
      api-calls:
        value: 1000 # per month
        reset: EVERY_MONTH
    prices:
      - priceType: PAID
        currency: USD
        chargeCatalogPrice:
          - priceModel: FLAT # the plan fee
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 29 }

# The end.
`;

/** Every comment line of a file, as the YAML parser sees them (not `#` inside strings), sorted. */
function comments(text: string): string[] {
  const doc = parseDocument(text);
  const found: Array<string | null | undefined> = [doc.commentBefore, doc.comment];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    found.push((node as Node).commentBefore, (node as Node).comment);
    if (isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return found.flatMap((comment) => (comment ?? '').split('\n')).map((line) => line.trim()).filter(Boolean).sort();
}

describe('formatting one file', () => {
  test('canonical key order, comments moved with what they describe, layout normalised', () => {
    const result = formatCatalogText('plans.yaml', MESSY);
    expect(result.text).toBe(EXPECTED);
    expect(comments(result.text!)).toEqual(comments(MESSY));
  });

  test('idempotent: fmt of formatted text changes nothing', () => {
    expect(formatCatalogText('plans.yaml', EXPECTED).text).toBe(EXPECTED);
  });

  test('the loaded catalog is the same before and after', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'before.yaml'), MESSY);
    await mkdir(join(dir, 'after'));
    await writeFile(join(dir, 'after', 'after.yaml'), EXPECTED);
    const before = await loadCatalog(join(dir, 'before.yaml'));
    const after = await loadCatalog(join(dir, 'after', 'after.yaml'));
    expect(before.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(after.catalog).toEqual(before.catalog);
  });

  test('anchors and aliases stay; user-keyed maps (entitlements, metadata) and list items keep their order', () => {
    const text = [
      'plans:',
      '  - name: B',
      '    identifier: b',
      '    product: acme',
      '    metadata: { zeta: 1, alpha: 2 }',
      '    entitlements: &shared',
      '      zz: 1',
      '      aa: true',
      '  - name: A',
      '    identifier: a',
      '    product: acme',
      '    entitlements: *shared',
      '',
    ].join('\n');
    expect(formatCatalogText('x.yaml', text).text).toBe(
      [
        'plans:',
        '  - identifier: b',
        '    product: acme',
        '    name: B',
        '    metadata: { zeta: 1, alpha: 2 }',
        '    entitlements: &shared',
        '      zz: 1',
        '      aa: true',
        '  - identifier: a',
        '    product: acme',
        '    name: A',
        '    entitlements: *shared',
        '',
      ].join('\n'),
    );
  });

  test('a reorder that would put an alias before its anchor is refused, not written', () => {
    const text = 'plans:\n  - identifier: a\n    product: acme\n    name: A\n    metadata: { note: &text Hello }\n    description: *text\n';
    const result = formatCatalogText('x.yaml', text);
    expect(result.text).toBeUndefined();
    expect(result).toMatchObject({ refused: expect.stringMatching(/would change what the file means/) });
  });

  test('YAML errors are refused with the loader\'s diagnostics', () => {
    for (const [text, code] of [
      ['plans:\n  - identifier: a\n    name: [unclosed\n', 'yaml-syntax'],
      ['plans: []\n---\nproducts: []\n', 'yaml-multiple-documents'],
      ['plans:\n  - identifier: a\n    identifier: b\n', 'yaml-duplicate-key'],
    ] as const) {
      const result = formatCatalogText('bad.yaml', text);
      expect(result.text, code).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toContain(code);
    }
  });

  test('property: scrambled key order, styles and comments; fmt keeps meaning and every comment, orders keys, is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(validCatalogArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (catalog, seed) => {
        const text = scrambled(catalog, seed);
        const once = formatCatalogText('scrambled.yaml', text);
        expect(once.text, text).toBeDefined();
        expect(formatCatalogText('scrambled.yaml', once.text!).text).toBe(once.text);
        expect(comments(once.text!)).toEqual(comments(text));
        expectCanonicalOrder(once.text!);
        const dir = await fresh();
        await writeFile(join(dir, 'a.yaml'), text);
        await writeFile(join(dir, 'b.yaml'), once.text!);
        const [before, after] = await Promise.all([loadCatalog(join(dir, 'a.yaml')), loadCatalog(join(dir, 'b.yaml'))]);
        expect(before.catalog).toBeDefined();
        expect(sorted(after.catalog!)).toEqual(sorted(before.catalog!));
      }),
      { numRuns: 40 },
    );
  });
});

describe('kelviq-catalog fmt', () => {
  test('examples/catalog is fmt-clean', async () => {
    const ran = await cli(['fmt', '--check', '--catalog', 'examples/catalog']);
    expect(ran.stdout).toBe('All 5 file(s) formatted.\n');
    expect(ran.code).toBe(0);
  });

  test('--check writes nothing, lists the files that would change, exits 1; fmt rewrites them; then --check exits 0', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'plans.yaml'), MESSY);
    await writeFile(join(dir, 'clean.yaml'), EXPECTED);
    const check = await cli(['fmt', '--check', '--catalog', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`would reformat ${join(dir, 'plans.yaml')}\n1 of 2 file(s) not formatted; run: kelviq-catalog fmt --catalog ${dir}\n`);
    expect(await readFile(join(dir, 'plans.yaml'), 'utf8')).toBe(MESSY);

    const write = await cli(['fmt', '--catalog', dir]);
    expect(write.code).toBe(0);
    expect(write.stdout).toBe(`formatted ${join(dir, 'plans.yaml')}\nFormatted 1 of 2 file(s).\n`);
    expect(await readFile(join(dir, 'plans.yaml'), 'utf8')).toBe(EXPECTED);
    expect((await readdir(dir)).sort()).toEqual(['clean.yaml', 'plans.yaml']); // no temporary file left

    const again = await cli(['fmt', '--check', '--catalog', dir]);
    expect(again.code).toBe(0);
    const twice = await cli(['fmt', '--catalog', dir]);
    expect(twice.stdout).toBe('All 2 file(s) were already formatted.\n');
  });

  test('the command --check prints works as pasted (a folder with a space is quoted); a missing folder is not a YAML error', async () => {
    const dir = join(await fresh(), 'my catalog');
    await mkdir(dir);
    await writeFile(join(dir, 'plans.yaml'), MESSY);
    const check = await cli(['fmt', '--check', '--catalog', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`1 of 1 file(s) not formatted; run: kelviq-catalog fmt --catalog '${dir}'\n`);

    const missing = await cli(['fmt', '--catalog', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[catalog-not-found]');
    expect(missing.stderr).toContain('fmt: 1 error(s); no file was changed. Pass the catalog folder or file with --catalog PATH.\n');
    expect(missing.stderr).not.toContain('Fix the YAML');
  });

  test('a YAML syntax error: exit 1 with file:line:col, and no file is written (not even the valid ones)', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'a.yaml'), MESSY);
    await writeFile(join(dir, 'b.yaml'), 'products:\n  - identifier: acme\n    name: "unclosed\n');
    for (const args of [['fmt', '--catalog', dir], ['fmt', '--check', '--catalog', dir]]) {
      const ran = await cli(args);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(new RegExp(`${join(dir, 'b.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+  error    YAML syntax`));
      expect(ran.stderr).toContain('[yaml-syntax]');
      expect(await readFile(join(dir, 'a.yaml'), 'utf8')).toBe(MESSY);
    }
  });

  test('a single file works as --catalog; permissions kept; a symlinked file is rewritten where it points', async () => {
    const dir = await fresh();
    const file = join(dir, 'catalog.yaml');
    await writeFile(file, MESSY);
    await chmod(file, 0o640);
    expect((await cli(['fmt', '--catalog', file])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(EXPECTED);
    expect((await stat(file)).mode & 0o777).toBe(0o640);

    const folder = await fresh();
    await mkdir(join(folder, 'real'));
    await writeFile(join(folder, 'real', 'plans.yaml'), MESSY);
    await symlink(join(folder, 'real', 'plans.yaml'), join(folder, 'link.yaml'));
    expect((await cli(['fmt', '--catalog', folder])).code).toBe(0);
    expect((await lstat(join(folder, 'link.yaml'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(folder, 'real', 'plans.yaml'), 'utf8')).toBe(EXPECTED);
  });

  test('a file fmt cannot reorder without changing its meaning: exit 1, the file untouched', async () => {
    const dir = await fresh();
    const text = 'plans:\n  - identifier: a\n    product: acme\n    name: A\n    metadata: { note: &text Hello }\n    description: *text\n';
    await writeFile(join(dir, 'a.yaml'), text);
    const ran = await cli(['fmt', '--catalog', dir]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/a\.yaml {2}error {4}not formatted: putting its keys in canonical order would change what the file means/);
    expect(await readFile(join(dir, 'a.yaml'), 'utf8')).toBe(text);
  });

  test('a missing catalog is an error', async () => {
    const ran = await cli(['fmt', '--catalog', join(root, 'nowhere')]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/catalog not found/);
  });

  test('formats a copy of the examples with their comments and loads to the same catalog', async () => {
    const dir = await fresh();
    await cp('examples/catalog', dir, { recursive: true });
    const before = await loadCatalog(dir);
    expect((await cli(['fmt', '--catalog', dir])).code).toBe(0);
    const after = await loadCatalog(dir);
    expect(after.catalog).toEqual(before.catalog);
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** The catalog as a file, with every mapping's keys shuffled, some collections on one line, comments sprinkled. */
function scrambled(catalog: Catalog, seed: number): string {
  const random = mulberry32(seed);
  const shuffle = <T>(items: T[]) => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const scramble = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(scramble);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(shuffle(Object.entries(value).filter(([, v]) => v !== undefined)).map(([k, v]) => [k, scramble(v)]));
  };
  const doc = new Document(scramble({ products: catalog.products, features: catalog.features, plans: catalog.plans }));
  let n = 0;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && random() < 0.3) pair.key.commentBefore = ` c${++n}`;
      if (isScalar(pair.value) && random() < 0.2) pair.value.comment = ` t${++n}`;
    },
    Seq(_, seq) {
      if (random() < 0.2) seq.flow = true;
    },
    Map(_, map) {
      if (random() < 0.2) map.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Every mapping the format knows has its keys in the canonical order. */
function expectCanonicalOrder(text: string): void {
  const check = (node: unknown, layout: Layout): void => {
    if (!isCollection(node)) return;
    if (isSeq(node)) {
      if (layout.kind === 'list') for (const item of node.items) check(item, layout.item);
      return;
    }
    if (!isMap(node)) return;
    if (layout.kind === 'map') for (const pair of node.items) check(pair.value, layout.value);
    if (layout.kind !== 'object') return;
    const keys = node.items.map((pair) => (isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : ''));
    const ranks = keys.map((key) => keyRank(layout, key));
    expect(ranks, keys.join(',')).toEqual([...ranks].sort((a, b) => a - b));
    for (const pair of node.items) if (isScalar(pair.key)) check(pair.value, layout.fields[String(pair.key.value)] ?? { kind: 'free' });
  };
  check(parseDocument(text).contents, CATALOG_FILE_LAYOUT);
}
