/**
 * Hard limits that keep the loader safe on hostile or accidental input (a catalog folder is often a checkout of
 * someone else's branch): every limit exceeded is a diagnostic, never a throw or a hang.
 */
export interface LoadLimits {
  /** Largest single file read (bytes). */
  maxFileBytes: number;
  /** Largest catalog, all files together (bytes). */
  maxTotalBytes: number;
  /** Most files in a catalog folder. */
  maxFiles: number;
  /** Deepest nesting of mappings and lists, counting what aliases expand to. */
  maxDepth: number;
  /** Most alias uses in one file (the yaml library's `maxAliasCount` idea). */
  maxAliasCount: number;
  /** Most nodes one file may expand to once aliases are followed: stops "billion laughs" alias bombs. */
  maxExpandedNodes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: LoadLimits = {
  maxFileBytes: 5 * MiB,
  maxTotalBytes: 64 * MiB,
  maxFiles: 5_000,
  maxDepth: 64,
  maxAliasCount: 10_000,
  maxExpandedNodes: 2_000_000,
};

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
