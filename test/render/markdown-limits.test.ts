/**
 * What the plan renderers promise beyond one golden file: values are never cut, a PR comment stays under
 * GitHub's size limit while keeping the summary and the matrix, long plan sections are collapsed, every line of
 * a diff block is one GitHub colours, and the matrix is part of `plan --json` and of the text output only when
 * asked for. Plans come from the pure planner against an empty account (every plan new) or from the golden
 * scenarios.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  MARKDOWN_LIMIT,
  planAgainst,
  planJsonDocument,
  pricingMatrix,
  renderPlanMarkdown,
  renderPlanText,
} from '../../src/apply/index.js';
import type { LiveState } from '../../src/diff/live-state.js';
import { scopeOf } from '../../src/diff/live-state.js';
import type { Catalog, Plan } from '../../src/schema/model.js';
import { sampleCatalog } from '../helpers/engine.js';
import { RENDER_CONTEXT } from './scenarios.js';

function emptyAccount(): LiveState {
  return { products: new Map(), features: new Map(), plans: new Map(), featureIdentifierById: new Map() };
}

function planOf(catalog: Catalog) {
  const computed = planAgainst({ catalog, live: emptyAccount(), scope: scopeOf(catalog), environment: 'sandbox' });
  return { plan: computed.plan, matrix: pricingMatrix(catalog, computed.live, computed.plan) };
}

/** Words w00001 w00002 …: each one must appear in the output, whatever the wrapping. */
function words(count: number, prefix = 'w'): string {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(5, '0')}`).join(' ');
}

describe('values in full', () => {
  test('a long description, metadata value and link URL are wrapped, never cut', () => {
    const catalog = sampleCatalog();
    const pro = catalog.plans.find((p) => p.identifier === 'pro') as Plan;
    pro.description = words(200, 'd');
    pro.metadata = { note: words(150, 'm') };
    const url = `https://example.com/${'segment/'.repeat(40)}end`;
    pro.links = [{ name: 'Docs', url }];
    const { plan, matrix } = planOf(catalog);
    for (const output of [renderPlanText(plan, RENDER_CONTEXT), renderPlanMarkdown(plan, { ...RENDER_CONTEXT, matrix })]) {
      expect(output).not.toContain('...');
      expect(output).not.toContain('…');
      for (const word of [...words(200, 'd').split(' '), ...words(150, 'm').split(' ')]) expect(output).toContain(word);
      // The URL continues on the next lines: joined again without the line starts, it is all there.
      const joined = output.replace(/\n[+!\- ]?\s+/g, '');
      expect(joined).toContain(url);
    }
    for (const line of renderPlanText(plan, RENDER_CONTEXT).split('\n')) expect(line.length).toBeLessThanOrEqual(110);
  });
});

