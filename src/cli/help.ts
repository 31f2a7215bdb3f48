/**
 * What `--help` says beyond the flags commander lists: examples per command, the environment variables the
 * tool reads, the exit codes. Kept apart from the command definitions so each command's file stays about what it
 * does; `finishProgram` attaches it, and the flags that cannot go together, once every command is registered.
 */
import type { Command } from 'commander';
import { EXIT_CODES } from './outcome.js';

const EXAMPLES: Record<string, string[]> = {
  validate: [
    'npx kelviq-catalog validate --catalog ./catalog',
    'npx kelviq-catalog validate --json > diagnostics.json',
    'npx kelviq-catalog validate --format github     # ::error annotations (the default in GitHub Actions)',
  ],
  plan: [
    'npx kelviq-catalog plan --catalog ./catalog',
    'npx kelviq-catalog plan --markdown --detailed-exitcode > plan.md   # exit 2 when there are changes',
    'npx kelviq-catalog plan --prod --publish --out production-plan.json',
  ],
  apply: [
    'npx kelviq-catalog apply --catalog ./catalog            # asks for "yes" on a terminal',
    'npx kelviq-catalog apply --yes --publish                # CI: no prompt, publish what changed',
    'npx kelviq-catalog apply production-plan.json --prod --yes   # exactly a saved, reviewed plan',
  ],
  drift: ['npx kelviq-catalog drift --prod', 'npx kelviq-catalog drift --prod --markdown > drift.md   # exit 2 when drift is found'],
  promote: ['npx kelviq-catalog promote --dry-run', 'npx kelviq-catalog promote --yes --publish'],
  pull: ['npx kelviq-catalog pull --out ./catalog', 'npx kelviq-catalog pull --prod --out ./catalog --force'],
  fmt: ['npx kelviq-catalog fmt --catalog ./catalog', 'npx kelviq-catalog fmt --check   # CI: exit 1 when a file is not formatted'],
  init: ['npx kelviq-catalog init', 'npx kelviq-catalog init --catalog ./pricing'],
  schema: ['npx kelviq-catalog schema > catalog.schema.json'],
  emulator: ['npx kelviq-catalog emulator --port 4010', 'npx kelviq-catalog emulator --latency-ms 50 --rate-limit 20'],
};

const ENVIRONMENT = `Environment variables:
  KELVIQ_SANDBOX_SERVER_API_KEY  key for the sandbox (the default target)
  KELVIQ_SERVER_API_KEY          key for production (with --prod, and for promote)
  KELVIQ_SANDBOX_BASE_URL        sandbox API base URL (https, or http on loopback only)
  KELVIQ_BASE_URL                production API base URL
  NO_COLOR                       set: never colour output (as --no-color)
  FORCE_COLOR                    colour even when stdout is not a terminal; 0 or false: never
  GITHUB_ACTIONS                 true (set by the runner): problems are printed as GitHub annotations
  GITHUB_STEP_SUMMARY            plan and drift append their Markdown report to this file
  KELVIQ_CATALOG_HEARTBEAT       seconds between progress lines when stderr is not a terminal (default 5, 0 off)`;

const EXIT = `Exit codes:
  ${EXIT_CODES.success}    success, or no changes
  ${EXIT_CODES.error}    an error: invalid catalog, API failure, refused plan, failed apply, usage error
  ${EXIT_CODES['changes-found']}    changes found (plan --detailed-exitcode, promote --dry-run --detailed-exitcode) or drift found (drift)
  ${EXIT_CODES.interrupted}  interrupted (SIGINT/SIGTERM during apply or pull)`;

/** Output flags of which a command prints one format only. */
const EXCLUSIVE_FORMATS = ['json', 'markdown'];

export function finishProgram(program: Command): void {
  program.addHelpText('after', `\n${ENVIRONMENT}\n\n${EXIT}\n`);
  for (const command of program.commands) {
    const examples = EXAMPLES[command.name()];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}\n\n${ENVIRONMENT}\n\n${EXIT}\n`);
    // `--json --markdown` used to print JSON and drop the Markdown without a word: refused instead.
    const formats = command.options.filter((option) => EXCLUSIVE_FORMATS.includes(option.attributeName()));
    for (const option of formats) option.conflicts(formats.filter((other) => other !== option).map((other) => other.attributeName()));
  }
}
