import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import type { FmtFlags } from '../actions/fmt.js';
import { DEFAULT_CATALOG } from '../options.js';

export function registerFmt(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('fmt')
    .description('rewrite catalog files in canonical key order and formatting, keeping comments')
    .option('--catalog <path>', 'catalog file or folder', DEFAULT_CATALOG)
    .option('--check', 'write nothing; list the files that are not formatted and exit 1 if there are any')
    .action((flags: FmtFlags) => finish(import('../actions/fmt.js').then((command) => command.runFmt(flags, output))));
}
