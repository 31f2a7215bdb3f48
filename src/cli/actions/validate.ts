// The loader and the printer only, not the whole schema module (fmt, the writer): start-up is most of a validate run.
import { diagnosticToAnnotation, formatDiagnostics } from '../../schema/format-diagnostics.js';
import { loadCatalog } from '../../schema/load-catalog.js';
import type { Output } from '../io.js';
import { failure, success, type Outcome } from '../outcome.js';

export type ValidateFormat = 'text' | 'json' | 'github';

export interface ValidateFlags {
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
    if (format === 'github') output.annotate('stdout', result.diagnostics.map(diagnosticToAnnotation));
    else if (result.diagnostics.length) output.out(formatDiagnostics(result.diagnostics, { color: output.color }));
    const counts = result.catalog
      ? ` (${result.catalog.products.length} products, ${result.catalog.features.length} features, ${result.catalog.plans.length} plans)`
      : '';
    output.out(`${errors ? `${errors} error(s)` : 'Catalog is valid'}, ${warnings} warning(s) in ${result.files.length} file(s)${counts}.\n`);
  }
  return errors ? failure : success;
}
