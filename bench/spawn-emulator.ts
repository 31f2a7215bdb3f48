import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { EmulatorOptions } from '../src/emulator/index.js';

export interface EmulatorProcess {
  url: string;
  /** The child's process id (for reading its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/** Starts bench/emulator-process.ts in a child process and resolves once it listens. */
export async function spawnEmulator(options: EmulatorOptions): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...(process.env.EMU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cpuprof'] : []), '--import', 'tsx', new URL('./emulator-process.ts', import.meta.url).pathname, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
