import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import type { ValidateFlags } from '../actions/validate.js';

export function registerValidate(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('validate')
    .description('check catalog files offline: syntax, schema, references and Kelviq rules, with file:line:col')
    .option('--catalog <path>', 'catalog file or folder', './catalog')
    .option('--json', 'print diagnostics as JSON')
    .action((flags: ValidateFlags) => finish(import('../actions/validate.js').then((command) => command.runValidate(flags, output))));
}
