import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Output } from '../io.js';
import { success, type Outcome } from '../outcome.js';

/**
 * The committed schema, shipped in the package (`files`), two folders up from both `src/cli/commands` and
 * `dist/cli/commands`. Read rather than generated: generating it needs the zod schemas, about a third of a
 * second of start-up; a test keeps the file equal to what they generate.
 */
const COMMITTED_SCHEMA = new URL('../../../schema/catalog.schema.json', import.meta.url);

export function registerSchema(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('schema')
    .description('print the catalog JSON Schema (for editors: yaml-language-server, VS Code)')
    .action(() =>
      finish(
        (async () => {
          output.json(JSON.parse(await readFile(COMMITTED_SCHEMA, 'utf8')));
          return success;
        })(),
      ),
    );
}
