import type { Command } from 'commander';
import { formatDiagnostics, loadCatalog } from '../../schema/index.js';
import type { Output } from '../io.js';
import { failure, success, type Outcome } from '../outcome.js';
import { runCommand } from '../failure.js';

interface ValidateFlags {
  catalog: string;
  json?: boolean;
}

export async function runValidate(flags: ValidateFlags, output: Output): Promise<Outcome> {
  const result = await loadCatalog(flags.catalog);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (flags.json) {
    output.json({
      formatVersion: 1,
      valid: errors === 0,
      errors,
      warnings,
      files: result.files,
      diagnostics: result.diagnostics,
      // The member every failed `--json` command carries (src/cli/failure.ts), so one `jq .error` fits all.
      ...(errors ? { error: { code: 'invalid-catalog', message: `the catalog has ${errors} error(s).` } } : {}),
    });
  } else {
    if (result.diagnostics.length) output.out(formatDiagnostics(result.diagnostics, { color: output.color }));
    const counts = result.catalog
      ? ` (${result.catalog.products.length} products, ${result.catalog.features.length} features, ${result.catalog.plans.length} plans)`
      : '';
    output.out(`${errors ? `${errors} error(s)` : 'Catalog is valid'}, ${warnings} warning(s) in ${result.files.length} file(s)${counts}.\n`);
  }
  return errors ? failure : success;
}

export function registerValidate(program: Command, output: Output, finish: (outcome: Promise<Outcome>) => Promise<void>): void {
  program
    .command('validate')
    .description('check catalog files offline: syntax, schema, references and Kelviq rules, with file:line:col')
    .option('--catalog <path>', 'catalog file or folder', './catalog')
    .option('--json', 'print diagnostics as JSON')
    .action((flags: ValidateFlags) => finish(runCommand(flags.json, output, (out) => runValidate(flags, out))));
}
