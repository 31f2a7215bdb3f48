import { Option, type Command } from 'commander';
import { diagnosticToAnnotation, formatDiagnostics, loadCatalog } from '../../schema/index.js';
import type { Output } from '../io.js';
import { failure, success, type Outcome } from '../outcome.js';

export const VALIDATE_FORMATS = ['text', 'json', 'github'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

interface ValidateFlags {
  catalog: string;
  json?: boolean;
  format?: ValidateFormat;
}

/**
 * The format asked for, else GitHub annotations inside Actions when stdout is read by the runner (not a
 * terminal), so the errors land on the pull request's changed lines without a flag; else text.
 */
function formatFor(flags: ValidateFlags, output: Output): ValidateFormat {
  if (flags.json) return 'json';
  if (flags.format) return flags.format;
  return output.githubAnnotations('stdout') ? 'github' : 'text';
}

export async function runValidate(flags: ValidateFlags, output: Output): Promise<Outcome> {
  const result = await loadCatalog(flags.catalog);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const format = formatFor(flags, output);
  if (format === 'json') {
    output.json({ formatVersion: 1, valid: errors === 0, errors, warnings, files: result.files, diagnostics: result.diagnostics });
  } else {
    if (format === 'github') output.annotate('stdout', result.diagnostics.map(diagnosticToAnnotation));
    else if (result.diagnostics.length) output.out(formatDiagnostics(result.diagnostics, { color: output.color }));
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
    .addOption(new Option('--json', 'print diagnostics as JSON (same as --format json)').conflicts('format'))
    .addOption(
      new Option('--format <format>', 'text, json, or github (::error annotations); github is the default inside GitHub Actions when stdout is not a terminal').choices(
        VALIDATE_FORMATS,
      ),
    )
    .action((flags: ValidateFlags) => finish(runValidate(flags, output)));
}
