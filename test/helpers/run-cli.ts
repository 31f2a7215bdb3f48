/**
 * The CLI in-process with captured streams, the way a user runs it, plus the guarantee every CLI test wants:
 * none of the given secrets appears in anything it printed.
 */
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { run } from '../../src/cli/main.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string | undefined>, secrets: string[] = []): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  const code = await run(args, { stdout, stderr, stdin, env });
  const ran = { code, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
  for (const secret of secrets) expect(ran.stdout + ran.stderr).not.toContain(secret);
  return ran;
}
