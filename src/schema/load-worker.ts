/** The catalog loader's worker thread (see load-in-worker.ts): loads the catalog it is given and posts it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { serveLoad, type LoadJob } from './load-in-worker.js';

await serveLoad(parentPort!, workerData as LoadJob);
// Nothing is left to run: the thread ends here, and its heap with it.
