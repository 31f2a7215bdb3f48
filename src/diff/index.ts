/** Live snapshot, normalisation and comparison: everything needed to say what differs, nothing that acts. */
export { fetchLiveState, fingerprintLiveState, scopeOf, planStatus, FULL_SCOPE } from './live-state.js';
export type { LiveState, LivePlan, LivePlanVersion, LiveScope, PlanStatus, SubscriptionCounts, FetchOptions } from './live-state.js';
export { diffCatalog, lookupsOf } from './diff-catalog.js';
export { liveStateToCatalog } from './live-catalog.js';
export { DOCUMENTED_DEFAULTS, type DocumentedDefault } from './server-defaults.js';
export type { LiveCatalog, LiveCatalogNote, LiveCatalogOptions } from './live-catalog.js';
export type { CatalogDiff, ProductDiff, FeatureDiff, PlanDiff, DiffProblem, RemoteOnly } from './diff-catalog.js';
export { compareDocuments, type FieldChange } from './compare.js';
export {
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  isManaged,
  liveProductToModel,
  liveFeatureToModel,
  livePlanToModel,
  priceKey,
} from './normalize.js';
