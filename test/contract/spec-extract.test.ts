/**
 * The committed spec extract (`spec/kelviq-openapi.extract.json`) is current and whole. Beside a checkout that
 * has the official spec at `../shared/kelviq-api/openapi.json` (workplaces, CI), it must equal a regeneration
 * from that file; on a bare clone it must at least be what the script makes of it (no hand edits), reference
 * nothing it lacks, and hold every operation this tool uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EXTRA_OPERATIONS, EXTRA_SCHEMAS, extractSpec, extractText, noticeText } from '../../scripts/extract-openapi.mjs';
import { ROUTES } from '../../src/emulator/index.js';
import { OFFICIAL_SPEC_PATH, SPEC_PATH, loadOpenApi } from '../helpers/openapi.js';

const NOTICE_PATH = new URL('../../spec/NOTICE.md', import.meta.url);
const committedText = readFileSync(SPEC_PATH, 'utf8');
const extract = JSON.parse(committedText) as Record<string, any>;

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

describe('the committed spec extract', () => {
  test('is what the script writes: from the official spec beside the checkout, else from itself (a hand edit shows)', () => {
    if (existsSync(OFFICIAL_SPEC_PATH)) {
      const official = JSON.parse(readFileSync(OFFICIAL_SPEC_PATH, 'utf8'));
      expect(committedText, 'the extract is stale: run npm run spec:extract and commit spec/').toBe(extractText(official));
      expect(readFileSync(NOTICE_PATH, 'utf8'), 'spec/NOTICE.md is stale: run npm run spec:extract').toBe(noticeText(official));
    } else {
      // The extract is a spec the script accepts and leaves as it is: prose, unknown keywords or unsorted keys
      // added by hand would change it.
      expect(committedText).toBe(extractText(extract));
      expect(readFileSync(NOTICE_PATH, 'utf8')).toBe(noticeText(extract));
    }
  });

  test('every $ref resolves inside the extract', () => {
    const refs = [...new Set(refsIn(extract))];
    expect(refs.length).toBeGreaterThan(20);
    const unresolved = refs.filter((ref) => {
      const name = /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1];
      return !name || !extract.components.schemas[name];
    });
    expect(unresolved).toEqual([]);
  });

  test('holds every operation the emulator serves and the tool reads, and the schemas kept on purpose', () => {
    const operations = loadOpenApi().operations();
    const used = [...ROUTES.map((route) => `${route.method} ${route.template}`), ...EXTRA_OPERATIONS.map(([path, method]) => `${method.toUpperCase()} ${path}`)];
    expect(used.filter((operation) => !operations.includes(operation))).toEqual([]);
    expect(EXTRA_SCHEMAS.filter((name) => !extract.components.schemas[name])).toEqual([]);
    expect(extract.servers).toEqual([{ url: 'https://sandboxapi.kelviq.com/api/v1' }, { url: 'https://api.kelviq.com/api/v1' }]);
  });

  test('keeps the facts (enums, required, readOnly, examples) and leaves the prose out', () => {
    const plan = extract.components.schemas.CatalogPlan;
    expect(plan.properties.version).toEqual({ example: 3, readOnly: true, type: 'integer' });
    expect(extract.components.schemas.ProductCreateRequest.required).toEqual(['name', 'taxCode']);
    expect(extract.components.schemas.PlanPrice.properties.priceType.enum).toEqual(['FREE', 'PAID', 'CUSTOM']);
    // `description` survives only as a property name or inside example values, never as a keyword; the one
    // `title` left is the spec's name in `info`.
    expect(committedText.match(/"(summary|title|externalDocs|x-[a-z-]+)": (?!\{)/g)).toEqual(['"title": ']);
    expect(extract.info).toEqual({ title: 'kelviq API', version: extract.info.version });
    expect(extractSpec({ ...extract, paths: { '/catalog/x/': { get: { description: 'prose', responses: {} } }, ...extract.paths } }).paths['/catalog/x/']).toEqual({
      get: { responses: {} },
    });
  });

  test('says where it comes from and under which licence', () => {
    const notice = readFileSync(NOTICE_PATH, 'utf8');
    expect(notice).toContain(`"${extract.info.title}" version ${extract.info.version}`);
    expect(notice).toContain('npm run spec:extract');
    expect(notice).toContain('MIT License');
    expect(notice).toContain('Permission is hereby granted, free of charge');
  });
});
