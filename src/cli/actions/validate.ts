// The loader and the printer only, not the whole schema module (fmt, the writer): start-up is most of a validate run.
import { diagnosticToAnnotation, formatDiagnostics } from '../../schema/format-diagnostics.js';
import { loadCatalog } from '../../schema/load-catalog.js';
import picocolors from 'picocolors';
import type { LoadResult } from '../../schema/model.js';
import { CommandFailure } from '../failure.js';
import type { Output } from '../io.js';
import { failure, success, type Outcome } from '../outcome.js';
import { warnUnusedWaivers } from './waiver-warnings.js';

export type ValidateFormat = 'text' | 'json' | 'github';

export interface ValidateFlags {
  catalog: string;
  json?: boolean;
  format?: ValidateFormat;
  /** `--allow RULE[:PLAN]`: waivers of policy rules. */
  allow?: string[];
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

/**
 * The policy's offline rules (those that need no live data) against a valid catalog, with the waivers given.
 * Imported only when the catalog has a policy: most validate runs never load the policy module.
 */
async function offlinePolicy(flags: ValidateFlags, result: LoadResult, output: Output) {
  const { evaluatePolicy, parseWaivers, policyBlocks, policyBlockSummary, policyAnnotations, policyLinesText, WaiverError } = await import('../../policy/index.js');
  let waivers;
  try {
    waivers = parseWaivers(flags.allow);
  } catch (error) {
    if (error instanceof WaiverError) throw new CommandFailure('unknown-policy-rule', error.message);
    throw error;
  }
  if (result.catalog) warnUnusedWaivers(waivers, result.policy, output, new Set(result.catalog.plans.map((plan) => plan.identifier)));
  if (!result.catalog || !result.policy) return undefined;
  const locate = (pointer: string) => {
    const location = result.locations.locate(pointer);
    return location ? `${location.file}:${location.line}:${location.column}` : undefined;
  };
  const report = evaluatePolicy({ catalog: result.catalog, policy: result.policy, waivers, locate });
  return { report, blocks: policyBlocks(report), summary: policyBlockSummary(report), annotations: policyAnnotations(report, 'kelviq-catalog policy'), text: (color: boolean) => policyLinesText(report, picocolors.createColors(color), { offlineOnly: true }) };
}

export async function runValidate(flags: ValidateFlags, output: Output): Promise<Outcome> {
  const result = await loadCatalog(flags.catalog);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const format = formatFor(flags, output);
  const policy = result.policy || flags.allow?.length ? await offlinePolicy(flags, result, output) : undefined;
  const failed = errors > 0 || Boolean(policy?.blocks);
  if (format === 'json') {
    output.json({
      formatVersion: 1,
      valid: !failed,
      errors,
      warnings,
      files: result.files,
      diagnostics: result.diagnostics,
      ...(policy ? { policy: policy.report } : {}),
      // The member every failed `--json` command carries (src/cli/failure.ts), so one `jq .error` fits all.
      ...(errors
        ? { error: { code: 'invalid-catalog', message: `the catalog has ${errors} error(s).` } }
        : policy?.blocks
          ? { error: { code: 'policy-violations', message: `the catalog has ${policy.summary}.` } }
          : {}),
    });
  } else {
    if (format === 'github') output.annotate('stdout', [...result.diagnostics.map(diagnosticToAnnotation), ...(policy?.annotations ?? [])]);
    else if (result.diagnostics.length) output.out(formatDiagnostics(result.diagnostics, { color: output.color }));
    if (policy && format !== 'github') output.out(`${policy.text(output.color).join('\n')}\n`);
    const counts = result.catalog
      ? ` (${result.catalog.products.length} products, ${result.catalog.features.length} features, ${result.catalog.plans.length} plans)`
      : '';
    const verdict = errors ? `${errors} error(s)` : policy?.blocks ? `Catalog is valid but breaks its policy (${policy.summary})` : 'Catalog is valid';
    output.out(`${verdict}, ${warnings} warning(s) in ${result.files.length} file(s)${counts}.\n`);
  }
  return failed ? failure : success;
}
