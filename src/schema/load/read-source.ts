/**
 * Reading one catalog file as text: the per-file size limit before reading, the catalog-wide budget, then
 * refusing what is not UTF-8 text (binary files, UTF-16, invalid byte sequences) with the position of the first
 * offending byte.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from '../model.js';
import { error } from '../diagnostics.js';
import { formatBytes, type LoadLimits } from './limits.js';

export interface ReadBudget {
  /** Bytes still allowed for the whole catalog. */
  remainingBytes: number;
}

export type ReadOutcome = { text: string; diagnostics: [] } | { text?: undefined; diagnostics: Diagnostic[] };

const fail = (diagnostic: Diagnostic): ReadOutcome => ({ diagnostics: [diagnostic] });

/** 1-based line and UTF-16 column (as the YAML positions are) of a byte offset in valid UTF-8 before it. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

/**
 * Offset of the first byte of the first invalid UTF-8 sequence. A streaming fatal decoder accepts every prefix of
 * valid text (a multi-byte character cut at the end is held back, not refused), so a binary search finds the
 * longest accepted prefix; the bytes it decoded end where the bad sequence starts. Only run once decoding failed.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const decodesAsPrefix = (length: number) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
    } catch {
      return undefined;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodesAsPrefix(middle) === undefined) high = middle - 1;
    else low = middle;
  }
  return Buffer.byteLength(decodesAsPrefix(low) ?? '', 'utf8');
}

export type FileBytes = { bytes: Uint8Array; diagnostic?: undefined } | { bytes?: undefined; diagnostic: Diagnostic };

const tooLarge = (path: string, bytes: number, limits: LoadLimits) =>
  error('file-too-large', `file is ${formatBytes(bytes)}; a catalog file may be at most ${formatBytes(limits.maxFileBytes)}`, { file: path });

/** Reads a file's bytes unless it is over the per-file limit. Independent of other files, so it can run ahead. */
export async function readFileBytes(path: string, limits: LoadLimits): Promise<FileBytes> {
  const unreadable = (cause: unknown) =>
    error('file-unreadable', `cannot read file: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { file: path });
  try {
    const size = (await stat(path)).size;
    if (size > limits.maxFileBytes) return { diagnostic: tooLarge(path, size, limits) };
    const bytes = await readFile(path);
    if (bytes.length > limits.maxFileBytes) return { diagnostic: tooLarge(path, bytes.length, limits) }; // grew since stat
    return { bytes };
  } catch (cause) {
    return { diagnostic: unreadable(cause) };
  }
}

/** Charges the catalog-wide budget (in file order, so the outcome is deterministic) and decodes UTF-8 text. */
export function decodeSource(path: string, read: FileBytes, limits: LoadLimits, budget: ReadBudget): ReadOutcome {
  if (read.diagnostic) return fail(read.diagnostic);
  const { bytes } = read;
  if (bytes.length > budget.remainingBytes) {
    budget.remainingBytes = 0;
    return fail(error('catalog-too-large', `catalog exceeds ${formatBytes(limits.maxTotalBytes)} in total; this file and the rest were not read`, { file: path }));
  }
  budget.remainingBytes -= bytes.length;

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail(error('file-encoding', 'file is UTF-16 encoded; save it as UTF-8', { file: path, line: 1, column: 1 }));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail(error('file-binary', 'binary file (contains a NUL byte); a catalog file is YAML text', { file: path, ...positionOfByte(bytes, nul) }));
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), diagnostics: [] };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const byte = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0');
    return fail(error('file-encoding', `file is not valid UTF-8 (byte 0x${byte}); save it as UTF-8`, { file: path, ...positionOfByte(bytes, offset) }));
  }
}
