/**
 * `fmt` over a catalog: the same files the loader reads (a file, or every .yaml/.yml in a folder, hidden entries
 * skipped, symlinks only inside the folder), each put in canonical key order and formatting.
 *
 * All or nothing at the level of the run: when any file cannot be read or has a YAML error, nothing is written.
 * Each write is atomic (a temporary file beside it, then a rename), so a crash never leaves half a file; the
 * file's permissions are kept, and a symlinked file is rewritten where it points.
 */
import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../model.js';
import { hasErrors, sortDiagnostics } from '../diagnostics.js';
import { discoverCatalogFiles } from '../load/discover-files.js';
import { DEFAULT_LIMITS, type LoadLimits } from '../load/limits.js';
import { decodeSource, readFileBytes } from '../load/read-source.js';
import { formatCatalogText } from './format-text.js';

export interface FormatFilesOptions {
  /** Write nothing; report which files would change. */
  check?: boolean;
  limits?: Partial<LoadLimits>;
}

export interface FormattedFile {
  /** As the loader names it: the catalog path joined with the path inside the folder. */
  path: string;
  /** Its text differs from the canonical formatting (with `check`: would change; without: was rewritten). */
  changed: boolean;
  /** Why fmt left this file as it is although its YAML is valid. */
  refused?: string;
}

export interface FormatFilesResult {
  files: FormattedFile[];
  /** Problems that stopped the run (unreadable files, YAML errors), and YAML warnings. */
  diagnostics: Diagnostic[];
  /** True when the run stopped before writing anything. */
  failed: boolean;
}

export async function formatCatalogFiles(path: string, options: FormatFilesOptions = {}): Promise<FormatFilesResult> {
  const limits: LoadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const discovered = await discoverCatalogFiles(path, limits);
  const diagnostics: Diagnostic[] = [...discovered.diagnostics];
  const budget = { remainingBytes: limits.maxTotalBytes };
  const pending: Array<{ path: string; text: string }> = [];
  const files: FormattedFile[] = [];

  for (const ref of discovered.files) {
    const bytes = await readFileBytes(ref.path, limits);
    const read = decodeSource(ref.path, bytes, limits, budget);
    if (read.text === undefined) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const formatted = formatCatalogText(ref.path, read.text, limits);
    diagnostics.push(...formatted.diagnostics);
    if (formatted.text === undefined) {
      if ('refused' in formatted && formatted.refused) files.push({ path: ref.path, changed: false, refused: formatted.refused });
      continue;
    }
    // Compared with the bytes as read: a byte-order mark or CRLF line ends count as a change too.
    const original = Buffer.from(bytes.bytes!).toString('utf8');
    const changed = formatted.text !== original;
    files.push({ path: ref.path, changed });
    if (changed) pending.push({ path: ref.path, text: formatted.text });
  }

  const sorted = sortDiagnostics(diagnostics, discovered.files.map((file) => file.path));
  if (hasErrors(sorted)) return { files, diagnostics: sorted, failed: true };
  if (!options.check) for (const file of pending) await writeAtomically(file.path, file.text);
  return { files, diagnostics: sorted, failed: false };
}

/** Temp file in the same folder (same file system), then rename over the original. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const target = await realpath(path);
  const { mode } = await stat(target);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: mode & 0o7777 });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
