/** `pull`: the live Kelviq catalog written as catalog files (see pull-catalog.ts for the guarantees). */
export { pullCatalog, type PullOptions, type PullResult } from './pull-catalog.js';
