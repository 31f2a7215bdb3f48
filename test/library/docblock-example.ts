// The usage example of src/index.ts's docblock, verbatim between the markers (test/library/docblock.test.ts
// checks that they are the same text, and runs this against the emulator). Being under test/, it is typechecked
// by `tsc -p tsconfig.json` in `npm test`: an example that does not compile fails the build.
import { loadCatalog, formatDiagnostics, plan, apply, createClient, resolveTarget } from '../../src/index.js';

export async function docblockExample(): Promise<void> {
  // example:begin
  const { catalog, diagnostics } = await loadCatalog('./catalog');
  if (!catalog) throw new Error(formatDiagnostics(diagnostics));
  const target = resolveTarget(); // the sandbox, from KELVIQ_SANDBOX_SERVER_API_KEY
  const client = createClient(target);
  try {
    const computed = await plan({ client, catalog, environment: target.environment });
    // Refuses (InvalidPlanError) a plan with errors, as the CLI does.
    const result = await apply(computed.plan, { client, live: computed.live, environment: target.environment });
    console.log(`${result.applied.length} change(s) applied`);
  } finally {
    await client.close();
  }
  // example:end
}
