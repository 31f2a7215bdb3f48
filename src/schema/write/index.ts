/**
 * The catalog writer: the canonical model → catalog files in the project's format (`pull`, `init`), the
 * canonical key order `fmt` also uses, and atomic writing of a whole catalog folder.
 */
export { catalogToFiles, entitlementShorthand, FEATURES_FILE, productFile, type CatalogFileText, type CatalogToYamlOptions } from './catalog-to-yaml.js';
export { writeCatalogFiles, checkCatalogTarget, CatalogTargetError, type WriteCatalogOptions } from './write-directory.js';
export { CATALOG_FILE_LAYOUT, keyRank, type Layout } from './layout.js';
export { PACKAGE_SCHEMA_PATH, schemaModeline, schemaReference, YAML_DOCUMENT_OPTIONS, YAML_OUTPUT_OPTIONS } from './yaml-output.js';
export { initCatalog, starterCatalogFiles, type InitResult } from './starter.js';
