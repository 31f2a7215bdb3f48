/**
 * What several commands share: resolving the target and client from flags and environment, loading a catalog
 * and printing its diagnostics, turning any error into a message a person can act on.
 */
import { diagnosticToAnnotation, formatDiagnostics, loadCatalog } from '../schema/index.js';
import type { Catalog, LoadResult } from '../schema/model.js';
import type { Output } from './io.js';
import { CommandFailure } from './failure.js';

export { DEFAULT_CONCURRENCY, describeError, parseConcurrency } from './options.js';
export { connect, readingLive, type TargetFlags } from './connect.js';

export interface LoadedCatalog {
  catalog: Catalog;
  result: LoadResult;
  /** `file:line:col` of a catalog pointer, for engine messages. */
  locate: (pointer: string) => string | undefined;
}

/**
 * Loads and validates; prints diagnostics to stderr. Throws a CommandFailure (`invalid-catalog`, carrying the
 * error diagnostics, so `--json` prints them as its error document) when the catalog has errors. `readStarted`:
 * the caller has already started reading Kelviq (the lists), so the message does not claim nothing was read.
 */
export async function loadAndReport(
  path: string,
  output: Output,
  options: { quietWarnings?: boolean; readStarted?: boolean; loading?: Promise<LoadResult> } = {},
): Promise<LoadedCatalog> {
  const result = await (options.loading ?? loadCatalog(path));
  const shown = options.quietWarnings ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  // In GitHub Actions the problems become annotations on the catalog's lines (on stderr: stdout may be the
  // Markdown going into a comment).
  if (output.githubAnnotations('stderr')) output.annotate('stderr', shown.map(diagnosticToAnnotation));
  else if (shown.length) output.err(formatDiagnostics(shown, { color: output.color }));
  if (!result.catalog) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    // plan and apply start reading Kelviq's lists while the catalog is parsed: then nothing was written, but lists were read.
    const untouched = options.readStarted ? 'nothing was written to Kelviq' : 'nothing was read from or written to Kelviq';
    throw new CommandFailure('invalid-catalog', `the catalog has ${errors.length} error(s); ${untouched}.`, { diagnostics: errors });
  }
  const locate = (pointer: string) => {
    const location = result.locations.locate(pointer) ?? result.locations.locate(pointer.split('/').slice(0, 3).join('/'));
    return location ? `${location.file}:${location.line}:${location.column}` : undefined;
  };
  return { catalog: result.catalog, result, locate };
}
