import type { Command } from 'commander';
import { initCatalog } from '../../schema/write/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { success, type Outcome } from '../outcome.js';

interface InitFlags {
  catalog: string;
}

export async function runInit(flags: InitFlags, output: Output): Promise<Outcome> {
  const result = await initCatalog(flags.catalog);
  const catalog = forTerminal(flags.catalog);
  output.out(`Wrote a starter catalog to ${catalog}: ${result.files.join(', ')}.\n`);
  output.out(`Next: edit it, then kelviq-catalog validate --catalog ${catalog} and kelviq-catalog plan --catalog ${catalog}.\n`);
  return success;
}

export function registerInit(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('init')
    .description('write a small, commented starter catalog into a new folder (never overwrites anything)')
    .option('--catalog <path>', 'folder to create', './catalog')
    .action((flags: InitFlags) => finish(runInit(flags, output)));
}
