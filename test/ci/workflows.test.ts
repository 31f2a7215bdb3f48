/**
 * The GitHub Actions workflows a team copies (examples/ci/github-actions/): they parse, and every
 * `kelviq-catalog` invocation in every `run:` script uses a command and flags that exist — checked against the
 * real commander program (buildProgram), never a hand-kept list, so renaming a flag breaks this test, not a
 * team's CI. The steps that turn exit codes into decisions are also run with bash against a stand-in `npx`,
 * to show that "2 = changes/drift" never fails a job and "1 = error" always does.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import type { Command, Option } from 'commander';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';
import { Output } from '../../src/cli/io.js';

const WORKFLOWS = 'examples/ci/github-actions';
const TOOL = 'kelviq-catalog';

// ---------------------------------------------------------------------------------------------------------------
// Workflow files

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

async function workflowFiles(): Promise<string[]> {
  return (await readdir(WORKFLOWS)).filter((file) => /\.ya?ml$/.test(file)).sort();
}

async function loadWorkflow(file: string): Promise<Workflow> {
  // `yaml` with strict core-schema parsing: GitHub reads YAML 1.2 too (`on:` stays a string key).
  return parse(await readFile(join(WORKFLOWS, file), 'utf8'), { strict: true, uniqueKeys: true }) as Workflow;
}

// ---------------------------------------------------------------------------------------------------------------
// A small shell reader: enough of bash's grammar to find every simple command in a step script.

/** GitHub replaces `${{ ... }}` before the shell runs; here it becomes an opaque word. */
const EXPRESSION = '__GITHUB_EXPRESSION__';
const SUBSTITUTION = '__COMMAND_SUBSTITUTION__';

type Piece = { word: string } | { operator: string };

/**
 * Simple commands (as word lists) of a script, including those inside `$(...)` and backticks. Handles quotes,
 * escapes, line continuations, comments, redirections, `;`/`&&`/`||`/`|`/`&`, subshells and compound-command
 * keywords; leading `NAME=value` assignments are dropped.
 */
function simpleCommands(script: string): string[][] {
  const nested: string[] = [];
  const pieces = tokenize(script.replace(/\$\{\{[\s\S]*?\}\}/g, EXPRESSION), nested);
  const commands: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    const words = stripPrefix(current);
    if (words.length) commands.push(words);
    current = [];
  };
  for (let index = 0; index < pieces.length; index += 1) {
    const piece = pieces[index]!;
    if ('operator' in piece) {
      if (/^(\d*>>?|\d*<|&>|\d*>&|<<<?)$/.test(piece.operator)) {
        index += 1; // the redirection's target
        continue;
      }
      flush();
      continue;
    }
    current.push(piece.word);
  }
  flush();
  for (const inner of nested) commands.push(...simpleCommands(inner));
  return commands;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'exec', 'command']);

function stripPrefix(words: string[]): string[] {
  let start = 0;
  while (start < words.length && (KEYWORDS.has(words[start]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!))) start += 1;
  return words.slice(start);
}

