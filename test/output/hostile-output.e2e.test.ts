/**
 * Hostile text through every output, end to end: live names and a live plan identifier, a catalog's metadata key,
 * and a catalog file's name and keys carry a Markdown heading, an @mention, a link, an image, `</details>`,
 * terminal control sequences (title, clear screen, CSI), a bidi override and GitHub workflow commands. The CLI
 * runs over loopback HTTP against an emulator seeded with them, and what a user would see is checked:
 * - text (terminal, CI log): no raw control or bidi character, no line starting a workflow command;
 * - Markdown (stdout and the step summary): the hostile text appears only inside code, so nothing of it is
 *   rendered as a heading, mention, link, image or HTML;
 * - JSON: the exact original strings (JSON is data).
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { startScriptedServer } from '../helpers/scripted-server.js';

const KEY = 'kvq_canary_hostile_4b7e1d9c20';

const ATTACKS = [
  '\n# Heading',
  '@org/team',
  '[x](http://evil)',
  '![i](http://evil/i.png)',
  '</details>',
  '\x1b]0;title\x07',
  '\x1b[2J',
  '\u009b31m',
  '\u202eevil',
  '\n::error::forged',
  '\n::stop-commands::tok',
  '##[error]legacy',
];
/** Every hostile string starts with `pwn`: outside code, Markdown must not show that word at all. */
const HOSTILE_NAME = `pwn-name ${ATTACKS.join(' ')}`;
const HOSTILE_PLAN = `pwn-plan${ATTACKS.join(' ')}`;
const HOSTILE_KEY = `pwn-key ${ATTACKS.join(' ')}`;

