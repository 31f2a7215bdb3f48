/**
 * The command line: parses flags, hands them to a command, maps the outcome to an exit code. No business logic
 * lives here or in the commands: they call the same engine the library exports.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { Output, type Streams } from './io.js';
import { exitCodeFor, failure, type Outcome } from './outcome.js';
import { describeError } from './options.js';
import { ERROR_FORMAT_VERSION } from './failure.js';
import { forTerminal } from '../output/escape.js';
import { registerApply } from './commands/apply.js';
import { registerDrift } from './commands/drift.js';
import { registerEmulator } from './commands/emulator.js';
import { registerFmt } from './commands/fmt.js';
import { registerInit } from './commands/init.js';
import { registerPlan } from './commands/plan.js';
import { registerPromote } from './commands/promote.js';
import { registerPull } from './commands/pull.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { finishProgram } from './help.js';

/** The version is package.json's, read once here (no second copy to forget when releasing). */
export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What a command hands its result to: the runner maps the outcome to the exit code. */
export type Finish = (pending: Promise<Outcome>) => Promise<void>;

/**
 * The commander program with every command registered, built without running anything. Only the definitions
 * (names, flags, help) load here; each command's implementation, and with it zod, yaml and undici, is imported
 * when that command runs, so `--version`, `--help` and `schema` start in about the time Node itself does.
 * The CI workflow test introspects it to check that the workflow files call only commands and flags that exist.
 */
export function buildProgram(output: Output, finish: Finish): Command {
  const program = new Command('kelviq-catalog')
    .description('Kelviq catalog as code: validate, plan and apply YAML catalogs that respect plan draft/publish versioning.')
    .version(VERSION)
    .option('--no-color', 'never colour output (NO_COLOR is honoured too)')
    .exitOverride()
    // Usage errors quote the arguments, which a workflow may have filled from a branch name or a PR title.
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text.split('\n').map(forTerminal).join('\n')) })
    .showHelpAfterError();

  registerValidate(program, output, finish);
  registerPlan(program, output, finish);
  registerApply(program, output, finish);
  registerDrift(program, output, finish);
  registerPromote(program, output, finish);
  registerPull(program, output, finish);
  registerFmt(program, output, finish);
  registerInit(program, output, finish);
  registerSchema(program, output, finish);
  registerEmulator(program, output, finish);
  finishProgram(program);

  return program;
}

/** Runs the CLI and resolves to the exit code; never calls process.exit itself (tests run it in-process). */
export async function run(argv: string[], streams: Streams = defaultStreams()): Promise<number> {
  const colorFlag = !argv.includes('--no-color');
  const output = new Output(streams, colorFlag);
  let outcome: Outcome | undefined;
  const finish = async (pending: Promise<Outcome>) => {
    try {
      outcome = await pending;
    } catch (error) {
      // Errors quote servers, files and names. In GitHub Actions the error is an annotation, so the run's
      // summary says why it failed.
      if (output.githubAnnotations('stderr')) output.annotate('stderr', [{ level: 'error', message: describeError(error), title: 'kelviq-catalog' }]);
      else output.err(`error  ${forTerminal(describeError(error))}\n`);
      outcome = failure;
    }
  };

  const program = buildProgram(output, finish);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are successes; every other parse problem is a usage error.
      if (error.exitCode === 0) return 0;
      // Two output formats at once (--json with --markdown or --format): neither is honoured, so none is printed.
      if (error.code !== 'commander.conflictingOption') printUsageErrorDocument(program, argv, output, error.message.replace(/^error: /, ''));
      return 1;
    }
    output.err(`error  ${forTerminal(describeError(error))}\n`);
    printUsageErrorDocument(program, argv, output, describeError(error));
    return 1;
  }
  return outcome ? exitCodeFor(outcome) : 0;
}

/**
 * A usage error (an unknown flag, a bad --concurrency, --json with --markdown) happens before the command runs,
 * so runCommand never sees it; with --json the contract still holds: one JSON document on stdout, also on failure
 * (stderr has already said it in words).
 */
function printUsageErrorDocument(program: Command, argv: string[], output: Output, message: string): void {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const command = program.commands.find((candidate) => candidate.name() === name);
  if (!command?.options.some((option) => option.long === '--json')) return;
  const wantsJson = argv.some((arg, index) => arg === '--json' || arg === '--format=json' || (arg === '--format' && argv[index + 1] === 'json'));
  if (!wantsJson) return;
  output.json({ formatVersion: ERROR_FORMAT_VERSION, error: { code: 'usage', message } });
}

function defaultStreams(): Streams {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/**
 * Replaces `process.env` with a plain-object copy. The `yaml` parser checks `process.env.LOG_TOKENS` once per
 * token, and `process.env` is a slow native getter: on a 2,000-plan catalog that was ~15% of validation time.
 * Only the CLI does this — it owns its process; a library must not.
 */
export function snapshotEnvironment(): void {
  process.env = { ...process.env };
}

export async function main(): Promise<void> {
  snapshotEnvironment();
  await runToExit(() => run(process.argv.slice(2)));
}

/**
 * Runs a command as the process's one job and guarantees it ends with a message and an exit code: if the event
 * loop drains while the command is still pending (a library promise that never settles: undici did this on an
 * invalid header, and Node then exited 13 in silence), or an error escapes every handler, the process says so
 * on stderr and exits 1.
 */
export async function runToExit(command: () => Promise<number>): Promise<void> {
  let finished = false;
  // Redacted like all other output (stderr is a pipe or file here, so the write completes before the exit).
  const output = new Output(defaultStreams(), false);
  const fail = (reason: string) => {
    output.err(`error  ${reason}; the command did not finish.\n`);
    process.exit(1);
  };
  const onBeforeExit = () => {
    if (!finished) fail('internal error: kelviq-catalog stopped waiting on a request that will never answer');
  };
  const onUncaught = (error: unknown) => fail(`internal error: ${forTerminal(describeError(error))}`);
  process.on('beforeExit', onBeforeExit);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    const code = await command();
    // Let stdout drain before exiting; a long-running command (emulator) keeps the process alive on its own.
    process.exitCode = code;
  } catch (error) {
    output.err(`error  ${forTerminal(describeError(error))}\n`);
    process.exitCode = 1;
  } finally {
    finished = true;
    process.off('beforeExit', onBeforeExit);
  }
}
