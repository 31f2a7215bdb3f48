/** Drift detection: how the live Kelviq catalog departs from the catalog files, and its renderings. */
export {
  detectDrift,
  computeDrift,
  DRIFT_CATEGORIES,
  type DetectDriftOptions,
  type DraftDrift,
  type DriftCategory,
  type DriftItem,
  type DriftOptions,
  type DriftReport,
  type DriftResourceKind,
  type DriftSummary,
} from './drift.js';
export {
  renderDriftText,
  renderDriftMarkdown,
  driftJsonDocument,
  driftSummaryLine,
  DRIFT_FORMAT_VERSION,
  type DriftRenderContext,
  type DriftJsonDocument,
  type DriftJsonItem,
  type DriftJsonChange,
} from './render.js';
