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
  /**
   * Most YAML tokens (keys, values, brackets, commas; not spaces or comments) in one file, counted before
   * parsing: parsing costs time and memory per token, and flow style fits many more tokens into the size limit.
   */
  maxNodes: number;
  /** Most YAML tokens in the whole catalog: the parsed files stay in memory until every rule has run. */
  maxTotalNodes: number;
  /** Most entries in one flow collection (`[a, b, …]`, `{a: 1, …}`): long data belongs in block style. */
  maxFlowItems: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: LoadLimits = {
  maxFileBytes: 5 * MiB,
  maxTotalBytes: 64 * MiB,
  maxFiles: 5_000,
  maxDepth: 64,
  maxAliasCount: 10_000,
  maxExpandedNodes: 2_000_000,
  // A realistic catalog of 2,000 plans holds about 400,000 tokens over 20 files; these bounds keep a run within
  // seconds and a few hundred MB whatever the input (a 5 MiB flow list holds 3,600,000).
  maxNodes: 250_000,
  maxTotalNodes: 1_000_000,
  maxFlowItems: 10_000,
};

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
