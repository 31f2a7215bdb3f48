/**
 * Runs an emulator in its own process for benchmarks: a real Kelviq server does not share the client's CPU, so
 * timing both on one JavaScript thread would charge the server's work to the engine. Prints one JSON line
 * with the URL, then serves until killed. Options come as JSON in argv[2].
 */
import { startEmulator, type EmulatorOptions } from '../src/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator({ port: 0, ...options });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
