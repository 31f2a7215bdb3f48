import { detectDrift, driftJsonDocument, renderDriftMarkdown, renderDriftText } from '../../drift/index.js';
import { appendStepSummary, type Output } from '../io.js';
import { changesFound, success, type Outcome } from '../outcome.js';
import { connect, loadAndReport, readingLive } from '../shared.js';

export interface DriftFlags {
  catalog: string;
  prod?: boolean;
  json?: boolean;
  markdown?: boolean;
  concurrency?: number;
  ignoreUnmanaged?: boolean;
}

/** For a scheduled job: never prompts; exit 0 in sync, 2 drift found, 1 error. */
export async function runDrift(flags: DriftFlags, output: Output): Promise<Outcome> {
  const loaded = await loadAndReport(flags.catalog, output, { quietWarnings: flags.json || flags.markdown });
  const { target, client } = connect(flags, output);
  try {
    const report = await output.progress.during(readingLive(target.environment), () =>
      detectDrift({
        client,
        catalog: loaded.catalog,
        environment: target.environment,
        ignoreUnmanaged: flags.ignoreUnmanaged,
        locate: loaded.locate,
      }),
    );
    const markdown = renderDriftMarkdown(report);
    if (flags.json) output.json(driftJsonDocument(report));
    else if (flags.markdown) output.out(markdown);
    else output.out(renderDriftText(report, { baseUrl: target.baseUrl, color: output.color }));
    await appendStepSummary(output, markdown);
    // In GitHub Actions what drift could not compare is an annotation too (the report itself is the issue body).
    if (output.githubAnnotations('stderr')) output.annotate('stderr', report.warnings.map((message) => ({ level: 'warning' as const, message, title: 'kelviq-catalog drift' })));
    return report.drift ? changesFound : success;
  } finally {
    await client.close();
  }
}
