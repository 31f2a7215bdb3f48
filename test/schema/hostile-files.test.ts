/**
 * Hostile and accidental inputs, generated in a temp folder (too big, binary or symlinked to commit): each is
 * one diagnostic at the right place, never a throw or a hang, and the rest of the catalog is still checked.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadCatalog, type Diagnostic, type LoadResult } from '../../src/schema/index.js';

const VALID = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
`;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-catalog-hostile-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const pick = (d: Diagnostic) => ({ code: d.code, file: d.file, line: d.line, column: d.column });
const errorsOf = (result: LoadResult) => result.diagnostics.filter((d) => d.severity === 'error');

async function catalogWith(files: Record<string, string | Uint8Array>): Promise<string> {
  const folder = join(root, 'catalog');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(folder, name, '..'), { recursive: true });
    await writeFile(join(folder, name), content);
  }
  return folder;
}

describe('sizes', () => {
  test('a file over 5 MiB is refused without being parsed', async () => {
    const big = `products:\n${'  # padding padding padding padding padding padding padding padding padding\n'.repeat(80_000)}`;
    const folder = await catalogWith({ 'a.yaml': VALID, 'big.yaml': big });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'file-too-large', file: join(folder, 'big.yaml'), line: undefined, column: undefined }]);
    expect(result.diagnostics[0]!.message).toContain('at most 5 MiB');
    expect(result.files).toEqual([join(folder, 'a.yaml')]);
  });

  test('the catalog-wide size budget stops reading further files', async () => {
    const folder = await catalogWith({
      'a.yaml': VALID,
      'b.yaml': VALID.replace('acme', 'acme-2'),
      'c.yaml': VALID.replace('acme', 'acme-3'),
      'd.yaml': VALID.replace('acme', 'acme-4'),
    });
    const result = await loadCatalog(folder, { limits: { maxTotalBytes: VALID.length * 2 + 10 } });
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'catalog-too-large', file: join(folder, 'c.yaml'), line: undefined, column: undefined }]);
    expect(result.files).toEqual([join(folder, 'a.yaml'), join(folder, 'b.yaml')]);
  });

  test('more files than the limit is an error, not a silent truncation', async () => {
    const folder = await catalogWith({ 'a.yaml': VALID, 'b.yaml': 'features: []\n', 'c.yaml': 'plans: []\n' });
    const result = await loadCatalog(folder, { limits: { maxFiles: 2 } });
    expect(errorsOf(result).map((d) => d.code)).toEqual(['catalog-too-large']);
    expect(result.files).toHaveLength(2);
  });
});

describe('encodings', () => {
  test('a binary file is refused at its first NUL byte', async () => {
    const folder = await catalogWith({ 'a.yaml': VALID, 'blob.yaml': Buffer.from([0x70, 0x6c, 0x0a, 0x61, 0x62, 0x00, 0x01, 0x02]) });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'file-binary', file: join(folder, 'blob.yaml'), line: 2, column: 3 }]);
  });

  test('Latin-1 text is refused at the first invalid byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('products:\n  - identifier: acme\n    name: Caf'), Buffer.from([0xe9, 0x0a]), Buffer.from('    taxCode: saas\n')]);
    const folder = await catalogWith({ 'latin1.yaml': latin1 });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'file-encoding', file: join(folder, 'latin1.yaml'), line: 3, column: 14 }]);
    expect(result.diagnostics[0]!.message).toContain('byte 0xE9');
  });

  test('UTF-16 is named as such', async () => {
    const folder = await catalogWith({ 'utf16.yaml': Buffer.from(`\ufeff${VALID}`, 'utf16le') });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'file-encoding', file: join(folder, 'utf16.yaml'), line: 1, column: 1 }]);
    expect(result.diagnostics[0]!.message).toContain('UTF-16');
  });

  test('a UTF-8 byte-order mark is accepted and does not shift columns', async () => {
    const folder = await catalogWith({ 'bom.yaml': `\ufeffproducts:\n  - identifier: acme\n    name: Acme\n    taxCode: sass\n` });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'invalid-value', file: join(folder, 'bom.yaml'), line: 4, column: 14 }]);
  });
});

describe('symlinks', () => {
  test('a symlinked file pointing outside the catalog folder is not read', async () => {
    await writeFile(join(root, 'secret.yaml'), 'products: []\n');
    const folder = await catalogWith({ 'a.yaml': VALID });
    await symlink(join(root, 'secret.yaml'), join(folder, 'leak.yaml'));
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'symlink-outside-catalog', file: join(folder, 'leak.yaml'), line: undefined, column: undefined }]);
    expect(result.files).toEqual([join(folder, 'a.yaml')]);
  });

  test('a symlinked folder pointing outside is not walked; relative ../ links count too', async () => {
    await mkdir(join(root, 'outside'));
    await writeFile(join(root, 'outside', 'x.yaml'), 'products: []\n');
    const folder = await catalogWith({ 'a.yaml': VALID });
    await symlink('../outside', join(folder, 'more'));
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['symlink-outside-catalog']);
    expect(result.files).toEqual([join(folder, 'a.yaml')]);
  });

  test('links inside the folder are followed, and a link back up the tree does not loop', async () => {
    const folder = await catalogWith({ 'a.yaml': VALID, 'nested/b.yaml': 'features: []\n' });
    await symlink(join(folder, 'nested', 'b.yaml'), join(folder, 'alias.yaml'));
    await symlink('..', join(folder, 'nested', 'up'));
    const result = await loadCatalog(folder);
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toEqual([join(folder, 'a.yaml'), join(folder, 'alias.yaml'), join(folder, 'nested', 'b.yaml')]);
  });

  test('a broken symlink is reported', async () => {
    const folder = await catalogWith({ 'a.yaml': VALID });
    await symlink(join(folder, 'missing.yaml'), join(folder, 'gone.yaml'));
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['file-unreadable', join(folder, 'gone.yaml')]]);
  });
});

describe('paths', () => {
  test('a missing path', async () => {
    const result = await loadCatalog(join(root, 'nope'));
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['catalog-not-found', join(root, 'nope')]]);
    expect(result.catalog).toBeUndefined();
  });

  test('a folder without YAML files', async () => {
    await writeFile(join(root, 'README.md'), '# not a catalog\n');
    const result = await loadCatalog(root);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['catalog-empty']);
  });

  test('a single file that is not YAML', async () => {
    await writeFile(join(root, 'catalog.json'), '{}');
    const result = await loadCatalog(join(root, 'catalog.json'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unsupported-file']);
  });

  test('a single YAML file is a catalog; hidden folders and other files are skipped in folders', async () => {
    const folder = await catalogWith({ 'a.yml': VALID, '.git/config.yaml': 'nonsense: [', 'notes.txt': 'x', 'sub/.hidden.yaml': 'bad: [' });
    expect((await loadCatalog(join(folder, 'a.yml'))).catalog?.products).toHaveLength(1);
    const result = await loadCatalog(folder);
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toEqual([join(folder, 'a.yml')]);
  });

  test('folders merge in a deterministic, sorted order, nested folders in place', async () => {
    const folder = await catalogWith({
      'z.yaml': 'features: []\n',
      'b/2.yaml': 'features: []\n',
      'b/10.yaml': 'features: []\n',
      'a.yaml': VALID,
      'b.yaml': 'plans: []\n',
    });
    const result = await loadCatalog(folder);
    expect(result.files.map((file) => file.slice(folder.length + 1))).toEqual(['a.yaml', 'b/10.yaml', 'b/2.yaml', 'b.yaml', 'z.yaml']);
  });
});

describe('resource limits inside a file', () => {
  test('100,000 nested brackets: one nesting diagnostic, quickly', async () => {
    const folder = await catalogWith({ 'deep.yaml': `products: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` });
    const started = Date.now();
    const result = await loadCatalog(folder);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(errorsOf(result).length).toBeGreaterThan(0);
    expect(new Set(errorsOf(result).map((d) => d.code))).toEqual(new Set(['yaml-nesting-depth']));
  });

  test('deep block nesting below the parser limit is caught by the depth limit at the right line', async () => {
    let text = 'products:\n  - identifier: acme\n    name: Acme\n    taxCode: saas\nfeatures:\n  - identifier: x\n    name: X\n    featureType: BOOLEAN\n    metadata:\n';
    for (let level = 0; level < 80; level++) text += `${'  '.repeat(level + 3)}k:\n`;
    const folder = await catalogWith({ 'deep.yaml': text });
    const result = await loadCatalog(folder);
    // metadata's mapping starts on line 10 at depth 4; the one starting m lines lower is at depth 4 + m, so the
    // first over 64 starts on line 71, indented 2 * (61 + 3) spaces.
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'yaml-nesting-depth', file: join(folder, 'deep.yaml'), line: 71, column: 129 }]);
  });

  test('more alias uses than maxAliasCount', async () => {
    const lines = ['features:', '  - identifier: x', '    name: X', '    featureType: BOOLEAN', '    metadata:', '      base: &b 1'];
    for (let i = 0; i < 10_001; i++) lines.push(`      k${i}: *b`);
    const folder = await catalogWith({ 'aliases.yaml': `${lines.join('\n')}\n` });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'yaml-alias-limit', file: join(folder, 'aliases.yaml'), line: 6 + 10_001, column: 15 }]);
    expect(result.diagnostics[0]!.message).toContain('more than 10000 alias uses');
  });

  test('an alias expanding a large anchor many times is stopped by the expansion limit', async () => {
    const list = `[${Array.from({ length: 1000 }, (_, i) => i).join(',')}]`;
    const lines = ['features:', '  - identifier: x', '    name: X', '    featureType: BOOLEAN', '    metadata:', `      base: &b ${list}`];
    for (let i = 0; i < 3000; i++) lines.push(`      k${i}: *b`);
    const folder = await catalogWith({ 'wide.yaml': `${lines.join('\n')}\n` });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
    expect(result.diagnostics[0]!.message).toContain('alias bomb');
  });

  test('a 40,000-key mapping loads in linear time (the yaml library alone takes ~12 s on it)', async () => {
    const lines = ['features:', '  - identifier: x', '    name: X', '    featureType: BOOLEAN', '    metadata:'];
    for (let i = 0; i < 40_000; i++) lines.push(`      k${i}: ${i}`);
    lines.push('      k7: again');
    const folder = await catalogWith({ 'wide.yaml': `${lines.join('\n')}\n` });
    const started = Date.now();
    const result = await loadCatalog(folder);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'yaml-duplicate-key', file: join(folder, 'wide.yaml'), line: 40_006, column: 7 }]);
    expect(result.diagnostics[0]!.related).toEqual([{ file: join(folder, 'wide.yaml'), line: 13, column: 7, message: 'first set here' }]);
  });
});

describe('work bounded before parsing (flow style packs many tokens into few bytes)', () => {
  const FEATURE_HEAD = ['features:', '  - identifier: x', '    name: X', '    featureType: BOOLEAN', '    metadata:'];

  test('a 4.8 MB flow list of small mappings is refused at its bracket within seconds (it took a minute and 1.8 GB)', async () => {
    const items = Array(599_000).fill('{a: 1}').join(', ');
    const folder = await catalogWith({ 'a.yaml': VALID, 'flow.yaml': `${FEATURE_HEAD.join('\n')}\n      list: [${items}]\n` });
    const started = Date.now();
    const result = await loadCatalog(folder);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.diagnostics.map(pick)).toEqual([{ code: 'yaml-flow-collection-limit', file: join(folder, 'flow.yaml'), line: 6, column: 13 }]);
    expect(result.diagnostics[0]!.message).toContain('more than 10,000 entries; write long lists in block style');
  });

  test('a flow list within the entry limit loads', async () => {
    const items = Array.from({ length: 9_999 }, (_, i) => i).join(', ');
    const folder = await catalogWith({ 'flow.yaml': `${FEATURE_HEAD.join('\n')}\n      list: [${items}]\n` });
    const result = await loadCatalog(folder);
    expect(result.diagnostics).toEqual([]);
    expect(result.catalog?.features[0]?.metadata?.list).toHaveLength(9_999);
  });

  test('a file with more tokens than the limit is refused where the budget runs out; the other files are still checked', async () => {
    const lines = [...FEATURE_HEAD];
    for (let i = 0; i < 100; i++) lines.push(`      k${i}: ${i}`); // 3 tokens a line
    const folder = await catalogWith({ 'a.yaml': VALID.replace('saas', 'sass'), 'wide.yaml': `${lines.join('\n')}\n` });
    const result = await loadCatalog(folder, { limits: { maxNodes: 200 } });
    // 14 tokens down to `metadata:`, then 3 a line (key, colon, value): the 201st token is the key on line 6 + 62.
    expect(result.diagnostics.map(pick)).toEqual([
      { code: 'invalid-value', file: join(folder, 'a.yaml'), line: 4, column: 14 },
      { code: 'yaml-node-limit', file: join(folder, 'wide.yaml'), line: 68, column: 7 },
    ]);
    expect(result.diagnostics[1]!.message).toContain('more than 200 YAML tokens');
  });

  test('the catalog-wide token budget stops reading further files', async () => {
    const folder = await catalogWith({ 'a.yaml': VALID, 'b.yaml': VALID.replace('acme', 'acme-2'), 'c.yaml': VALID.replace('acme', 'acme-3') });
    // VALID holds 12 tokens (keys, colons, values, the dash): two files fit in 25, the third does not.
    const result = await loadCatalog(folder, { limits: { maxTotalNodes: 25 } });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['catalog-too-large', join(folder, 'c.yaml')]]);
    expect(result.diagnostics[0]!.message).toContain('more than 25 YAML tokens in all; this file and the rest were not read');
  });

  test('a block list inside [ … ] overflowing the parser\'s stack is one diagnostic, not a crash', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `  - a: ${i}`);
    const folder = await catalogWith({ 'mixed.yaml': `features: [\n${lines.join('\n')}\n]\n` });
    const result = await loadCatalog(folder);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml-nesting-depth']);
  });
});