function tokenize(script: string, nested: string[]): Piece[] {
  const pieces: Piece[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) pieces.push({ word });
    word = '';
    inWord = false;
  };
  let index = 0;
  const text = script.replace(/\\\r?\n/g, ''); // line continuations
  while (index < text.length) {
    const char = text[index]!;
    const next = text[index + 1];
    if (char === '\\' && next !== undefined) {
      word += next;
      inWord = true;
      index += 2;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      if (end < 0) throw new Error(`unterminated single quote in: ${script}`);
      word += text.slice(index + 1, end);
      inWord = true;
      index = end + 1;
    } else if (char === '"') {
      index += 1;
      inWord = true;
      while (index < text.length && text[index] !== '"') {
        if (text[index] === '\\' && index + 1 < text.length) {
          word += text[index + 1];
          index += 2;
        } else if (text.startsWith('$(', index)) {
          const end = matchingParen(text, index + 1);
          nested.push(text.slice(index + 2, end));
          word += SUBSTITUTION;
          index = end + 1;
        } else if (text[index] === '`') {
          const end = text.indexOf('`', index + 1);
          nested.push(text.slice(index + 1, end));
          word += SUBSTITUTION;
          index = end + 1;
        } else {
          word += text[index];
          index += 1;
        }
      }
      if (index >= text.length) throw new Error(`unterminated double quote in: ${script}`);
      index += 1;
    } else if (text.startsWith('$(', index) && text[index + 2] !== '(') {
      const end = matchingParen(text, index + 1);
      nested.push(text.slice(index + 2, end));
      word += SUBSTITUTION;
      inWord = true;
      index = end + 1;
    } else if (char === '`') {
      const end = text.indexOf('`', index + 1);
      if (end < 0) throw new Error(`unterminated backtick in: ${script}`);
      nested.push(text.slice(index + 1, end));
      word += SUBSTITUTION;
      inWord = true;
      index = end + 1;
    } else if (char === '#' && !inWord) {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === ' ' || char === '\t') {
      endWord();
      index += 1;
    } else if (char === '\n' || char === ';' || char === '(' || char === ')') {
      endWord();
      pieces.push({ operator: char });
      index += 1;
    } else if (char === '&' || char === '|') {
      endWord();
      const double = next === char;
      if (char === '&' && next === '>') {
        pieces.push({ operator: '&>' });
        index += text[index + 2] === '>' ? 3 : 2;
      } else {
        pieces.push({ operator: double ? char + char : char });
        index += double ? 2 : 1;
      }
    } else if (char === '>' || char === '<') {
      // A redirection, with an optional file-descriptor number just before it (`2>&1`, `1>>log`).
      const fd = /^\d+$/.test(word) && inWord ? word : '';
      if (fd) {
        word = '';
        inWord = false;
      } else endWord();
      let operator = fd + char;
      index += 1;
      while (text[index] === char) {
        operator += char;
        index += 1;
      }
      if (text[index] === '&') {
        operator += '&';
        index += 1;
      }
      pieces.push({ operator });
    } else {
      word += char;
      inWord = true;
      index += 1;
    }
  }
  endWord();
  return pieces;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = open; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\') index += 1;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return index;
  }
  throw new Error(`unbalanced $( in: ${text}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Invocations and their check against the real program

interface Invocation {
  /** Words before the tool name (`npx`). */
  launcher: string[];
  args: string[];
  where: string;
}

function invocationsIn(script: string, where: string): Invocation[] {
  const found: Invocation[] = [];
  for (const words of simpleCommands(script)) {
    const at = words.findIndex((w, i) => (w === TOOL || w.endsWith(`/.bin/${TOOL}`)) && (i === 0 || words.slice(0, i).every((p) => p === 'npx' || p.startsWith('-'))));
    if (at >= 0) found.push({ launcher: words.slice(0, at), args: words.slice(at + 1), where });
  }
  return found;
}

function program(): Command {
  const streams = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  return buildProgram(new Output(streams, false), async () => {});
}

/** Problems with one invocation; empty when the command and every flag exist and take what they are given. */
function checkInvocation(root: Command, args: string[]): string[] {
  const problems: string[] = [];
  const [name, ...rest] = args;
  if (!name || name.startsWith('-')) return [`no command given (${args.join(' ')})`];
  const command = root.commands.find((c) => c.name() === name || c.aliases().includes(name));
  if (!command) return [`unknown command "${name}" (commands: ${root.commands.map((c) => c.name()).join(', ')})`];
  const options: Option[] = [...command.options, ...root.options];
  const positionals: string[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index]!;
    if (arg === '--') {
      positionals.push(...rest.slice(index + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') continue;
    if (arg.startsWith('-') && arg.length > 1) {
      const [flag, inline] = arg.startsWith('--') ? [arg.split('=')[0]!, arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg.slice(0, 2), arg.length > 2 ? arg.slice(2) : undefined];
      if (flag.includes(EXPRESSION) || flag.includes(SUBSTITUTION)) {
        problems.push(`${name}: a flag computed at run time (${arg}) cannot be checked`);
        continue;
      }
      const option = options.find((o) => o.long === flag || o.short === flag);
      if (!option) {
        problems.push(`${name}: unknown option ${flag}`);
        continue;
      }
      if (option.required) {
        if (inline === undefined) {
          const value = rest[index + 1];
          if (value === undefined || value.startsWith('-')) problems.push(`${name}: ${flag} needs a value`);
          else index += 1;
        }
      } else if (!option.optional && inline !== undefined) {
        problems.push(`${name}: ${flag} takes no value`);
      }
      continue;
    }
    positionals.push(arg);
  }
  const declared = command.registeredArguments;
  const variadic = declared.some((argument) => argument.variadic);
  if (!variadic && positionals.length > declared.length) problems.push(`${name}: unexpected argument(s) ${positionals.slice(declared.length).join(' ')}`);
  const required = declared.filter((argument) => argument.required).length;
  if (positionals.length < required) problems.push(`${name}: missing required argument(s)`);
  return problems;
}

async function allInvocations(): Promise<Map<string, Invocation[]>> {
  const result = new Map<string, Invocation[]>();
  for (const file of await workflowFiles()) {
    const workflow = await loadWorkflow(file);
    const invocations: Invocation[] = [];
    for (const [jobName, job] of Object.entries(workflow.jobs)) {
      job.steps.forEach((step, index) => {
        if (step.run) invocations.push(...invocationsIn(step.run, `${file} > ${jobName} > ${step.name ?? step.id ?? `step ${index + 1}`}`));
      });
    }
    result.set(file, invocations);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

describe('the shell reader and the checker (so the workflow checks below cannot pass vacuously)', () => {
  test('finds invocations in multi-line scripts, continuations, $(...), backticks, after keywords and assignments', () => {
    const script = [
      'set -euo pipefail',
      'code=0',
      'npx kelviq-catalog plan --catalog "$DIR" \\',
      '  --markdown --detailed-exitcode > plan.md 2>&1 || code=$?',
      'if [ "$code" -eq 1 ]; then npx kelviq-catalog validate --json; fi',
      'summary="$(npx kelviq-catalog drift --json | jq .summary)"',
      'echo `kelviq-catalog schema` # kelviq-catalog not-a-call in a comment',
      'FOO=1 kelviq-catalog apply plan.json --yes && echo "kelviq-catalog done"',
      "echo 'npx kelviq-catalog quoted-is-not-a-call'",
      'KEY=${{ secrets.X }} npx kelviq-catalog plan --prod',
    ].join('\n');
    const found = invocationsIn(script, 'test').map((i) => [...i.launcher, TOOL, ...i.args].join(' '));
    expect(found.sort()).toEqual(
      [
        'npx kelviq-catalog plan --catalog $DIR --markdown --detailed-exitcode',
        'npx kelviq-catalog validate --json',
        'npx kelviq-catalog drift --json',
        'kelviq-catalog schema',
        'kelviq-catalog apply plan.json --yes',
        'npx kelviq-catalog plan --prod',
      ].sort(),
    );
  });

  test('rejects unknown commands and flags, missing values, extra arguments; accepts what exists', () => {
    const root = program();
    expect(checkInvocation(root, ['frobnicate'])).toEqual([expect.stringMatching(/unknown command "frobnicate"/)]);
    expect(checkInvocation(root, ['plan', '--nope'])).toEqual(['plan: unknown option --nope']);
    expect(checkInvocation(root, ['plan', '--catalog'])).toEqual(['plan: --catalog needs a value']);
    expect(checkInvocation(root, ['plan', '--json=yes'])).toEqual(['plan: --json takes no value']);
    expect(checkInvocation(root, ['validate', 'extra'])).toEqual(['validate: unexpected argument(s) extra']);
    expect(checkInvocation(root, ['apply', 'plan.json', '--prod', '--yes', '--no-color'])).toEqual([]);
    expect(checkInvocation(root, ['drift', '--catalog=catalog', '--ignore-unmanaged', '--markdown'])).toEqual([]);
  });
});

describe('workflow files', () => {
  test('there are the three workflows, and each parses as YAML with triggers and jobs', async () => {
    const files = await workflowFiles();
    expect(files).toEqual(['apply.yml', 'catalog-pr.yml', 'drift.yml']);
    for (const file of files) {
      const workflow = await loadWorkflow(file);
      expect(workflow.name, file).toEqual(expect.any(String));
      expect(Object.keys(workflow.on).length, file).toBeGreaterThan(0);
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect(job['runs-on'], `${file} > ${name}`).toBe('ubuntu-latest');
        expect(job.steps.length, `${file} > ${name}`).toBeGreaterThan(0);
        for (const step of job.steps) expect(Boolean(step.run) !== Boolean(step.uses), `${file} > ${name}: a step runs or uses`).toBe(true);
      }
    }
  });

  test('every kelviq-catalog invocation uses a command and flags that exist, launched the same way', async () => {
    const root = program();
    const byFile = await allInvocations();
    const problems: string[] = [];
    for (const invocations of byFile.values()) {
      for (const invocation of invocations) {
        for (const problem of checkInvocation(root, invocation.args)) problems.push(`${invocation.where}: ${problem}`);
        if (invocation.launcher.join(' ') !== 'npx') problems.push(`${invocation.where}: launched as "${[...invocation.launcher, TOOL].join(' ')}", not "npx ${TOOL}"`);
      }
    }
    expect(problems).toEqual([]);
    const commands = (file: string) => byFile.get(file)!.map((i) => i.args.filter((a) => !a.startsWith('-') || a.startsWith('--')).join(' '));
    expect(commands('catalog-pr.yml')).toEqual([
      'validate --catalog $CATALOG_DIR',
      'fmt --check --catalog $CATALOG_DIR',
      'plan --catalog $CATALOG_DIR --markdown --detailed-exitcode --allow max-price-change',
      'plan --catalog $CATALOG_DIR --markdown --detailed-exitcode',
    ]);
    expect(commands('apply.yml')).toEqual([
      'validate --catalog $CATALOG_DIR',
      'plan --catalog $CATALOG_DIR --publish --markdown --out sandbox-plan.json --allow max-price-change',
      'plan --catalog $CATALOG_DIR --publish --markdown --out sandbox-plan.json',
      'apply sandbox-plan.json --yes',
      'plan --prod --catalog $CATALOG_DIR --publish --markdown --detailed-exitcode --out production-plan.json --allow max-price-change',
      'plan --prod --catalog $CATALOG_DIR --publish --markdown --detailed-exitcode --out production-plan.json',
      'apply production-plan.json --prod --yes',
    ]);
    expect(commands('drift.yml')).toEqual(['drift --prod --catalog $CATALOG_DIR --markdown']);
  });

  test('keys come only from the two Kelviq secrets, as environment variables of the same name, never in a script', async () => {
    const secretsIn = (value: unknown): string[] => [...JSON.stringify(value ?? {}).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
    for (const file of await workflowFiles()) {
      const workflow = await loadWorkflow(file);
      const used: string[] = [];
      const checkEnv = (env: Record<string, string> | undefined, where: string) => {
        for (const [name, value] of Object.entries(env ?? {})) {
          const secrets = secretsIn(value);
          if (secrets.length) expect(secrets, `${where}: ${name}`).toEqual([name]);
          used.push(...secrets);
        }
      };
      // Never workflow- or job-wide: there a key is in the environment of `npm ci` and every install script.
      expect(secretsIn(workflow.env), `${file}: workflow-level env`).toEqual([]);
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        expect(secretsIn(job.env), `${file} > ${jobName}: job-level env`).toEqual([]);
        for (const step of job.steps) {
          // A key goes only to a step that calls Kelviq (plan, apply, drift), and every such step has its key.
          const calls = step.run ? invocationsIn(step.run, step.name ?? '').map((invocation) => invocation.args[0]) : [];
          const online = calls.some((command) => command === 'plan' || command === 'apply' || command === 'drift');
          expect(secretsIn(step.env).length > 0, `${file} > ${jobName} > ${step.name}: has a key exactly when it calls Kelviq`).toBe(online);
          checkEnv(step.env, `${file} > ${jobName} > ${step.name}`);
          expect(secretsIn(step.run), `${file} > ${jobName} > ${step.name}`).toEqual([]);
          expect(secretsIn(step.with), `${file} > ${jobName} > ${step.name}`).toEqual([]);
          // The tool reads the key from its environment; no script touches it (so none can print it).
          expect(step.run ?? '', `${file} > ${jobName} > ${step.name}`).not.toMatch(/KELVIQ_\w*KEY/);
        }
      }
      expect(used.length, file).toBeGreaterThan(0);
      for (const secret of used) expect(['KELVIQ_SANDBOX_SERVER_API_KEY', 'KELVIQ_SERVER_API_KEY'], file).toContain(secret);
    }
  });

  test('pull requests: plan comment is one sticky comment, and the job has the permission for it', async () => {
    const workflow = await loadWorkflow('catalog-pr.yml');
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = workflow.jobs.check!.steps;
    const comment = steps.find((step) => step.uses?.startsWith('actions/github-script@'))!;
    const script = String(comment.with!.script);
    expect(script).toContain('updateComment');
    expect(script).toMatch(/existing[\s\S]*updateComment[\s\S]*else[\s\S]*createComment/);
    // Runs whatever failed before it (validate, fmt, plan), but not on a fork, whose token cannot comment.
    expect(comment.if).toBe("${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}");
  });

  test('pull requests from forks (no secrets): validate and fmt still run, the Kelviq steps are skipped with a notice', async () => {
    const workflow = await loadWorkflow('catalog-pr.yml');
    const steps = workflow.jobs.check!.steps;
    const sameRepository = 'github.event.pull_request.head.repo.full_name == github.repository';
    const byId = (id: string) => steps.find((step) => step.id === id)!;
    expect(byId('validate').if).toBeUndefined();
    expect(byId('fmt').if).not.toContain('github.event.pull_request.head.repo');
    for (const step of steps.filter((s) => s.env && JSON.stringify(s.env).includes('secrets.'))) expect(step.if, step.name).toContain(`&& ${sameRepository}`);
    const notice = steps.find((step) => step.if === `\${{ github.event.pull_request.head.repo.full_name != github.repository }}`)!;
    const ran = await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', notice.run!]);
    expect(ran.stdout).toMatch(/^::notice title=Kelviq plan skipped::Pull requests from forks get no secrets[^\n]*validate and fmt ran[^\n]*\n$/);
  });

  test('actions are pinned to majors that run on node24 (Node 20 is end of life in April 2026)', async () => {
    // The first major of each action whose action.yml declares `runs.using: node24`.
    const node24: Record<string, number> = {
      'actions/checkout': 5,
      'actions/setup-node': 5,
      'actions/github-script': 8,
      'actions/upload-artifact': 6,
      'actions/download-artifact': 7,
    };
    const used: string[] = [];
    for (const file of await workflowFiles()) {
      const workflow = await loadWorkflow(file);
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps.filter((s) => s.uses)) {
          const [, action, major] = /^([^@]+)@v(\d+)$/.exec(step.uses!) ?? [];
          used.push(action!);
          expect(node24[action!], `${file} > ${jobName}: ${step.uses} is not a known node24 action`).toBeDefined();
          expect(Number(major), `${file} > ${jobName}: ${step.uses}`).toBeGreaterThanOrEqual(node24[action!]!);
          if (action === 'actions/setup-node') expect(Number(step.with!['node-version']), `${file} > ${jobName}: the tool's Node`).toBeGreaterThanOrEqual(22);
        }
      }
    }
    expect(new Set(used)).toEqual(new Set(Object.keys(node24)));
  });

  test('apply: sandbox first, production only after the approval environment, the saved plan is what runs, never two at once', async () => {
    const workflow = await loadWorkflow('apply.yml');
    expect(workflow.on).toMatchObject({ push: { branches: ['main'] } });
    const { sandbox, 'plan-production': plan, 'apply-production': apply } = workflow.jobs;
    // No workflow-wide group (a run waiting for approval would hold up later sandbox applies): one per environment.
    expect(workflow.concurrency).toBeUndefined();
    expect(sandbox!.concurrency).toEqual({ group: 'kelviq-catalog-sandbox', 'cancel-in-progress': false });
    expect(plan!.concurrency).toEqual({ group: 'kelviq-catalog-production', 'cancel-in-progress': false });
    expect(apply!.concurrency).toEqual({ group: 'kelviq-catalog-production', 'cancel-in-progress': false });
    expect(plan!.needs).toBe('sandbox');
    expect(apply!.needs).toBe('plan-production');
    expect(apply!.environment).toBe('kelviq-production');
    expect(plan!.environment).not.toBe(apply!.environment);
    expect(sandbox!.steps.find((step) => step.name === 'Apply (sandbox)')!.env).toHaveProperty('KELVIQ_SANDBOX_SERVER_API_KEY');
    expect(apply!.steps.at(-1)!.env).toHaveProperty('KELVIQ_SERVER_API_KEY');
    // The plan file saved by the plan job is the artifact the approved job downloads and applies.
    const upload = plan!.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    const download = apply!.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with!.name).toBe(upload.with!.name);
    expect(upload.with!.path).toBe('production-plan.json');
    expect(apply!.steps.at(-1)!.run).toContain('apply production-plan.json --prod --yes');
  });

  test('drift: scheduled and on demand, opens/updates one labelled issue on 2, closes it on 0', async () => {
    const workflow = await loadWorkflow('drift.yml');
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(workflow.permissions).toMatchObject({ issues: 'write' });
    const steps = workflow.jobs.drift!.steps;
    const open = steps.find((step) => step.if === "steps.drift.outputs.exitcode == '2'")!;
    const close = steps.find((step) => step.if === "steps.drift.outputs.exitcode == '0'")!;
    const openScript = String(open.with!.script);
    expect(openScript).toContain("const label = 'catalog-drift'");
    expect(openScript).toMatch(/listForRepo, \{[^}]*state: 'open', labels: label/);
    expect(openScript).toContain('github.rest.issues.update({');
    expect(openScript).toContain('github.rest.issues.create({');
    expect(String(close.with!.script)).toContain("state: 'closed'");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The exit-code handling, run for real

const execFileAsync = promisify(execFile);

interface StepRun {
  code: number;
  outputs: Record<string, string>;
  calls: string[];
  files: Record<string, string>;
}

/** Runs a step's script the way GitHub's default bash shell does, with `npx` standing in for the tool. */
async function runStep(workflow: Workflow, jobName: string, stepId: string, toolExit: number, extraEnv: Record<string, string> = {}): Promise<StepRun> {
  const job = workflow.jobs[jobName]!;
  const step = job.steps.find((s) => s.id === stepId)!;
  const dir = await mkdtemp(join(tmpdir(), 'kelviq-ci-'));
  const bin = join(dir, 'bin');
  await execFileAsync('mkdir', ['-p', bin]);
  await writeFile(join(bin, 'npx'), '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$FAKE_CALLS"\necho "## report from a stand-in"\nexit "$FAKE_EXIT"\n');
  await chmod(join(bin, 'npx'), 0o755);
  const script = join(dir, 'step.sh');
  await writeFile(script, step.run!);
  const expressionFree = (env: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, String(value).replace(/\$\{\{[\s\S]*?\}\}/g, 'x')]));
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    ...expressionFree(workflow.env),
    ...expressionFree(job.env),
    ...expressionFree(step.env),
    ...extraEnv,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    FAKE_CALLS: join(dir, 'calls'),
    FAKE_EXIT: String(toolExit),
  };
  await writeFile(env.GITHUB_OUTPUT, '');
  await writeFile(env.FAKE_CALLS, '');
  let code = 0;
  try {
    await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: dir, env });
  } catch (error) {
    code = (error as { code: number }).code;
  }
  const outputs = Object.fromEntries(
    (await readFile(env.GITHUB_OUTPUT, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=') as [string, string]),
  );
  const files: Record<string, string> = {};
  for (const file of await readdir(dir)) if (file.endsWith('.md')) files[file] = await readFile(join(dir, file), 'utf8');
  return { code, outputs, calls: (await readFile(env.FAKE_CALLS, 'utf8')).split('\n').filter(Boolean), files };
}

describe('exit codes in the workflows (bash, stand-in npx)', () => {
  test('pull request plan: 0 and 2 pass and keep the Markdown for the comment, any other code fails the step', async () => {
    const workflow = await loadWorkflow('catalog-pr.yml');
    for (const exit of [0, 2]) {
      const ran = await runStep(workflow, 'check', 'plan', exit);
      expect(ran.code).toBe(0);
      expect(ran.outputs).toEqual({ exitcode: String(exit) });
      expect(ran.files['plan.md']).toBe('## report from a stand-in\n');
      expect(ran.calls).toEqual(['kelviq-catalog plan --catalog catalog --markdown --detailed-exitcode']);
    }
    // Any other code is no verdict: an error (1), npx missing (127), interrupted (130) or killed (137).
    for (const exit of [1, 127, 130, 137]) {
      const failed = await runStep(workflow, 'check', 'plan', exit);
      expect(failed.code, `exit ${exit}`).toBe(exit);
      expect(failed.outputs).toEqual({ exitcode: String(exit) });
    }
  });

  test('pull request plan: the pricing-approved label becomes --allow max-price-change; without it no waiver is given', async () => {
    const workflow = await loadWorkflow('catalog-pr.yml');
    const step = workflow.jobs.check!.steps.find((s) => s.id === 'plan')!;
    expect(step.env!.PRICING_APPROVED).toBe("${{ contains(github.event.pull_request.labels.*.name, 'pricing-approved') }}");
    expect(workflow.on.pull_request).toMatchObject({ types: expect.arrayContaining(['labeled', 'unlabeled', 'synchronize']) });
    const approved = await runStep(workflow, 'check', 'plan', 2, { PRICING_APPROVED: 'true' });
    expect(approved).toMatchObject({ code: 0, outputs: { exitcode: '2' } });
    expect(approved.calls).toEqual(['kelviq-catalog plan --catalog catalog --markdown --detailed-exitcode --allow max-price-change']);
    const refused = await runStep(workflow, 'check', 'plan', 1, { PRICING_APPROVED: 'false' });
    expect(refused).toMatchObject({ code: 1, outputs: { exitcode: '1' } });
    expect(refused.calls).toEqual(['kelviq-catalog plan --catalog catalog --markdown --detailed-exitcode']);
  });

  test('on merge, the waiver given to the merged pull request (its pricing-approved label) is given to the plans again, no other', async () => {
    const workflow = await loadWorkflow('apply.yml');
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    for (const jobName of ['sandbox', 'plan-production']) {
      const steps = workflow.jobs[jobName]!.steps;
      const approval = steps.findIndex((step) => step.id === 'approval');
      const plan = steps.findIndex((step) => step.id === 'plan');
      expect(approval, jobName).toBeGreaterThan(0);
      expect(approval, jobName).toBeLessThan(plan);
      expect(String(steps[approval]!.with!.script)).toContain("label.name === 'pricing-approved'");
      expect(steps[plan]!.env!.PRICING_APPROVED).toBe('${{ steps.approval.outputs.result }}');
    }
    const approved = await runStep(workflow, 'plan-production', 'plan', 2, { PRICING_APPROVED: 'true' });
    expect(approved.calls).toEqual(['kelviq-catalog plan --prod --catalog catalog --publish --markdown --detailed-exitcode --out production-plan.json --allow max-price-change']);
    const sandbox = await runStep(workflow, 'sandbox', 'plan', 0, { PRICING_APPROVED: 'false' });
    expect(sandbox.calls).toEqual(['kelviq-catalog plan --catalog catalog --publish --markdown --out sandbox-plan.json']);
  });

  test('production plan: 2 means there is something to approve, 0 nothing, any other code fails', async () => {
    const workflow = await loadWorkflow('apply.yml');
    expect((await runStep(workflow, 'plan-production', 'plan', 2)).outputs).toEqual({ changes: 'true' });
    const none = await runStep(workflow, 'plan-production', 'plan', 0);
    expect(none).toMatchObject({ code: 0, outputs: { changes: 'false' } });
    expect(none.calls).toEqual(['kelviq-catalog plan --prod --catalog catalog --publish --markdown --detailed-exitcode --out production-plan.json']);
    // Nothing goes for approval, and the job fails, unless plan said 0 or 2: 127/130/137 are not "no changes".
    for (const exit of [1, 127, 130, 137]) {
      expect(await runStep(workflow, 'plan-production', 'plan', exit), `exit ${exit}`).toMatchObject({ code: exit, outputs: {} });
    }
  });

  test('drift: 2 passes with the report kept for the issue, 0 passes, any other code fails the job', async () => {
    const workflow = await loadWorkflow('drift.yml');
    const drift = await runStep(workflow, 'drift', 'drift', 2);
    expect(drift).toMatchObject({ code: 0, outputs: { exitcode: '2' }, files: { 'drift.md': '## report from a stand-in\n' } });
    expect(drift.calls).toEqual(['kelviq-catalog drift --prod --catalog catalog --markdown']);
    expect(await runStep(workflow, 'drift', 'drift', 0)).toMatchObject({ code: 0, outputs: { exitcode: '0' } });
    for (const exit of [1, 127, 130, 137]) {
      expect(await runStep(workflow, 'drift', 'drift', exit), `exit ${exit}`).toMatchObject({ code: exit, outputs: { exitcode: String(exit) } });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The pull-request comment script, run for real with a stand-in GitHub API

interface CommentRun {
  created: string[];
  updated: Array<{ comment_id: number; body: string }>;
}

/** Runs the comment step's github-script as the action does (an async function body) against a fake `github`. */
async function runCommentScript(env: Record<string, string>, planMarkdown: string | undefined, existing: Array<{ id: number; body: string }>): Promise<CommentRun> {
  const workflow = await loadWorkflow('catalog-pr.yml');
  const step = workflow.jobs.check!.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
  const run: CommentRun = { created: [], updated: [] };
  const github = {
    paginate: async () => existing.map((comment) => ({ ...comment, user: { type: 'Bot' } })),
    rest: {
      issues: {
        listComments: {},
        updateComment: async (request: { comment_id: number; body: string }) => void run.updated.push({ comment_id: request.comment_id, body: request.body }),
        createComment: async (request: { body: string }) => void run.created.push(request.body),
      },
    },
  };
  const context = {
    repo: { owner: 'acme', repo: 'pricing' },
    payload: { pull_request: { number: 7, head: { sha: '0123456789abcdef' } } },
    serverUrl: 'https://github.com',
    runId: 42,
  };
  // The script reads plan.md from the working directory; a stand-in `fs` serves it from here instead.
  const fs = { existsSync: (path: string) => path === 'plan.md' && planMarkdown !== undefined, readFileSync: () => planMarkdown! };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  const script = new AsyncFunction('require', 'github', 'context', 'process', String(step.with!.script));
  const stepEnv = Object.fromEntries(Object.keys(step.env ?? {}).map((name) => [name, env[name] ?? '']));
  await script((name: string) => (name === 'node:fs' ? fs : undefined), github, context, { env: stepEnv });
  return run;
}

describe('the pull-request comment always tells what this push found', () => {
  const previous = [{ id: 99, body: '<!-- kelviq-catalog-plan -->\n## Plan: 3 changes (an older push)' }];

  test('validate failed: the sticky comment is replaced by the failure, with no plan (the older one is gone)', async () => {
    const run = await runCommentScript({ VALIDATE_OUTCOME: 'failure', FMT_OUTCOME: 'success' }, undefined, previous);
    expect(run.created).toEqual([]);
    expect(run.updated).toEqual([
      {
        comment_id: 99,
        body:
          '<!-- kelviq-catalog-plan -->\n' +
          ':x: **validate failed**: the catalog has errors, annotated on the changed lines and listed in the [run log](https://github.com/acme/pricing/actions/runs/42). No plan was computed for this push.\n\n' +
          '<sub>:x: checks failed for 0123456 · [workflow run](https://github.com/acme/pricing/actions/runs/42)</sub>\n',
      },
    ]);
  });

  test('fmt failed on a valid catalog: the plan is shown under the fmt failure', async () => {
    const run = await runCommentScript({ VALIDATE_OUTCOME: 'success', FMT_OUTCOME: 'failure', PLAN_EXIT_CODE: '2' }, '## Plan: 1 change\n', previous);
    expect(run.updated).toHaveLength(1);
    const body = run.updated[0]!.body;
    expect(body).toContain(':x: **fmt --check failed**');
    expect(body).toContain('run `npx kelviq-catalog fmt` and commit');
    expect(body.indexOf('fmt --check failed')).toBeLessThan(body.indexOf('## Plan: 1 change'));
    expect(body).toContain('<sub>plan for 0123456');
  });

  test('a plan that ended without a verdict (killed, 137) is a failure, and a first comment is created', async () => {
    const run = await runCommentScript({ VALIDATE_OUTCOME: 'success', FMT_OUTCOME: 'success', PLAN_EXIT_CODE: '137' }, '', []);
    expect(run.updated).toEqual([]);
    expect(run.created).toEqual([
      '<!-- kelviq-catalog-plan -->\n_kelviq-catalog plan printed nothing; see the run log._\n\n' +
        '<sub>:x: plan failed (exit 137) for 0123456 · [workflow run](https://github.com/acme/pricing/actions/runs/42)</sub>\n',
    ]);
  });

  test('install failed (nothing ran): says so instead of keeping the older plan', async () => {
    const run = await runCommentScript({ VALIDATE_OUTCOME: 'skipped', FMT_OUTCOME: 'skipped' }, undefined, previous);
    expect(run.updated[0]!.body).toContain(':x: **the checks did not run** (skipped)');
    expect(run.updated[0]!.body).not.toContain('an older push');
  });
});
