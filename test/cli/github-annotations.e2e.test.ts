/**
 * Problems as GitHub annotations, so they land on the pull request's changed lines: `validate --format github`,
 * chosen on its own inside GitHub Actions when stdout is not a terminal, and the catalog and plan problems of
 * `plan` (on stderr, since plan's stdout is the Markdown for the comment). Untrusted text from the files cannot
 * forge or end a command early.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = 'kvq_canary_annotations_5d02be17';

// A key holding a line break and a forged command, a duplicate across one file whose name has `,` `:` and `%`.
const HOSTILE = `products:
  - identifier: acme
    name: Acme
    taxCode: saas
    "nmae\\n::error::forged%0A": x
features:
  - identifier: sso
    name: SSO
    featureType: BOOLEAN
  - identifier: sso
    name: SSO again
    featureType: BOOLEAN
`;

let dir: string;
let catalog: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kelviq-annotations-'));
  catalog = join(dir, 'catalog');
  await mkdir(catalog);
  await writeFile(join(catalog, 'a,b:c%.yaml'), HOSTILE);
});

const expected = (file: string) => [
  `::error file=${file},line=5,col=5,title=kelviq-catalog%3A unknown-key::unknown key "nmae%0A::error::forged%250A" in product "acme"; expected one of identifier, name, description, taxCode, settings`,
  `::error file=${file},line=10,col=17,title=kelviq-catalog%3A duplicate-identifier::duplicate feature identifier "sso": it is already declared%0A${join(catalog, 'a,b:c%25.yaml')}:7:17: first declared here`,
];
const escapedFile = () => join(catalog, 'a%2Cb%3Ac%25.yaml');

describe('validate --format github', () => {
  test('one ::error line per problem, escaped, then the summary line', async () => {
    const ran = await runCli(['validate', '--catalog', catalog, '--format', 'github'], {});
    expect(ran.code).toBe(1);
    expect(ran.stdout.split('\n')).toEqual([...expected(escapedFile()), '2 error(s), 0 warning(s) in 1 file(s).', '']);
    expect(ran.stderr).toBe('');
  });

  test('chosen on its own with GITHUB_ACTIONS=true when stdout is not a terminal; not on a terminal, nor outside Actions', async () => {
    const actions = await runCli(['validate', '--catalog', catalog], { GITHUB_ACTIONS: 'true' });
    expect(actions.stdout.split('\n').slice(0, 2)).toEqual(expected(escapedFile()));

    const outside = await runCli(['validate', '--catalog', catalog], {});
    expect(outside.stdout).not.toMatch(/^::/m);
    expect(outside.stdout).toContain('  error    unknown key');

    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const code = await run(['validate', '--catalog', catalog, '--no-color'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: { GITHUB_ACTIONS: 'true' } });
    expect(code).toBe(1);
    expect(printed).not.toMatch(/^::/m);
    expect(printed).toContain('  error    unknown key');

    // Asked for explicitly, text stays text in Actions; and the tool's own guard still escapes a forged line there.
    const text = await runCli(['validate', '--catalog', catalog, '--format', 'text'], { GITHUB_ACTIONS: 'true' });
    expect(text.stdout).not.toMatch(/^\s*::/m);
  });

  test('warnings are ::warning, and a valid catalog prints no command', async () => {
    await writeFile(join(catalog, 'a,b:c%.yaml'), 'products:\n  - identifier: acme\n    name: Acme\n    taxCode: saas\nplans:\n  - identifier: p\n    product: acme\n    name: P\n    prices:\n      - priceType: FREE\n        freeTrial: false\n        trialPeriod: 3\n');
    const ran = await runCli(['validate', '--catalog', catalog, '--format', 'github'], {});
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^::warning file=[^:]*a%2Cb%3Ac%25\.yaml,line=\d+,col=\d+,title=kelviq-catalog%3A [a-z-]+::/);
    expect(ran.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([]);
  });

  test('--json and --format are refused together', async () => {
    const ran = await runCli(['validate', '--catalog', catalog, '--json', '--format', 'text'], {});
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("option '--json' cannot be used with option '--format <format>'");
  });
});

describe('plan in GitHub Actions', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, apiKey: KEY });
  });
  afterEach(async () => {
    await emulator.close();
  });
  const env = () => ({ GITHUB_ACTIONS: 'true', KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: KEY });

  test('catalog errors are annotations on stderr, and stdout (the comment) gets nothing', async () => {
    const ran = await runCli(['plan', '--catalog', catalog, '--markdown'], env(), [KEY]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    // Each problem on its line, then one run-level annotation saying that Kelviq was left alone.
    expect(ran.stderr.split('\n')).toEqual([
      ...expected(escapedFile()),
      '::error title=kelviq-catalog::the catalog has 2 error(s); nothing was written to Kelviq.',
      '',
    ]);
  });

  test("the plan's own errors are annotations on the catalog line they are about", async () => {
    const file = join(catalog, 'a,b:c%.yaml');
    await writeFile(file, 'features:\n  - identifier: sso\n    name: SSO\n    featureType: BOOLEAN\n');
    expect((await runCli(['apply', '--catalog', catalog, '--yes'], env(), [KEY])).code).toBe(0);
    // Features cannot be updated through the API: a changed one is a plan error at its line.
    await writeFile(file, 'features:\n  - identifier: sso\n    name: Single sign-on\n    featureType: BOOLEAN\n');
    const ran = await runCli(['plan', '--catalog', catalog, '--markdown'], env(), [KEY]);
    expect(ran.code).toBe(1);
    const annotations = ran.stderr.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations).toEqual([
      `::error file=${escapedFile()},line=3,col=5,title=kelviq-catalog plan::feature sso: name differs from Kelviq, and Kelviq has no feature update endpoint (a feature is immutable once created). Revert the catalog to the live values, or archive the feature and declare a new one under a new identifier.`,
    ]);
    expect(ran.stdout).toContain('### kelviq-catalog plan: sandbox');
  });
});
