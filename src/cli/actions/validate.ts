// The loader and the printer only, not the whole schema module (fmt, the writer): start-up is most of a validate run.
import { formatDiagnostics } from '../../schema/format-diagnostics.js';
import { loadCatalog } from '../../schema/load-catalog.js';
import type { Output } from '../io.js';
import { failure, success, type Outcome } from '../outcome.js';

export interface ValidateFlags {
  catalog: string;
  json?: boolean;
}

export async function runValidate(flags: ValidateFlags, output: Output): Promise<Outcome> {
  const result = await loadCatalog(flags.catalog);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (flags.json) {
    output.json({ formatVersion: 1, valid: errors === 0, errors, warnings, files: result.files, diagnostics: result.diagnostics });
  } else {
    if (result.diagnostics.length) output.out(formatDiagnostics(result.diagnostics, { color: output.color }));
    const counts = result.catalog
      ? ` (${result.catalog.products.length} products, ${result.catalog.features.length} features, ${result.catalog.plans.length} plans)`
      : '';
    output.out(`${errors ? `${errors} error(s)` : 'Catalog is valid'}, ${warnings} warning(s) in ${result.files.length} file(s)${counts}.\n`);
  }
  return errors ? failure : success;
}
