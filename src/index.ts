/**
 * kelviq-catalog as a library: the same engine the CLI drives.
 *
 *   import { loadCatalog, plan, apply, createClient, resolveTarget } from 'kelviq-catalog';
 *   const { catalog } = await loadCatalog('./catalog');
 *   const client = createClient(resolveTarget());
 *   const computed = await plan({ client, catalog, environment: 'sandbox' });
 *   await apply(computed.plan, { client, live: computed.live });
 */
export { loadCatalog, catalogJsonSchema, formatDiagnostics } from './schema/index.js';
export { formatCatalogFiles, formatCatalogText, catalogToFiles, writeCatalogFiles, CatalogTargetError, initCatalog } from './schema/index.js';
export { pullCatalog, type PullOptions, type PullResult } from './pull/index.js';
export type * from './schema/model.js';
export { computePlan as plan, executePlan as apply } from './apply/index.js';
export * from './apply/index.js';
export * from './diff/index.js';
export * from './drift/index.js';
export {
  KelviqClient,
  RequestCounter,
  createClient,
  resolveTarget,
  ConfigError,
  KelviqApiError,
  KelviqRequestError,
  NetworkError,
  ResponseShapeError,
  UnknownOutcomeError,
  type Target,
  type EnvironmentName,
  type RequestEvent,
} from './client/index.js';
