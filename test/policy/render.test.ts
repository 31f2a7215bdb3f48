/**
 * The policy report's renderings treat every string that came from a catalog or a server as untrusted: a file
 * name holding Markdown, HTML, a mention or terminal escapes stays inside code in Markdown and shows as visible
 * escapes on a terminal; annotations cannot be ended early. Rule names and counts are ours.
 */
import pc from 'picocolors';
import { describe, expect, test } from 'vitest';
import { policyAnnotations, policyLinesMarkdown, policyLinesText, type PolicyReport } from '../../src/policy/index.js';
import { formatAnnotation } from '../../src/output/github.js';

const HOSTILE_FILE = 'catalog/`x`\n# Approved by @billing-team </details> <img src=x>\u001b]0;pwned\u0007.yaml:3:7';
const HOSTILE_REASON = 'subscriptions could not be read: ```\n## fake heading\n::error::forged';

const report: PolicyReport = {
  rules: 3,
  checked: 3,
  violations: [{ rule: 'max-price-change', severity: 'error', plan: 'pro', message: 'pro USD monthly: 49 → 59, +20.4% > 10%', where: HOSTILE_FILE, at: HOSTILE_FILE }],
  waived: [{ rule: 'trial-days', severity: 'warning', plan: 'pro', message: 'pro USD: a 3-day free trial < 7 days minimum', where: HOSTILE_FILE, waivedBy: '--allow trial-days:pro' }],
  notEvaluated: [{ rule: 'keep-grants-with-customers', severity: 'error', plan: 'free', reason: HOSTILE_REASON, where: HOSTILE_FILE }],
  waivers: ['--allow trial-days:pro'],
  strict: false,
};

describe('policy renderings', () => {
  test('Markdown: untrusted text only inside code spans, one line per finding; nothing opens a heading, mention or HTML', () => {
    const lines = policyLinesMarkdown(report);
    expect(lines.slice(0, 3)).toEqual(['#### Policy', '', '**1 violation(s), 1 waived, 1 not evaluated; 3 rule(s)**']);
    const findings = lines.filter((line) => line.startsWith('- '));
    expect(findings).toHaveLength(3);
    // No line of ours starts a heading, closes a details block or holds a raw control character.
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^#|^<\/details>|[\u0000-\u001f]/);
    // Outside code spans, only our words remain.
    const outsideCode = findings.map((line) => line.replace(/(`+)[\s\S]*?\1/g, ''));
    for (const text of outsideCode) expect(text).not.toMatch(/@billing-team|<\/details>|<img|#|pwned|::error/);
    expect(findings[0]).toContain('`pro USD monthly: 49 → 59, +20.4% > 10%`');
  });

  test('text: control characters and line breaks shown as escapes, each finding on one line', () => {
    const lines = policyLinesText(report, pc.createColors(false));
    expect(lines[0]).toBe('Policy: 1 violation(s), 1 waived, 1 not evaluated; 3 rule(s)');
    expect(lines.join('\n')).not.toMatch(/\u001b|\u0007/);
    expect(lines[1]).toBe("  This plan breaks the catalog's policy: plan and apply exit 1 and nothing is applied until the catalog is fixed or the findings are waived (--allow RULE or RULE:PLAN).");
    expect(lines[2]).toContain('\\n# Approved by @billing-team');
    expect(lines[2]).toContain('\\x1b]0;pwned\\x07');
    expect(lines.filter((line) => /^ {2}(error|waived|not evaluated)/.test(line))).toHaveLength(3);
  });

  test('annotations: one command each, which the message cannot end or forge', () => {
    const commands = policyAnnotations(report, 'kelviq-catalog policy').map(formatAnnotation);
    expect(commands).toHaveLength(2);
    for (const command of commands) expect(command.split('\n')).toHaveLength(1);
    expect(commands[1]).toMatch(/^::warning .*::policy keep-grants-with-customers not evaluated: subscriptions could not be read: ```%0A## fake heading%0A::error::forged/);
  });
});
