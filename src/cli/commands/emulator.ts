import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
// The mode list only: the emulator itself (and the zod schemas it validates with) is imported when the command runs.
import { SERVER_VALUES_MODES as SERVER_VALUES, type ServerValuesMode } from '../../emulator/model/server-values.js';
import type { Output } from '../io.js';
import { success, type Outcome } from '../outcome.js';

interface EmulatorFlags {
  port: string;
  latencyMs?: string;
  rateLimit?: string;
  seedFile?: string;
  serverValues?: string;
  extraFields?: boolean;
}

function serverValuesFlag(value: string | undefined): ServerValuesMode | undefined {
  if (value === undefined) return undefined;
  const mode = SERVER_VALUES.find((candidate) => candidate === value);
  if (!mode) throw new Error(`--server-values takes ${SERVER_VALUES.join(' or ')}, got "${value}"`);
  return mode;
}

function nonNegative(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${flag} takes a number >= 0, got "${value}"`);
  return number;
}

/** Runs until SIGINT/SIGTERM; prints the base URL and the key to use, as export lines a shell can eval. */
export async function runEmulator(flags: EmulatorFlags, output: Output): Promise<Outcome> {
  // Imported here, not at the top: the emulator would otherwise load on every command.
  const { EMULATOR_DEFAULT_KEY, startEmulator } = await import('../../emulator/index.js');
  const port = nonNegative(flags.port, '--port') ?? 0;
  const seed = flags.seedFile ? JSON.parse(await readFile(flags.seedFile, 'utf8')) : undefined;
  const emulator = await startEmulator({
    port,
    latencyMs: nonNegative(flags.latencyMs, '--latency-ms'),
    rateLimitRps: nonNegative(flags.rateLimit, '--rate-limit'),
    seed,
    serverValues: serverValuesFlag(flags.serverValues),
    extraFields: flags.extraFields ?? false,
  });
  output.out(`Kelviq emulator listening on ${emulator.url}\n`);
  output.out(`export KELVIQ_SANDBOX_BASE_URL=${emulator.url}\n`);
  // The emulator's key is a fixed, public test value, not a secret: printing it is the point.
  output.streams.stdout.write(`export KELVIQ_SANDBOX_SERVER_API_KEY=${EMULATOR_DEFAULT_KEY}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  output.err('Kelviq emulator stopped.\n');
  return success;
}

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
    .action((flags: EmulatorFlags) => finish(runEmulator(flags, output)));
}
