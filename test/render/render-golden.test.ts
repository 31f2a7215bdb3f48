/**
 * Golden files of what `plan` prints (text with the matrix, the Markdown PR comment, the JSON matrix) for the
 * changes a pricing reviewer meets. Each golden file was read by eye when it was written; a change to one shows
 * up in review as a diff of what users see. `UPDATE_GOLDEN=1` rewrites them, otherwise they are compared.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runScenario, SCENARIOS } from './scenarios.js';

const FOLDER = join(import.meta.dirname, '..', 'fixtures', 'render');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function golden(file: string, actual: string): Promise<void> {
  const path = join(FOLDER, file);
  if (UPDATE) await writeFile(path, actual);
  expect(actual, `${file} differs from the golden file (UPDATE_GOLDEN=1 rewrites it; read the diff first)`).toBe(await readFile(path, 'utf8'));
}

describe('plan output golden files', () => {
  for (const scenario of SCENARIOS) {
    test(scenario.title, async () => {
      const rendered = await runScenario(scenario);
      await golden(`${scenario.name}.txt`, rendered.text);
      await golden(`${scenario.name}.md`, rendered.markdown);
      await golden(`${scenario.name}.matrix.json`, rendered.json);
    });
  }
});