/** Any C0 control but tab and newline, DEL, C1, bidi controls, line and paragraph separators. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectSafeText(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  for (const line of text.split('\n')) expect(line.trimStart().startsWith('::'), line).toBe(false);
  expect(text).not.toContain('##[');
}

/** The Markdown with fenced blocks and code spans (a run of n backticks to the next run of exactly n) removed. */
function outsideCode(markdown: string): string {
  let fenced = false;
  const lines = markdown.split('\n').map((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
  return lines.join('\n').replace(/(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
}

function expectDataOnlyInCode(markdown: string): void {
  expect(markdown).toContain('pwn');
  const rest = outsideCode(markdown);
  for (const marker of ['pwn', 'Heading', '@org', 'evil', 'title', 'forged', 'stop-commands', 'legacy']) expect(rest, marker).not.toContain(marker);
  // Our own <details> blocks only: every </details> outside code closes one.
  expect((rest.match(/<\/details>/g) ?? []).length).toBe((rest.match(/<details>/g) ?? []).length);
  expect(markdown).not.toMatch(RAW_CONTROL);
  for (const line of markdown.split('\n')) expect(line.trimStart().startsWith('::'), line).toBe(false);
}

/** A YAML double-quoted scalar holding `text` exactly. */
function yamlQuote(text: string): string {
  const unicode = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return `"${text.replace(/[\\"]/g, '\\$&').replace(new RegExp(`${RAW_CONTROL.source}|\\n`, 'g'), unicode)}"`;
}

const CATALOG = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
features:
  - identifier: seats
    name: Seats
    featureType: CUSTOMIZABLE
plans:
  - identifier: pro
    product: acme
    name: Pro
    metadata:
      ${yamlQuote(HOSTILE_KEY)}: flag
    prices:
      - priceType: FREE
`;

let emulator: RunningEmulator;
let dir: string;
let catalog: string;

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY, ...env }, [KEY]);
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey: KEY,
    seed: {
      products: [{ identifier: 'acme', name: HOSTILE_NAME, taxCode: 'saas' }],
      features: [{ identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' }],
      plans: [
        { identifier: 'pro', product: 'acme', published: true, versions: [{ name: HOSTILE_NAME, prices: [{ priceType: 'FREE' }] }] },
        { identifier: HOSTILE_PLAN, product: 'acme', published: true, versions: [{ name: HOSTILE_NAME, prices: [{ priceType: 'FREE' }] }] },
      ],
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'kelviq-hostile-'));
  catalog = join(dir, 'catalog.yaml');
  await writeFile(catalog, CATALOG);
});

afterAll(async () => {
  await emulator.close();
});

describe('plan', () => {
  test('text: live names, a live identifier and a catalog key are shown escaped, on their own lines only', async () => {
    const ran = await cli(['plan', '--catalog', catalog]);
    expect(ran.code, ran.stderr).toBe(0);
    expectSafeText(ran.stdout + ran.stderr);
    // Shown, not dropped: a reader can see what is there.
    expect(ran.stdout).toContain('pwn-plan\\n# Heading');
    expect(ran.stdout).toContain('\\x1b]0;title\\x07');
    expect(ran.stdout).toContain('\\u202eevil');
    expect(ran.stdout).toContain('pwn-key');
  });

  test('Markdown (stdout and step summary): the hostile text is only ever inside code', async () => {
    const summary = join(dir, 'plan-summary.md');
    const ran = await cli(['plan', '--catalog', catalog, '--markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(ran.code, ran.stderr).toBe(0);
    expectDataOnlyInCode(ran.stdout);
    expectDataOnlyInCode(await readFile(summary, 'utf8'));
    // The warnings list still names the plan, inside its <details>.
    expect(ran.stdout).toMatch(/<details><summary>Warnings \(1\)<\/summary>\n\n- `plan pwn-plan\\n# Heading[^\n]*`\n\n<\/details>/);
  });

  test('JSON carries the exact original strings', async () => {
    const ran = await cli(['plan', '--catalog', catalog, '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    // Safe for a CI log too: `##[` is written with JSON's own escape, which parses back to the original.
    expect(ran.stdout).not.toContain('##[');
    const document = JSON.parse(ran.stdout);
    expect(document.warnings.map((w: { message: string }) => w.message)).toContain(`plan ${HOSTILE_PLAN} exists in Kelviq but not in the catalog.`);
    const updates = document.actions.filter((a: { kind: string }) => a.kind === 'update-plan' || a.kind === 'update-product');
    const changes = updates.flatMap((a: { changes: Array<{ path: string[]; before?: unknown; after?: unknown }> }) => a.changes);
    expect(changes).toContainEqual(expect.objectContaining({ path: ['name'], before: HOSTILE_NAME, after: 'Pro' }));
    expect(changes).toContainEqual(expect.objectContaining({ path: ['metadata'], after: { [HOSTILE_KEY]: 'flag' } }));
  });
});

describe('drift', () => {
  test('text is escaped, Markdown keeps the hostile text in code, JSON keeps it exact', async () => {
    const summary = join(dir, 'drift-summary.md');
    const text = await cli(['drift', '--catalog', catalog]);
    expect(text.code, text.stderr).toBe(2);
    expectSafeText(text.stdout + text.stderr);
    expect(text.stdout).toContain('pwn-plan\\n# Heading');

    const markdown = await cli(['drift', '--catalog', catalog, '--markdown'], { GITHUB_STEP_SUMMARY: summary });
    expect(markdown.code, markdown.stderr).toBe(2);
    expectDataOnlyInCode(markdown.stdout);
    expectDataOnlyInCode(await readFile(summary, 'utf8'));

    const json = await cli(['drift', '--catalog', catalog, '--json']);
    const document = JSON.parse(json.stdout);
    expect(document.items.map((item: { identifier: string }) => item.identifier)).toContain(HOSTILE_PLAN);
  });
});

describe('validate', () => {
  test("a file's name and keys are escaped in diagnostics and exact in JSON", async () => {
    const folder = join(dir, 'named');
    await mkdir(folder);
    const name = `pwn\n::error::file-forged \x1b[2J\u202e.yaml`;
    await writeFile(join(folder, name), `products:\n  - identifier: acme\n    name: Acme\n    taxCode: saas\n    ${yamlQuote(HOSTILE_KEY)}: 1\n`);

    const ran = await cli(['validate', '--catalog', folder]);
    expect(ran.code).toBe(1);
    expectSafeText(ran.stdout + ran.stderr);
    expect(ran.stdout).toContain('pwn\\n::error::file-forged \\x1b[2J\\u202e.yaml');
    expect(ran.stdout).toContain('unknown key "pwn-key \\n# Heading');

    const json = JSON.parse((await cli(['validate', '--catalog', folder, '--json'])).stdout);
    expect(json.diagnostics[0].file).toBe(join(folder, name));
    expect(json.diagnostics[0].message).toContain(HOSTILE_KEY);
  });
});

describe('errors quoting a server', () => {
  /** A server that lists nothing and refuses every write with a hostile message. */
  async function refusingServer() {
    // An empty account: every list is empty, a plan looked up by identifier does not exist, every write refused.
    return startScriptedServer((request) => {
      if (request.method !== 'GET') return { status: 400, body: { detail: HOSTILE_NAME } };
      const path = new URL(request.url, 'http://x').pathname;
      return /\/catalog\/[a-z]+\/$/.test(path)
        ? { status: 200, body: { count: 0, next: null, previous: null, results: [] } }
        : { status: 404, body: { detail: 'Not found.' } };
    });
  }

  test('apply: the FAILED line shows the server message escaped', async () => {
    const server = await refusingServer();
    try {
      const ran = await runCli(['apply', '--catalog', catalog, '--yes'], { KELVIQ_SANDBOX_BASE_URL: server.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/FAILED {3}create product acme\n {11}.*pwn-name \\n# Heading/);
      expectSafeText(ran.stdout + ran.stderr);
    } finally {
      await server.close();
    }
  });

  test('an error ending the command shows the server message escaped', async () => {
    const server = await startScriptedServer(() => ({ status: 400, body: { detail: HOSTILE_NAME } }));
    try {
      const ran = await runCli(['drift', '--catalog', catalog], { KELVIQ_SANDBOX_BASE_URL: server.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY }, [KEY]);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(/^error {2}.*pwn-name \\n# Heading/);
      expectSafeText(ran.stdout + ran.stderr);
    } finally {
      await server.close();
    }
  });
});

test('a usage error quoting an argument shows it escaped', async () => {
  const ran = await runCli(['plan', '--from-branch=x\x1b]0;title\x07\u202e'], {});
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain("unknown option '--from-branch=x\\x1b]0;title\\x07\\u202e'");
  expectSafeText(ran.stderr);
});

test('fmt names a hostile file escaped', async () => {
  const folder = join(dir, 'unformatted');
  await mkdir(folder);
  const name = `pwn\n::error::fmt-forged \x1b[2J\u202e.yaml`;
  await writeFile(join(folder, name), 'features:\n  - {identifier: seats, name: Seats, featureType: CUSTOMIZABLE}\n');
  const ran = await cli(['fmt', '--check', '--catalog', folder]);
  expect(ran.stdout).toContain('would reformat');
  expect(ran.stdout).toContain('pwn\\n::error::fmt-forged \\x1b[2J\\u202e.yaml');
  expectSafeText(ran.stdout + ran.stderr);
});
