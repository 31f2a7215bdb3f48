// The CLI from source, for tests that need it as a real child process (signals, concurrent runs):
// `node --import tsx test/helpers/cli-entry.ts <args>` behaves like `kelviq-catalog <args>` without a build.
import { main } from '../../src/cli/main.js';

await main();
