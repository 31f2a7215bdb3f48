/** `fmt`: catalog files in canonical key order and formatting, comments kept. */
export { formatCatalogText, type FormatTextResult } from './format-text.js';
export { formatCatalogFiles, type FormatFilesOptions, type FormatFilesResult, type FormattedFile } from './format-files.js';