describe('GitHub rendering', () => {
  test('every line of every diff block in the golden comments starts with a marker GitHub colours', async () => {
    const folder = join(import.meta.dirname, '..', 'fixtures', 'render');
    const files = (await readdir(folder)).filter((file) => file.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const markdown = await readFile(join(folder, file), 'utf8');
      const blocks = [...markdown.matchAll(/```diff\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
      expect(blocks.length, file).toBeGreaterThan(0);
      for (const line of blocks.join('').split('\n').filter(Boolean)) expect(line, `${file}: ${line}`).toMatch(/^[+\-!] /);
    }
  });

  test('a long plan section is collapsed under a summary of our own words; a short one is not', () => {
    const catalog = sampleCatalog();
    // 25 more grants: the plan's section is long, the whole plan is not.
    for (let index = 0; index < 25; index += 1) {
      catalog.features.push({ identifier: `limit-${index}`, name: `Limit ${index}`, featureType: 'CUSTOMIZABLE' });
      (catalog.plans.find((p) => p.identifier === 'pro') as Plan).entitlements![`limit-${index}`] = { value: index + 1 };
    }
    const { plan } = planOf(catalog);
    const markdown = renderPlanMarkdown(plan, RENDER_CONTEXT);
    const pro = markdown.slice(markdown.indexOf('#### Plan `pro`'));
    expect(pro).toMatch(/^#### Plan `pro` — new plan: created as unpublished draft v1\n\n<details><summary>\d+ change\(s\), \d+ lines<\/summary>\n\n```diff\n/);
    expect(pro).toContain('+     limit-24: 25\n');
    const free = markdown.slice(markdown.indexOf('#### Plan `free`'), markdown.indexOf('#### Plan `pro`'));
    expect(free).not.toContain('<details>');
  });

  test('a long plan collapses every plan section, headings and draft notes staying visible', () => {
    const catalog = sampleCatalog();
    for (let index = 0; index < 20; index += 1) {
      catalog.plans.push({ identifier: `extra-${index}`, product: 'acme', name: `Extra ${index}`, entitlements: { seats: { value: index } }, prices: [{ priceType: 'FREE', currency: 'USD' }] });
    }
    const markdown = renderPlanMarkdown(planOf(catalog).plan, RENDER_CONTEXT);
    const headings = markdown.match(/^#### Plan .*$/gm) ?? [];
    expect(headings).toHaveLength(22);
    expect(headings).toContain('#### Plan `extra-19` — new plan: created as unpublished draft v1');
    expect((markdown.match(/^#### Plan .*\n\n<details><summary>3 change\(s\), \d+ lines<\/summary>\n\n```diff$/gm) ?? []).length).toBe(22);
    // The products and features sections too: 24 in all.
    expect((markdown.match(/^<\/details>$/gm) ?? []).length).toBe(24);
  });

  test('a comment over 65,536 characters keeps the summary, every product matrix and the warnings, and says what it left out', () => {
    const catalog: Catalog = { products: [], features: [{ identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' }], plans: [] };
    for (let product = 0; product < 12; product += 1) {
      catalog.products.push({ identifier: `product-${product}`, name: `Product ${product}`, taxCode: 'saas' });
      for (let index = 0; index < 6; index += 1) {
        catalog.plans.push({
          identifier: `plan-${product}-${index}`,
          product: `product-${product}`,
          name: `Plan ${index}`,
          description: words(250),
          entitlements: { seats: { value: index + 1 } },
          prices: [{ priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 10 + index } }] }] }],
        });
      }
    }
    const { plan, matrix } = planOf(catalog);
    plan.messages.push({ severity: 'warning', message: 'a warning that must survive the cut' });
    const full = renderPlanText(plan, RENDER_CONTEXT);
    expect(full.length).toBeGreaterThan(MARKDOWN_LIMIT);

    const markdown = renderPlanMarkdown(plan, { ...RENDER_CONTEXT, matrix });
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(markdown.startsWith(`### kelviq-catalog plan: sandbox\n\n**Plan: ${plan.summary.create} to create, ${plan.summary.update} to update`)).toBe(true);
    for (let product = 0; product < 12; product += 1) expect(markdown).toContain(`#### Pricing matrix: product \`product-${product}\``);
    expect(markdown).toContain('| `USD monthly plan fee` | `10` | `11` | `12` | `13` | `14` | `15` |');
    // Sections: the products, the features, and one per plan.
    const kept = (markdown.match(/^#### (Plan|Products|Features)\b/gm) ?? []).length;
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(74);
    expect(markdown).toContain(`> **${74 - kept} of 74 section(s) of changes left out** to keep this comment under GitHub's 65,536-character limit.`);
    expect(markdown).toContain('a warning that must survive the cut');
    // Nothing is cut mid-section: every fence opened is closed.
    expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});

test('a matrix too big for one comment is cut by product, with the summary and the warnings kept', () => {
  const catalog: Catalog = { products: [], features: [{ identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' }], plans: [] };
  for (let product = 0; product < 400; product += 1) {
    catalog.products.push({ identifier: `product-${product}`, name: `Product ${product}`, taxCode: 'saas' });
    for (let index = 0; index < 5; index += 1) {
      catalog.plans.push({
        identifier: `plan-${product}-${index}`,
        product: `product-${product}`,
        name: `Plan ${index}`,
        entitlements: { seats: { value: index + 1 } },
        prices: [{ priceType: 'PAID', currency: 'USD', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 10 + index } }, { chargePeriod: 'YEARLY', priceData: { amount: 100 + index } }] }] }],
      });
    }
  }
  const { plan, matrix } = planOf(catalog);
  plan.messages.push({ severity: 'warning', message: 'a warning that must survive the cut' });
  const markdown = renderPlanMarkdown(plan, { ...RENDER_CONTEXT, matrix });
  expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  expect(markdown.startsWith('### kelviq-catalog plan: sandbox\n\n**Plan: ')).toBe(true);
  const tables = (markdown.match(/^#### Pricing matrix: product /gm) ?? []).length;
  expect(tables).toBeGreaterThan(10);
  expect(tables).toBeLessThan(400);
  // The 2,000 new plans' drafts go before the matrix's products, which a reviewer needs more.
  expect(markdown).toMatch(new RegExp(`^> \\*\\*\\d+ of 2000 unpublished draft\\(s\\), the pricing matrix of ${400 - tables} of 400 product\\(s\\) and `, 'm'));
  expect(markdown).toContain("left out** to keep this comment under GitHub's 65,536-character limit. The full plan is in the job log");
  expect(markdown).toContain('a warning that must survive the cut');
});

describe('the matrix in each output', () => {
  test('plan --json carries the matrix as data; the text output shows it only when given', () => {
    const { plan, matrix } = planOf(sampleCatalog());
    const document = planJsonDocument(plan, { ...RENDER_CONTEXT, matrix });
    expect(document.matrix?.products.map((p) => p.product)).toEqual(['acme']);
    const columns = document.matrix?.products[0]?.plans;
    expect(columns).toEqual([
      { plan: 'free', name: 'Free', status: 'new' },
      { plan: 'pro', name: 'Pro', status: 'new' },
    ]);
    const fee = document.matrix?.products[0]?.rows.find((row) => row.label === 'USD monthly plan fee');
    expect(fee).toEqual({ kind: 'price', label: 'USD monthly plan fee', currency: 'USD', period: 'MONTHLY', feature: null, cells: [{ after: null, changed: false }, { after: '29', changed: false }] });

    expect(renderPlanText(plan, RENDER_CONTEXT)).not.toContain('Pricing matrix');
    expect(renderPlanText(plan, { ...RENDER_CONTEXT, matrix })).toContain('Pricing matrix: product acme');
  });
});

describe('untrusted text in the matrix', () => {
  test('identifiers, labels and values are escaped in text and only ever inside code in Markdown', () => {
    const hostile = 'pwn\n# Heading | [x](http://evil) </details> \x1b[2J \u202eevil `tick`';
    const { plan } = planOf(sampleCatalog());
    const matrix = {
      products: [
        {
          product: hostile,
          plans: [{ plan: hostile, name: hostile, status: 'changed' as const }, { plan: `${hostile}2`, name: hostile, status: 'removed' as const }],
          rows: [{ kind: 'feature' as const, label: hostile, feature: hostile, cells: [{ before: hostile, after: `${hostile}!`, changed: true }, { before: hostile, changed: false }] }],
        },
      ],
    };
    const markdown = renderPlanMarkdown(plan, { ...RENDER_CONTEXT, matrix });
    const table = markdown.slice(markdown.indexOf('#### Pricing matrix'), markdown.indexOf('#### Products'));
    // Every table line keeps its cells: a `|` from the data is escaped, so every row still has its 3 cells (label and two plans).
    for (const line of table.split('\n').filter((l) => l.startsWith('|'))) expect(line.replace(/\\\|/g, '').split('|').length, line).toBe(5);
    const outside = table.replace(/(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
    for (const marker of ['pwn', 'Heading', 'evil', '</details>']) expect(outside, marker).not.toContain(marker);
    const text = renderPlanText(plan, { ...RENDER_CONTEXT, matrix });
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('pwn\\n# Heading');
  });
});

test('thousands of policy findings, errors and warnings: the comment stays under the limit, the policy counts and the summary stay, and the note counts what was cut', () => {
  const { plan, matrix } = planOf(sampleCatalog());
  const finding = (index: number) => ({
    rule: 'required-currencies' as const,
    severity: 'error' as const,
    plan: `plan-${index}`,
    message: `plan-${index}: no PAID price in EUR (it has USD; the policy requires USD, EUR)`,
    where: 'catalog/policy.yaml:4:7',
  });
  plan.policy = {
    rules: 1,
    checked: 1,
    violations: Array.from({ length: 3000 }, (_, index) => finding(index)),
    waived: [],
    notEvaluated: [],
    waivers: [],
    strict: false,
  };
  for (let index = 0; index < 2000; index += 1) plan.messages.push({ severity: 'error', message: `error number ${index} about plan-${index}` });
  for (let index = 0; index < 2000; index += 1) plan.messages.push({ severity: 'warning', message: `warning number ${index} about plan-${index}` });

  const markdown = renderPlanMarkdown(plan, { ...RENDER_CONTEXT, matrix });
  expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  expect(markdown.startsWith('### kelviq-catalog plan: sandbox\n\n**Plan: ')).toBe(true);
  expect(markdown).toContain('#### Policy\n\n**3000 violation(s), 0 waived, 0 not evaluated; 1 rule(s)**');
  // The policy's findings are kept first, from the first one on; nothing else fits after them.
  expect(markdown).toContain('`plan-0: no PAID price in EUR');
  const keptFindings = (markdown.match(/^- :x: error `required-currencies`/gm) ?? []).length;
  expect(keptFindings).toBeGreaterThan(100);
  expect(keptFindings).toBeLessThan(3000);
  expect(markdown).toMatch(
    new RegExp(`^> \\*\\*${3000 - keptFindings} of 3000 policy finding\\(s\\), \\d+ of 2000 error\\(s\\), .* and 2000 of 2000 warning\\(s\\) left out\\*\\* to keep this comment under GitHub's 65,536-character limit`, 'm'),
  );
  // A part whose entries were all cut still opens and closes what wraps it.
  expect((markdown.match(/<details>/g) ?? []).length).toBe((markdown.match(/<\/details>/g) ?? []).length);
});
