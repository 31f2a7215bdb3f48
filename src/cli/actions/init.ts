import { initCatalog } from '../../schema/write/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { success, type Outcome } from '../outcome.js';

export interface InitFlags {
  catalog: string;
}

export async function runInit(flags: InitFlags, output: Output): Promise<Outcome> {
  const result = await initCatalog(flags.catalog);
  const catalog = forTerminal(flags.catalog);
  output.out(`Wrote a starter catalog to ${catalog}: ${result.files.join(', ')}.\n`);
  output.out(`Next: edit it, then kelviq-catalog validate --catalog ${catalog} and kelviq-catalog plan --catalog ${catalog}.\n`);
  return success;
}
