/**
 * `--help` a person can act on: examples for every command, every environment variable the tool reads, the exit
 * codes; the version from package.json; FORCE_COLOR=0 turns colour off; output formats that exclude each other
 * are refused rather than one silently winning.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { runCli } from '../helpers/run-cli.js';

const COMMANDS = ['validate', 'plan', 'apply', 'drift', 'promote', 'pull', 'fmt', 'init', 'schema', 'emulator'];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)])));
  return files.flat().filter((file) => file.endsWith('.ts'));
}

describe('--help', () => {
  test('the root help lists every environment variable the source reads, and the exit codes', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    const read = new Set<string>();
    for (const file of await sourceFiles('src')) {
      if (file.startsWith(join('src', 'emulator'))) continue; // the emulator's own process, not the tool's
      for (const match of (await readFile(file, 'utf8')).matchAll(/\b(KELVIQ_[A-Z_]+|NO_COLOR|FORCE_COLOR|GITHUB_[A-Z_]+)\b/g)) read.add(match[1]!);
    }
    expect(read.size).toBeGreaterThan(5);
    for (const variable of read) expect(help.stdout, variable).toMatch(new RegExp(`^  ${variable} +\\S`, 'm'));
    expect(help.stdout).toContain('Exit codes:\n  0    success, or no changes\n  1    an error');
    expect(help.stdout).toMatch(/^ {2}2 {4}changes found/m);
    expect(help.stdout).toMatch(/^ {2}130 {2}interrupted/m);
  });

  test.each(COMMANDS)('%s --help shows examples of that command, run as npx kelviq-catalog, and the exit codes', async (command) => {
    const help = await runCli([command, '--help'], {});
    expect(help.code).toBe(0);
    const examples = help.stdout.split('Examples:\n')[1]?.split('\n\n')[0]?.split('\n') ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(example).toMatch(new RegExp(`^  \\$ npx kelviq-catalog ${command}( |$)`));
    expect(help.stdout).toContain('KELVIQ_SANDBOX_SERVER_API_KEY');
    expect(help.stdout).toContain('Exit codes:');
  });
});

test('--version is the version in package.json', async () => {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  const ran = await runCli(['--version'], {});
  expect(ran).toMatchObject({ code: 0, stdout: `${version}\n` });
});

test.each([
  ['plan', ['plan', '--json', '--markdown']],
  ['drift', ['drift', '--markdown', '--json']],
  ['promote', ['promote', '--dry-run', '--json', '--markdown']],
])('%s: --json with --markdown is refused (exit 1), before anything is read', async (_name, args) => {
  const ran = await runCli(args, {});
  expect(ran.code).toBe(1);
  expect(ran.stderr).toMatch(/^error: option '--(json|markdown)' cannot be used with option '--(json|markdown)'/);
  expect(ran.stdout).toBe('');
});

describe('colour', () => {
  const INVALID = join('test', 'fixtures', 'catalogs', 'invalid', 'invalid-type');

  async function validate(env: Record<string, string>, stdoutIsTTY: boolean): Promise<string> {
    const stdout = Object.assign(new PassThrough(), stdoutIsTTY ? { isTTY: true } : {});
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    expect(await run(['validate', '--catalog', join(INVALID, 'catalog'), '--format', 'text'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env })).toBe(1);
    return printed;
  }

  test('on a terminal by default; FORCE_COLOR=0 (or false) turns it off there', async () => {
    expect(await validate({}, true)).toContain('\u001b[');
    expect(await validate({ FORCE_COLOR: '0' }, true)).not.toContain('\u001b[');
    expect(await validate({ FORCE_COLOR: 'false' }, true)).not.toContain('\u001b[');
  });

  test('FORCE_COLOR=1 colours a pipe; NO_COLOR wins over it', async () => {
    expect(await validate({}, false)).not.toContain('\u001b[');
    expect(await validate({ FORCE_COLOR: '1' }, false)).toContain('\u001b[');
    expect(await validate({ FORCE_COLOR: '1', NO_COLOR: '' }, false)).not.toContain('\u001b[');
  });
});
