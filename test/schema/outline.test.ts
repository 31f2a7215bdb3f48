/**
 * The text outline (src/schema/load/outline.ts) lets `plan` start per-plan reads before the catalog is parsed.
 * It must never disagree with the parser: for every catalog the loader accepts, the outline either declines
 * (undefined) or gives exactly the scope of the parsed catalog. And it must not decline on what people write:
 * every example, every fixture written in plain block style, everything `fmt`/`pull` write.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scopeOf, scopeOfOutline } from '../../src/diff/live-state.js';
import { loadCatalog } from '../../src/schema/index.js';
import { outlineCatalog, outlineText, type CatalogOutline } from '../../src/schema/load/outline.js';
import type { Catalog } from '../../src/schema/model.js';
import { catalogToFiles } from '../../src/schema/write/index.js';
import { catalogArb } from '../properties/convergence.js';

let folder: string;
let count = 0;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kelviq-catalog-outline-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** 'matched' when the outline gives the parsed catalog's scope, 'declined' when it gives nothing; fails otherwise. */
async function compare(path: string): Promise<'matched' | 'declined' | 'invalid'> {
  const [{ outline }, loaded] = await Promise.all([outlineCatalog(path), loadCatalog(path)]);
  if (!loaded.catalog) return 'invalid';
  if (!outline) return 'declined';
  expect(scopeOfOutline(outline), path).toEqual(scopeOf(loaded.catalog));
  return 'matched';
}

async function writeText(text: string): Promise<string> {
  const file = join(folder, `case-${count++}.yaml`);
  await writeFile(file, text);
  return file;
}

async function writeCatalog(catalog: Catalog): Promise<string> {
  const directory = join(folder, `catalog-${count++}`);
  for (const file of catalogToFiles(catalog, { directory })) {
    await mkdir(dirname(join(directory, file.path)), { recursive: true });
    await writeFile(join(directory, file.path), file.text);
  }
  return directory;
}

describe('catalogs people and the tool write are outlined, and exactly', () => {
  test('examples/catalog', async () => {
    expect(await compare('examples/catalog')).toBe('matched');
  });

  test('every fixture catalog the loader accepts: outlined and equal, or declined', async () => {
    const outcomes: Record<string, number> = { matched: 0, declined: 0, invalid: 0 };
    for (const group of ['invalid', 'warnings']) {
      for (const name of await readdir(join('test/fixtures/catalogs', group))) {
        const path = join('test/fixtures/catalogs', group, name);
        const target = (await stat(path)).isDirectory() && (await readdir(path)).includes('catalog') ? join(path, 'catalog') : path;
        outcomes[await compare(target)]! += 1;
      }
    }
    // The warnings fixtures are valid catalogs in plain block style: the outline must read them.
    expect(outcomes.matched).toBeGreaterThanOrEqual(15);
  });

  test('what catalogToFiles writes (fmt, pull, init) is always outlined, and equal to the parsed scope', async () => {
    await fc.assert(
      fc.asyncProperty(catalogArb, fc.boolean(), fc.boolean(), async (catalog, dropSettings, dropSomePrices) => {
        const varied: Catalog = {
          ...catalog,
          products: catalog.products.map((p) => (dropSettings ? { ...p, settings: undefined } : p)),
          plans: catalog.plans.map((p, i) => (dropSomePrices && i % 2 ? { ...p, prices: undefined } : p)),
        };
        expect(await compare(await writeCatalog(varied))).toBe('matched');
      }),
      { numRuns: 25 },
    );
  });
});

