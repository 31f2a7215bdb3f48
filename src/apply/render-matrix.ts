/**
 * The pricing matrix (matrix.ts) laid out: a padded table for a terminal, a GFM table for a PR comment.
 * Plan identifiers, labels and cell values are untrusted: `forTerminal` in text, `markdownCode` (in-table) in
 * Markdown; the arrows, dashes and status words around them are ours.
 */
import type pc from 'picocolors';
import { forTerminal, markdownCode } from '../output/escape.js';
import type { MatrixCell, MatrixPlan, PricingMatrix } from './matrix.js';
import { wrapLine } from './wrap.js';

type Colors = ReturnType<typeof pc.createColors>;

const ABSENT = '—';
/** Wide enough for a tier list in three lines, narrow enough for four plans on a 120-column terminal. */
const CELL_WIDTH = 26;

function statusWord(plan: MatrixPlan): string {
  if (plan.status === 'new') return ' (new)';
  if (plan.status === 'removed') return plan.unread ? ' (removed; prices and grants not read)' : ' (removed)';
  return '';
}

function cellText(cell: MatrixCell): string {
  const show = (value: string | null | undefined) => (value == null ? ABSENT : value);
  if (cell.changed) return `${show(cell.before)} → ${show(cell.after)}${cell.relative ? ` (${cell.relative})` : ''}`;
  return show(cell.after !== undefined ? cell.after : cell.before);
}

export function renderMatrixText(matrix: PricingMatrix, colors: Colors): string[] {
  const lines: string[] = [];
  for (const product of matrix.products) {
    lines.push(colors.bold(`Pricing matrix: product ${forTerminal(product.product)}`) + colors.dim('  (before → after where this plan changes a value)'));
    if (!product.rows.length) {
      lines.push('  (no prices or entitlements managed)', '');
      continue;
    }
    const header = ['', ...product.plans.map((plan) => `${forTerminal(plan.plan)}${statusWord(plan)}`)];
    const body = product.rows.map((row) => [forTerminal(row.label), ...row.cells.map((cell) => forTerminal(cellText(cell)))]);
    const changed = product.rows.map((row) => [false, ...row.cells.map((cell) => cell.changed)]);
    // Each cell wrapped to a column width, so a tiered price stays readable instead of stretching the table.
    const wrapped = [header, ...body].map((row) => row.map((cell) => wrapLine(cell, CELL_WIDTH, '')));
    const widths = header.map((_, column) => Math.max(...wrapped.map((row) => Math.max(...(row[column] ?? ['']).map((l) => l.length)))));
    wrapped.forEach((row, index) => {
      const height = Math.max(...row.map((cell) => cell.length));
      for (let line = 0; line < height; line += 1) {
        const parts = row.map((cell, column) => {
          const text = (cell[line] ?? '').padEnd(widths[column] ?? 0);
          if (index === 0) return colors.bold(text);
          return changed[index - 1]?.[column] ? colors.yellow(text) : text;
        });
        lines.push(`  ${parts.join('  ')}`.trimEnd());
      }
    });
    lines.push('');
  }
  return lines;
}

/** One Markdown section per product (a heading and its table), each ending with a blank line. */
export function renderMatrixMarkdown(matrix: PricingMatrix): string[] {
  return matrix.products.map((product) => `${productMarkdown(product).join('\n')}\n`);
}

function productMarkdown(product: PricingMatrix['products'][number]): string[] {
  const lines: string[] = [];
  lines.push(`#### Pricing matrix: product ${markdownCode(product.product)}`, '');
  if (!product.rows.length) {
    lines.push('No prices or entitlements managed.', '');
    return lines;
  }
  const code = (text: string) => markdownCode(text, { inTable: true });
  lines.push(`| | ${product.plans.map((plan) => `${code(plan.plan)}${statusWord(plan)}`).join(' | ')} |`);
  lines.push(`|---|${product.plans.map(() => '---').join('|')}|`);
  for (const row of product.rows) {
    const cells = row.cells.map((cell, index) => {
      const value = (text: string | null | undefined) => (text == null ? ABSENT : code(text));
      if (cell.changed) return `**${value(cell.before)} → ${value(cell.after)}**${cell.relative ? ` (${cell.relative})` : ''}`;
      if (product.plans[index]?.status === 'removed') return `~~${value(cell.before)}~~`;
      return value(cell.after !== undefined ? cell.after : cell.before);
    });
    lines.push(`| ${code(row.label)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  return lines;
}
