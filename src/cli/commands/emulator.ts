import type { Command } from 'commander';
import type { Output } from '../io.js';
import type { Outcome } from '../outcome.js';
// The mode list only: the emulator itself is imported when the command runs.
import { SERVER_VALUES_MODES as SERVER_VALUES } from '../../emulator/model/server-values-modes.js';
import type { EmulatorFlags } from '../actions/emulator.js';

export function registerEmulator(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('emulator')
    .description('run the Kelviq catalog API emulator on loopback (for local runs, demos and CI without an account)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
    .option('--latency-ms <n>', 'latency added to every response')
    .option('--rate-limit <rps>', 'answer 429 + Retry-After above this many requests per second')
    .option('--seed-file <file>', 'start from the catalog in this JSON seed file')
    .option(
      '--server-values <mode>',
      `what is stored for fields a client leaves out: ${SERVER_VALUES.join(' (default) or ')} (each property's example in the OpenAPI spec, as a mock server builds responses)`,
    )
    .option('--extra-fields', 'add fields the spec does not list to every object returned, and server ids, details and featureQuantityPrice to charges')
    .action((flags: EmulatorFlags) => finish(import('../actions/emulator.js').then((command) => command.runEmulator(flags, output))));
}
