/**
 * A stateful emulator of the Kelviq catalog API (`/api/v1/catalog/...`), faithful to the official OpenAPI spec
 * and to the plan draft/publish rules, served over real HTTP on loopback. Used by the tests, the demo, the
 * benchmarks and `kelviq-catalog emulator`.
 *
 *   const emulator = await startEmulator({ port: 0, seedFile: 'seed.json', latencyMs: 20 });
 *   // base URL: emulator.url (includes /api/v1); key: EMULATOR_DEFAULT_KEY
 *   await emulator.close();
 */
export { startEmulator, type RunningEmulator } from './server/start.js';
export {
  EMULATOR_DEFAULT_KEY,
  FAULT_KINDS,
  type EmulatorConfig,
  type EmulatorModes,
  type EmulatorOptions,
  type FaultKind,
  type FaultStatus,
  type RandomFaults,
  type RuntimeSettings,
  type TargetedFault,
} from './server/options.js';
export { RequestLog, type RequestLogEntry } from './server/request-log.js';
export { CONTROL_PREFIX } from './server/control.js';
export { createApiHandler, type ApiHandler, type HandlerOptions } from './api/handlers.js';
export { API_BASE_PATH, ROUTES, matchRoute, matchTemplate } from './api/routes.js';
export { MAX_PAGE_SIZE } from './api/pagination.js';
export { CatalogStore } from './model/store.js';
export { SERVER_VALUES_MODES, type ServerValuesMode } from './model/server-values.js';
export { EXTRA_FIELDS } from './api/extra-fields.js';
export type * from './model/records.js';
export { SeedDocument, SeedError, parseSeed, type SeedDocumentInput } from './seed/schema.js';
export { exportSeed, loadSeedInto, readSeedFile } from './seed/load.js';
