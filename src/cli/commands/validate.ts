import { Option, type Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';
import type { ValidateFlags } from '../actions/validate.js';
import { ALLOW_DESCRIPTION, collect, DEFAULT_CATALOG } from '../options.js';

export const VALIDATE_FORMATS = ['text', 'json', 'github'] as const;

export function registerValidate(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('validate')
    .description("check catalog files offline: syntax, schema, references, Kelviq rules and the policy's offline rules, with file:line:col")
    .option('--catalog <path>', 'catalog file or folder', DEFAULT_CATALOG)
    .addOption(new Option('--json', 'print diagnostics as JSON (same as --format json)').conflicts('format'))
    .addOption(
      new Option('--format <format>', 'text, json, or github (::error annotations); github is the default inside GitHub Actions when stdout is not a terminal').choices(
        VALIDATE_FORMATS,
      ),
    )
    .option('--allow <rule[:plan]>', ALLOW_DESCRIPTION, collect)
    .action((flags: ValidateFlags) => finish(runCommand(flags.json || flags.format === 'json', output, (out) => import('../actions/validate.js').then((command) => command.runValidate(flags, out)))));
}
