import { formatCatalogFiles } from '../../schema/fmt/index.js';
import { formatDiagnostics } from '../../schema/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { failure, success, type Outcome } from '../outcome.js';
import { shellWord } from '../options.js';

export interface FmtFlags {
  catalog: string;
  check?: boolean;
}

export async function runFmt(flags: FmtFlags, output: Output): Promise<Outcome> {
  const result = await formatCatalogFiles(flags.catalog, { check: flags.check });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.failed) {
    output.err(formatDiagnostics(errors, { color: output.color }));
    // A path that is not there has no YAML to fix: say what to pass instead.
    const missing = errors.every((d) => d.code === 'catalog-not-found');
    const what = missing ? 'Pass the catalog folder or file with --catalog PATH' : 'Fix the YAML first (kelviq-catalog validate shows every problem)';
    output.err(`fmt: ${errors.length} error(s); no file was ${flags.check ? 'checked' : 'changed'}. ${what}.\n`);
    return failure;
  }
  for (const file of result.files) if (file.refused) output.err(`${forTerminal(file.path)}  error    not formatted: ${forTerminal(file.refused)}\n`);
  const refused = result.files.filter((file) => file.refused).length;
  const changed = result.files.filter((file) => file.changed);
  const total = result.files.length;
  if (flags.check) {
    for (const file of changed) output.out(`would reformat ${forTerminal(file.path)}\n`);
    if (changed.length) {
      output.out(`${changed.length} of ${total} file(s) not formatted; run: kelviq-catalog fmt --catalog ${forTerminal(shellWord(flags.catalog))}\n`);
    } else if (!refused) {
      output.out(`All ${total} file(s) formatted.\n`);
    }
    return changed.length || refused ? failure : success;
  }
  for (const file of changed) output.out(`formatted ${forTerminal(file.path)}\n`);
  output.out(changed.length ? `Formatted ${changed.length} of ${total} file(s).\n` : `All ${total} file(s) were already formatted.\n`);
  return refused ? failure : success;
}
