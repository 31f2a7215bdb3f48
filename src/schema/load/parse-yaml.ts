/**
 * YAML text → document, safely: the YAML 1.2 core schema only (no custom or language-specific tags, no
 * `!!binary`/`!!timestamp`/`!!set`…, no merge keys), string keys, one document per file (unique keys are checked
 * while converting, see to-value.ts). What the
 * yaml library reports as an error or a tag warning becomes an error diagnostic at its position.
 */
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Diagnostic } from '../model.js';
import { error, warning } from '../diagnostics.js';
import { locationAtOffset, type SourceFile } from './source-file.js';

const YAML_ERROR_CODES: Record<string, string> = {
  MULTIPLE_DOCS: 'yaml-multiple-documents',
  RESOURCE_EXHAUSTION: 'yaml-nesting-depth',
  NON_STRING_KEY: 'yaml-non-string-key',
  TAG_RESOLVE_FAILED: 'yaml-tag',
};

function messageOf(problem: YAMLError): string {
  switch (problem.code) {
    case 'MULTIPLE_DOCS':
      return 'a catalog file holds one YAML document; split documents separated by "---" into several files';
    case 'RESOURCE_EXHAUSTION':
      return 'nesting too deep to parse';
    case 'NON_STRING_KEY':
      return 'mapping keys must be plain strings (not lists, mappings or aliases)';
    case 'TAG_RESOLVE_FAILED':
      return `${problem.message.replace(/^Unresolved tag: /, 'unsupported tag ')}; catalog files allow no custom tags`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'YAML syntax: a value contains ": " (or a mapping is nested on one line); put quotes around a value that contains ": "';
    default:
      return `YAML syntax: ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}`;
  }
}

export interface ParsedYaml {
  file: SourceFile;
  diagnostics: Diagnostic[];
}

export function parseYaml(path: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    version: '1.2',
    merge: false,
    resolveKnownTags: false,
    customTags: [],
    // Duplicate keys are found in documentToValue: the library's check is quadratic in the size of a mapping.
    uniqueKeys: false,
    stringKeys: true,
    strict: true,
    prettyErrors: false,
    // Not 'silent': the yaml library then also drops the error for a second document in the file.
    logLevel: 'error',
  });
  const file: SourceFile = { path, doc, lineCounter, aliasTargets: new Map() };
  const toDiagnostic = (problem: YAMLError, fallback: 'error' | 'warning'): Diagnostic => {
    const code = YAML_ERROR_CODES[problem.code];
    const at = locationAtOffset(file, problem.pos[0]);
    if (code) return error(code, messageOf(problem), at);
    return fallback === 'error' ? error('yaml-syntax', messageOf(problem), at) : warning('yaml-warning', problem.message, at);
  };
  const diagnostics = [
    ...doc.errors.map((problem) => toDiagnostic(problem, 'error')),
    ...doc.warnings.map((problem) => toDiagnostic(problem, 'warning')),
  ];
  return { file, diagnostics };
}
