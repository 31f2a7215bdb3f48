/**
 * The drift report as an issue body: GitHub refuses one over 65,536 characters, and the scheduled workflow adds
 * its own footer. A report of thousands of drifted resources is cut by resource, never mid code block, under
 * DRIFT_MARKDOWN_LIMIT, keeping the title, the summary table and how to fix it, with a note that counts what
 * was left out.
 */
import { expect, test } from 'vitest';
import { DRIFT_MARKDOWN_LIMIT, renderDriftMarkdown } from '../../src/drift/render.js';
import type { DriftItem, DriftReport } from '../../src/drift/drift.js';

function report(changed: number, unmanaged: number): DriftReport {
  const items: DriftItem[] = [];
  for (let index = 0; index < changed; index += 1) {
    items.push({
      category: 'changed-live',
      kind: 'plan',
      identifier: `plan-${String(index).padStart(4, '0')}`,
      location: `catalog/plans/acme.yaml:${10 + index * 20}:5`,
      changes: [
        { path: ['name'], kind: 'replace', before: `Plan ${index}`, after: `Plan ${index} (renamed in the dashboard)` },
        { path: ['description'], kind: 'replace', before: 'What the catalog says about this plan.', after: 'What someone typed in the dashboard.' },
      ],
    });
  }
  for (let index = 0; index < unmanaged; index += 1) {
    items.push({ category: 'unmanaged-live', kind: 'plan', identifier: `hand-made-${index}`, managed: false, changes: [] });
  }
  return {
    environment: 'production',
    drift: true,
    summary: { 'changed-live': changed, 'pending-draft': 0, 'missing-live': 0, 'unmanaged-live': unmanaged, total: changed + unmanaged },
    items,
    ignoredUnmanaged: 0,
    warnings: [],
  };
}

test('a small report is whole: no note', () => {
  const markdown = renderDriftMarkdown(report(3, 2));
  expect(markdown).not.toContain('left out');
  expect((markdown.match(/^#### plan /gm) ?? []).length).toBe(3);
  expect(markdown).toContain('- plan `hand-made-1`');
});

test('thousands of drifted resources: under the limit, cut by resource, the summary and how to fix kept, the note counts what was cut', () => {
  const markdown = renderDriftMarkdown(report(2000, 3000));
  expect(markdown.length).toBeLessThanOrEqual(DRIFT_MARKDOWN_LIMIT);
  expect(markdown.startsWith('## Kelviq catalog drift: production\n\n**')).toBe(true);
  expect(markdown).toContain('| 2000 |');
  expect(markdown).toContain('### How to fix');
  const kept = (markdown.match(/^#### plan /gm) ?? []).length;
  expect(kept).toBeGreaterThan(50);
  expect(kept).toBeLessThan(2000);
  expect(markdown).toContain('#### plan `plan-0000`');
  expect(markdown).toMatch(
    new RegExp(`^> \\*\\*${2000 - kept} of 2000 resource\\(s\\) under "[^"]+" and \\d+ of 3000 resource\\(s\\) under "[^"]+" left out\\*\\* to keep this issue under GitHub's 65,536-character limit\\. The full report is in the job log`, 'm'),
  );
  // Every code block opened is closed: nothing is cut mid-resource.
  expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
  // The note comes before how to fix it, which stays last.
  expect(markdown.indexOf('left out**')).toBeLessThan(markdown.indexOf('### How to fix'));
});