describe('never disagrees with the parser', () => {
  test('the same catalogs written by yaml.stringify with other layouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        catalogArb,
        fc.record({ indentSeq: fc.boolean(), indent: fc.constantFrom(2, 3, 4), flowLevel: fc.constantFrom(-1, 1, 2, 3, 4), comments: fc.boolean() }),
        async (catalog, layout) => {
          let text = stringify(JSON.parse(JSON.stringify(catalog)), { indentSeq: layout.indentSeq, indent: layout.indent, ...(layout.flowLevel > 0 ? {} : {}) });
          if (layout.flowLevel > 0) {
            // Collections at and below this depth written in flow style.
            const { Document } = await import('yaml');
            const doc = new Document(JSON.parse(JSON.stringify(catalog)));
            const visit = (node: unknown, depth: number) => {
              if (node && typeof node === 'object' && 'items' in node) {
                if (depth >= layout.flowLevel) (node as { flow?: boolean }).flow = true;
                for (const item of (node as { items: unknown[] }).items) {
                  visit(item, depth + 1);
                  if (item && typeof item === 'object' && 'value' in item) visit((item as { value: unknown }).value, depth + 1);
                }
              }
            };
            visit(doc.contents, 0);
            text = doc.toString({ indentSeq: layout.indentSeq, indent: layout.indent });
          }
          if (layout.comments) text = text.replace(/\n/g, ' # note\n').replace(/: # note\n/g, ':\n');
          const outcome = await compare(await writeText(text));
          if (layout.flowLevel < 0 || layout.flowLevel >= 3) expect(outcome).not.toBe('invalid');
        },
      ),
      { numRuns: 40 },
    );
  });

  test('YAML that means something other than it looks line by line is declined', () => {
    const declined = [
      // an anchor and a merge key: entitlements come from elsewhere
      'plans:\n  - &base\n    identifier: a\n    product: p\n    name: A\n  - <<: *base\n    identifier: b\n',
      'plans:\n  - identifier: *id\n',
      'plans:\n  - identifier: !!str 12\n',
      'plans:\n  - *whole-plan\n',
      '<<: *sections\n',
      'plans:\n  - !!map\n    identifier: a\n',
      'plans: [{ identifier: a, product: p, name: A }]\n',
      'plans:\n  - { identifier: a, product: p, name: A }\n',
      'plans:\n  - identifier: "a\n      b"\n',
      'plans:\n  - identifier: a\n    entitlements: { x: 1,\n      y: 2 }\n',
      '---\nplans: []\n---\nplans: []\n',
      '%YAML 1.2\n---\nplans: []\n',
      'plans:\n  - identifier: a\n\tprices: []\n',
      'plans:\n  - ? identifier\n    : a\n',
      'plans:\n  - - identifier: a\n',
      'plans: null\n',
      'plans:\n  - identifier: a\r    prices: []\n',
      'plans:\n  - identifier: "a\\u0062"\n',
    ];
    for (const text of declined) expect(outlineText(text), JSON.stringify(text)).toBeUndefined();
  });

  test('block scalars, comments, compact lists, bare dashes and quoted keys are read the way YAML reads them', async () => {
    const cases: Array<[string, CatalogOutline['plans']]> = [
      [
        'plans:\n  - identifier: a\n    description: |\n      prices:\n    entitlements: {}\n',
        [{ identifier: 'a', entitlements: true, prices: false }],
      ],
      [
        'plans:\n- identifier: a # the first\n  prices:\n  - priceType: FREE\n# prices: at column 0 is a comment\n- identifier: b\n',
        [
          { identifier: 'a', entitlements: false, prices: true },
          { identifier: 'b', entitlements: false, prices: false },
        ],
      ],
      [
        "plans:\n  -\n    'identifier': 'it''s'\n    \"entitlements\": {}\n  -   identifier: c\n      prices: []\n",
        [
          { identifier: "it's", entitlements: true, prices: false },
          { identifier: 'c', entitlements: false, prices: true },
        ],
      ],
      [
        'plans:\n  - &first\n    identifier: a\n    entitlements: &grants\n      seats: 5\n    prices: !!seq []\n  - identifier: b\n    entitlements: *grants\n    metadata:\n      <<: { x: 1 }\n',
        [
          { identifier: 'a', entitlements: true, prices: true },
          { identifier: 'b', entitlements: true, prices: false },
        ],
      ],
      ['---\nplans:\n  - identifier: a\n    description: >-\n\n      entitlements: no\n\n    prices: []\n', [{ identifier: 'a', entitlements: false, prices: true }]],
    ];
    for (const [text, plans] of cases) {
      expect(outlineText(text)?.plans, JSON.stringify(text)).toEqual(plans);
      // …and the parser agrees on the keys each plan has.
      const { parse } = await import('yaml');
      const parsed = parse(text) as { plans: Array<Record<string, unknown>> };
      expect(
        parsed.plans.map((p) => ({ identifier: p.identifier, entitlements: 'entitlements' in p, prices: 'prices' in p })),
        JSON.stringify(text),
      ).toEqual(plans);
    }
  });

  test('YAML-ish text: whatever the loader accepts, the outline matches or declines', async () => {
    const pieces = fc.constantFrom(
      'plans:', 'products:', '\n', '\n  ', '\n    ', '\n      ', '- ', 'identifier: a', 'identifier: b', 'product: p', 'name: N',
      'entitlements:', 'prices:', 'settings:', ' {}', ' []', ' |', ' >', ' # c', '"', "'", '&x ', '*x', '<<: ', '{', '}', 'x: 1',
      'priceType: FREE', 'currency: USD', '---', '\t',
    );
    const prefix = 'products:\n  - identifier: p\n    name: P\n    taxCode: saas\n';
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 40 }), async (parts) => {
        await compare(await writeText(prefix + parts.join('')));
      }),
      { numRuns: 150 },
    );
  });

  test('hand-written plan lists in many block layouts: outlined exactly whenever the loader accepts them', async () => {
    const outcomes = { matched: 0, declined: 0, invalid: 0 };
    const value = (indent: string) =>
      fc.constantFrom(
        ' {}', ' { seats: 5 }', ` # none yet\n${indent}  seats: 5`, `\n${indent}  seats: 5\n${indent}  sso: true`, ' &g { sso: true }',
      );
    const prices = (indent: string) =>
      fc.constantFrom(
        `\n${indent}- priceType: FREE\n${indent}  currency: USD`,
        `\n${indent}  - priceType: FREE\n${indent}    currency: USD`,
        ' [{ priceType: FREE, currency: USD }]',
      );
    const description = (indent: string) =>
      fc.constantFrom(
        ' plain words',
        " 'quoted: with colon'",
        ` |\n${indent}  prices:\n${indent}  - not a price\n\n${indent}  entitlements: {}`,
        ` >-\n${indent}   folded\n${indent}   identifier: nope`,
        ` "two ' quotes"`,
        ` |-\n${indent}  "an open quote, an open { and [ in a block scalar\n${indent}  # not a comment`,
      );
    const item = (id: string, indent: string, compactDash: boolean) =>
      fc
        .record({
          entitlements: fc.option(value(indent), { nil: undefined }),
          prices: fc.option(prices(indent), { nil: undefined }),
          description: fc.option(description(indent), { nil: undefined }),
          comment: fc.boolean(),
          quotedId: fc.boolean(),
          order: fc.integer({ min: 0, max: 4 }),
        })
        .map((r) => {
          const lines = [
            `identifier: ${r.quotedId ? `"${id}"` : id}`,
            'product: p',
            `name: Plan ${id}`,
            ...(r.entitlements !== undefined ? [`entitlements:${r.entitlements}`] : []),
            ...(r.prices !== undefined ? [`prices:${r.prices}`] : []),
            ...(r.description !== undefined ? [`description:${r.description}`] : []),
          ];
          const ordered = [...lines.slice(r.order % lines.length), ...lines.slice(0, r.order % lines.length)];
          const [first, ...others] = ordered;
          const head = compactDash ? `- ${first}` : `-\n${indent}${first}`;
          return [head, ...others.map((l) => `${indent}${l}`), ...(r.comment ? ['# between plans'] : [])];
        });
    const layout = fc.record({ seqIndent: fc.constantFrom('', '  ', '    '), keyExtra: fc.constantFrom('  ', '   ', '    '), compactDash: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        layout.chain((l) =>
          fc.tuple(fc.constant(l), fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }).chain((ids) => fc.tuple(...ids.map((id) => item(id, l.seqIndent + l.keyExtra, l.compactDash))))),
        ),
        async ([l, items]) => {
          const body = items.map((lines) => lines.map((line, i) => (i === 0 || line.startsWith('#') ? `${l.seqIndent}${line}` : line)).join('\n')).join('\n');
          // A compact dash puts the first key right after `- `: the other keys line up with it.
          const text = l.compactDash
            ? body.replace(new RegExp(`^${l.seqIndent}- `, 'gm'), `${l.seqIndent}-${' '.repeat(l.keyExtra.length - 1)}`)
            : body;
          const catalog = `products:\n  - identifier: p\n    name: P\n    taxCode: saas\nfeatures:\n  - { identifier: seats, name: Seats, featureType: CUSTOMIZABLE }\n  - { identifier: sso, name: SSO, featureType: BOOLEAN }\nplans:\n${text}\n`;
          const outcome = await compare(await writeText(catalog));
          expect(outcome === 'declined' ? catalog : '', 'a layout the outline should read').toBe('');
          outcomes[outcome] += 1;
        },
      ),
      { numRuns: 150 },
    );
    // Most of these catalogs are valid (a duplicate identifier or a flow price list is not): the comparison ran.
    expect(outcomes.matched).toBeGreaterThan(60);
  });
});

test('a file over the loader\'s size limit is not read by the outline either: no outline, its size counted', async () => {
  const directory = join(folder, `limits-${count++}`);
  await mkdir(directory);
  await writeFile(join(directory, 'a.yaml'), 'plans:\n  - identifier: a\n    prices: []\n');
  await writeFile(join(directory, 'b.yaml'), `# ${'x'.repeat(6 * 1024 * 1024)}\n`);
  const text = await outlineCatalog(directory);
  expect(text.outline).toBeUndefined();
  expect(text.bytes).toBeGreaterThan(6 * 1024 * 1024);
  expect((await outlineCatalog(join(directory, 'a.yaml'))).outline?.plans).toEqual([{ identifier: 'a', entitlements: false, prices: true }]);
});
