import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Output } from '../io.js';
import { success, type Outcome } from '../outcome.js';

interface EmulatorFlags {
  port: string;
  latencyMs?: string;
  rateLimit?: string;
  seedFile?: string;
}

function nonNegative(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${flag} takes a number >= 0, got "${value}"`);
  return number;
}

/** Runs until SIGINT/SIGTERM; prints the base URL and the key to use, as export lines a shell can eval. */
export async function runEmulator(flags: EmulatorFlags, output: Output): Promise<Outcome> {
  // Imported here, not at the top: msw (and the graphql it pulls in) would otherwise load on every command.
  const { EMULATOR_DEFAULT_KEY, startEmulator } = await import('../../emulator/index.js');
  const port = nonNegative(flags.port, '--port') ?? 0;
  const seed = flags.seedFile ? JSON.parse(await readFile(flags.seedFile, 'utf8')) : undefined;
  const emulator = await startEmulator({
    port,
    latencyMs: nonNegative(flags.latencyMs, '--latency-ms'),
    rateLimitRps: nonNegative(flags.rateLimit, '--rate-limit'),
    seed,
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
    .action((flags: EmulatorFlags) => finish(runEmulator(flags, output)));
}
