import { readFile } from 'node:fs/promises';
import { SERVER_VALUES_MODES as SERVER_VALUES, type ServerValuesMode } from '../../emulator/model/server-values-modes.js';
import type { Output } from '../io.js';
import { success, type Outcome } from '../outcome.js';

export interface EmulatorFlags {
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

/** The seed document, or an error naming the flag and the file (not a bare ENOENT or JSON parse message). */
async function readSeed(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`--seed-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass the path of a JSON seed document.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`--seed-file ${file} is not JSON (${error instanceof Error ? error.message : String(error)}); the seed is a JSON document.`);
  }
}

/** Runs until SIGINT/SIGTERM; prints the base URL and the key to use, as export lines a shell can eval. */
export async function runEmulator(flags: EmulatorFlags, output: Output): Promise<Outcome> {
  // Imported here, not at the top: the emulator would otherwise load on every command.
  const { EMULATOR_DEFAULT_KEY, startEmulator } = await import('../../emulator/index.js');
  const port = nonNegative(flags.port, '--port') ?? 0;
  const seed = flags.seedFile ? await readSeed(flags.seedFile) : undefined;
  const emulator = await startEmulator({
    port,
    latencyMs: nonNegative(flags.latencyMs, '--latency-ms'),
    rateLimitRps: nonNegative(flags.rateLimit, '--rate-limit'),
    seed,
    serverValues: serverValuesFlag(flags.serverValues),
    extraFields: flags.extraFields ?? false,
  }).catch((error: unknown) => {
    // Node's "listen EADDRINUSE" names neither the flag nor a way out.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use on 127.0.0.1 (another emulator?): stop what listens there, or pass another --port (--port 0 picks a free one).`);
    }
    throw error;
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
