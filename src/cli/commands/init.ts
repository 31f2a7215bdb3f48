import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
import type { InitFlags } from '../actions/init.js';
import { DEFAULT_CATALOG } from '../options.js';

export function registerInit(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('init')
    .description('write a small, commented starter catalog into a new folder (never overwrites anything)')
    .option('--catalog <path>', 'folder to create', DEFAULT_CATALOG)
    .action((flags: InitFlags) => finish(import('../actions/init.js').then((command) => command.runInit(flags, output))));
}
