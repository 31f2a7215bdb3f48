/**
 * A catalog loader worker that fails in the way its job's path names, for the failure paths of
 * loadCatalogInWorker (test/schema/load-in-worker.test.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { announceStart, serveLoad, type LoadJob } from '../../../src/schema/load-in-worker.js';

const job = workerData as LoadJob;
const port = parentPort!;
switch (job.path) {
  case 'throw': // the loader throws: the real serveLoad posts the failure
    await serveLoad(port, job, async () => {
      throw Object.assign(new RangeError('the loader broke: 42 is not a plan'), { code: 'E_TEST_LOADER' });
    });
    break;
  case 'uncaught': // started, then an exception nobody catches
    announceStart(job);
    setTimeout(() => {
      throw new TypeError('uncaught in the worker: cannot read "plans" of undefined');
    }, 10);
    break;
  case 'throw-string': // started, then a thrown value that is not an Error
    announceStart(job);
    setTimeout(() => {
      throw 'a string thrown in the worker';
    }, 10);
    break;
  case 'exit': // started, then gone without a word
    announceStart(job);
    setTimeout(() => process.exit(3), 10);
    break;
  case 'out-of-memory': // started, then over its heap limit
    announceStart(job);
    setTimeout(() => {
      const hoard: number[][] = [];
      for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => i));
    }, 10);
    break;
  case 'unclonable': // a result that cannot be posted
    await serveLoad(port, job, async () => ({ result: { diagnostics: [], files: [], catalog: { plans: [() => 1] } } as never, firstDeclarations: new Map(), texts: new Map() }));
    break;
  default: // cannot even start
    throw new Error('this entry cannot start');
}
