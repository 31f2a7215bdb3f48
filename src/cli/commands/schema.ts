import type { Command } from 'commander';
import { catalogJsonSchema } from '../../schema/index.js';
import type { Output } from '../io.js';
import { success, type Outcome } from '../outcome.js';

export function registerSchema(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('schema')
    .description('print the catalog JSON Schema (for editors: yaml-language-server, VS Code)')
    .action(() =>
      finish(
        (async () => {
          output.json(catalogJsonSchema());
          return success;
        })(),
      ),
    );
}
