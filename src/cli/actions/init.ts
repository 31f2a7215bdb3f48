import { initCatalog } from '../../schema/write/index.js';
import type { Output } from '../io.js';
import { forTerminal } from '../../output/escape.js';
import { success, type Outcome } from '../outcome.js';
import { shellWord } from '../options.js';

export interface InitFlags {
  catalog: string;
}

export async function runInit(flags: InitFlags, output: Output): Promise<Outcome> {
  const result = await initCatalog(flags.catalog);
  const catalog = forTerminal(flags.catalog);
  output.out(`Wrote a starter catalog to ${catalog}: ${result.files.join(', ')}.\n`);
  // Commands to paste: the path as one shell word.
  const word = forTerminal(shellWord(flags.catalog));
  output.out(`Next: edit it, then kelviq-catalog validate --catalog ${word} and kelviq-catalog plan --catalog ${word}.\n`);
  return success;
}
