import { pullCatalog } from '../../pull/index.js';
import { formatDiagnostics } from '../../schema/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { interrupted, success, type Outcome } from '../outcome.js';
import { whileInterruptible } from '../interrupt.js';
import { connect, readingLive } from '../shared.js';

export interface PullFlags {
  out: string;
  prod?: boolean;
  force?: boolean;
  json?: boolean;
  concurrency?: number;
}

export async function runPull(flags: PullFlags, output: Output): Promise<Outcome> {
  const { target, client } = connect(flags, output);
  // Ctrl-C (or a CI runner's SIGTERM) stops the pull cleanly: no temporary folder is left beside the target and
  // the target stays as it was, rather than Node's default of dying mid-write.
  const controller = new AbortController();
  const release = whileInterruptible((signal) => {
    output.err(`\n${signal}: stopping; nothing will be written...\n`);
    controller.abort(new Error(signal));
    client.interrupt();
  });
  let result;
  try {
    result = await output.progress.during(readingLive(target.environment), () =>
      pullCatalog({ client, out: flags.out, force: flags.force, secrets: output.secrets, signal: controller.signal }),
    );
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    const message = `pull was interrupted; nothing was written: ${flags.out} is as it was.`;
    if (flags.json) output.json({ formatVersion: 1, error: { code: 'interrupted', message } });
    output.err(`${forTerminal(message)}\n`);
    return interrupted;
  } finally {
    release();
    await client.close();
  }
  const { counts } = result;
  if (flags.json) {
    output.json({
      formatVersion: 1,
      environment: target.environment,
      out: result.out,
      files: result.files,
      ...(result.keptPolicy ? { keptPolicy: result.keptPolicy } : {}),
      counts,
      warnings: result.notes,
      diagnostics: result.diagnostics,
    });
    return success;
  }
  for (const note of result.notes) output.warn(note.message);
  if (result.keptPolicy) output.err(`Kept the catalog's policy in ${forTerminal(result.keptPolicy)} (Kelviq holds no policy; pull never writes one).\n`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (result.diagnostics.length) {
    output.err(formatDiagnostics(result.diagnostics, { color: output.color }));
    if (errors) output.err(`warning  the live catalog breaks ${errors} catalog rule(s) above; fix them in the files before planning.\n`);
  }
  output.out(
    `Pulled ${counts.products} product(s), ${counts.features} feature(s) and ${counts.plans} plan(s) from ${target.environment} into ${forTerminal(result.out)} (${result.files.length} file(s)).\n`,
  );
  return success;
}
