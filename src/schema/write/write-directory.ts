/**
 * Writing a whole catalog folder (`pull`, `init`) so that a failure at any point leaves what was there before
 * untouched: every file is written into a temporary folder beside the target, checked, and only then moved into
 * place with a rename. Without `force` the target must be absent or empty; with `force` a folder that holds only
 * catalog files (`.yaml`/`.yml`, in folders of them) is replaced as a whole — never a folder holding anything
 * else (a README, `.git`), which `force` would otherwise delete.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isCatalogFileName } from '../load/discover-files.js';
import type { CatalogFileText } from './catalog-to-yaml.js';

export class CatalogTargetError extends Error {
  constructor(
    message: string,
    /** What the target already holds (relative paths; folders end with `/`), at most a few. */
    readonly entries: string[],
  ) {
    super(message);
    this.name = 'CatalogTargetError';
  }
}

export interface WriteCatalogOptions {
  /** Replace a folder that already holds a catalog. */
  force?: boolean;
  /**
   * What to do instead, for refusals: `force` how to replace the target (left out when replacing is not offered),
   * `elsewhere` how to write somewhere else. E.g. `{ force: 'pass --force', elsewhere: 'choose another --out' }`.
   */
  hint?: { force?: string; elsewhere: string };
  /** Runs on the complete temporary folder before it is moved into place; a throw leaves everything as it was. */
  beforeSwap?: (temporaryDirectory: string) => Promise<void>;
  /** Checked before each file and just before the swap: once aborted, the temporary folder is removed and nothing is moved. */
  signal?: AbortSignal;
}

interface TargetState {
  /** The path to operate on: a symlinked folder is written where it points. */
  path: string;
  exists: boolean;
  isDirectory: boolean;
  entries: string[];
  /** Entries that are not catalog files (hidden entries, other extensions, other kinds of file). */
  foreign: string[];
}

const SHOWN = 5;
const list = (entries: string[]) => entries.slice(0, SHOWN).join(', ') + (entries.length > SHOWN ? `, … (${entries.length} entries)` : '');

async function inspectTarget(directory: string): Promise<TargetState> {
  let path = resolve(directory);
  try {
    path = await realpath(path);
  } catch {
    return { path, exists: false, isDirectory: false, entries: [], foreign: [] };
  }
  if (!(await lstat(path)).isDirectory()) return { path, exists: true, isDirectory: false, entries: [], foreign: [] };
  const entries: string[] = [];
  const foreign: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const entry = await lstat(join(folder, name));
      const shown = `${prefix}${name}${entry.isDirectory() ? '/' : ''}`;
      if (!prefix) entries.push(shown);
      if (name.startsWith('.') || entry.isSymbolicLink()) foreign.push(shown);
      else if (entry.isDirectory()) await walk(join(folder, name), shown);
      else if (!entry.isFile() || !isCatalogFileName(name)) foreign.push(shown);
    }
  };
  await walk(path, '');
  return { path, exists: true, isDirectory: true, entries, foreign };
}

function refusal(directory: string, state: TargetState, options: WriteCatalogOptions): CatalogTargetError | undefined {
  const hint = options.hint ?? { force: 'write with force: true', elsewhere: 'choose another folder' };
  if (state.exists && !state.isDirectory) {
    return new CatalogTargetError(`"${directory}" exists and is not a folder; nothing was written. ${capitalize(hint.elsewhere)}.`, []);
  }
  if (state.exists && holdsWorkingDirectory(state.path)) {
    // The folder is replaced by a rename: this process (and the shell that started it) would be left in a
    // deleted folder, and everything else in it would be judged by the catalog-files rule alone.
    return new CatalogTargetError(
      `"${directory}" is the current folder or one of its parents; nothing was written. Write the catalog into a folder of its own (e.g. ./catalog).`,
      [],
    );
  }
  if (!state.entries.length) return undefined;
  if (!options.force) {
    const instead = hint.force ? `To replace it, ${hint.force}; or ${hint.elsewhere}.` : `${capitalize(hint.elsewhere)}.`;
    return new CatalogTargetError(`"${directory}" is not empty (it holds ${list(state.entries)}); nothing was written. ${instead}`, state.entries);
  }
  if (state.foreign.length) {
    return new CatalogTargetError(
      `"${directory}" holds more than catalog files (${list(state.foreign)}), which replacing it would delete; nothing was written. Move them away, or ${hint.elsewhere}.`,
      state.foreign,
    );
  }
  return undefined;
}

/** Throws CatalogTargetError when `writeCatalogFiles` would refuse the target: call it before expensive work. */
export async function checkCatalogTarget(directory: string, options: WriteCatalogOptions = {}): Promise<void> {
  const problem = refusal(directory, await inspectTarget(directory), options);
  if (problem) throw problem;
}

export async function writeCatalogFiles(directory: string, files: CatalogFileText[], options: WriteCatalogOptions = {}): Promise<void> {
  await checkCatalogTarget(directory, options);
  options.signal?.throwIfAborted();
  const target = (await inspectTarget(directory)).path;
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = join(parent, `.${basename(target)}.tmp-${suffix}`);
  await mkdir(temporary);
  try {
    for (const file of files) {
      options.signal?.throwIfAborted();
      const path = join(temporary, ...file.path.split('/'));
      if (!path.startsWith(temporary + '/') && !path.startsWith(temporary + '\\')) throw new Error(`refusing to write "${file.path}" outside the catalog folder`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text, { flag: 'wx' });
    }
    await options.beforeSwap?.(temporary);
    // The last moment to stop: from here on the folder is swapped into place, which is not interrupted halfway.
    options.signal?.throwIfAborted();

    // Looked at again just before the swap: something may have appeared meanwhile.
    const state = await inspectTarget(directory);
    const problem = refusal(directory, state, options);
    if (problem) throw problem;
    if (!state.exists || !state.entries.length) {
      if (state.exists) await rmdir(state.path); // empty: rmdir refuses if anything appeared meanwhile
      await rename(temporary, state.path);
      return;
    }
    const previous = join(parent, `.${basename(target)}.old-${suffix}`);
    await rename(state.path, previous);
    try {
      await rename(temporary, state.path);
    } catch (error) {
      await rename(previous, state.path);
      throw error;
    }
    await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

function holdsWorkingDirectory(path: string): boolean {
  let cwd: string;
  try {
    cwd = realpathSync(process.cwd());
  } catch {
    return false;
  }
  return cwd === path || cwd.startsWith(path.endsWith(sep) ? path : path + sep);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
