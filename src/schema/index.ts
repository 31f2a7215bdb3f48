/**
 * The catalog format, its loader and validation: the public surface the CLI and the library use.
 * The canonical model the loader produces is in ./model.ts.
 */
export { loadCatalog, type LoadOptions } from './load-catalog.js';
export { loadCatalogInWorker } from './load-in-worker.js';
export { DEFAULT_LIMITS, type LoadLimits } from './load/limits.js';
export { catalogJsonSchema, catalogJsonSchemaText } from './json-schema.js';
export {
  formatDiagnostic,
  formatDiagnostics,
  diagnosticToJson,
  diagnosticsToJson,
  diagnosticToAnnotation,
  type DiagnosticJson,
  type FormatOptions,
} from './format-diagnostics.js';
export { catalogFileInput, CATALOG_SECTIONS } from './format/catalog-file.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';
export { formatCatalogFiles, formatCatalogText, type FormatFilesOptions, type FormatFilesResult, type FormattedFile } from './fmt/index.js';
export {
  catalogToFiles,
  writeCatalogFiles,
  checkCatalogTarget,
  CatalogTargetError,
  initCatalog,
  starterCatalogFiles,
  type CatalogFileText,
  type CatalogToYamlOptions,
  type WriteCatalogOptions,
  type InitResult,
} from './write/index.js';
export type * from './model.js';
