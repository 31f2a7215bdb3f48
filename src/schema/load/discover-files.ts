/**
 * Which files make up a catalog: the path itself when it is a `.yaml`/`.yml` file, or every such file under a
 * folder, nested folders included, in a deterministic order (entries sorted by name, folders walked in place),
 * so a catalog merges the same way on every machine.
 *
 * Hidden entries (`.git`, `.vscode`, …) are skipped. A symlink is followed only while its target stays inside
 * the catalog folder: a link to `~/.ssh` or `/etc` in a checked-out branch must not be read.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, isAbsolute, sep } from 'node:path';
import type { Diagnostic } from '../model.js';
import { error } from '../diagnostics.js';
import type { LoadLimits } from './limits.js';

export interface CatalogFileRef {
  /** As shown in diagnostics: the loader's path joined with the path inside the folder. */
  path: string;
}

export interface DiscoveredFiles {
  files: CatalogFileRef[];
  diagnostics: Diagnostic[];
  /** Some catalog file could not be listed at all; references into it cannot be checked. */
  incomplete: boolean;
}

export const isCatalogFileName = (name: string) => /\.ya?ml$/i.test(name);

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export async function discoverCatalogFiles(root: string, limits: LoadLimits): Promise<DiscoveredFiles> {
  const result: DiscoveredFiles = { files: [], diagnostics: [], incomplete: false };
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch {
    result.diagnostics.push(error('catalog-not-found', `catalog not found: no file or folder at "${root}"`, { file: root }));
    return result;
  }
  if (rootStat.isFile()) {
    if (!isCatalogFileName(root)) {
      result.diagnostics.push(error('unsupported-file', 'a catalog file must have the extension .yaml or .yml', { file: root }));
    } else {
      result.files.push({ path: root });
    }
    return result;
  }
  if (!rootStat.isDirectory()) {
    result.diagnostics.push(error('unsupported-file', 'a catalog is a .yaml/.yml file or a folder of them', { file: root }));
    return result;
  }

  const rootReal = await realpath(root);
  const visited = new Set<string>([rootReal]);

  const walk = async (folder: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(folder)).sort(byName);
    } catch (cause) {
      result.incomplete = true;
      result.diagnostics.push(error('file-unreadable', `cannot list folder: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { file: folder }));
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (result.files.length >= limits.maxFiles) {
        result.incomplete = true;
        result.diagnostics.push(error('catalog-too-large', `catalog has more than ${limits.maxFiles} files; the rest were not read`, { file: root }));
        return;
      }
      const path = join(folder, name);
      let entry;
      try {
        entry = await lstat(path);
      } catch {
        continue; // vanished while listing
      }
      if (entry.isSymbolicLink()) {
        await followLink(path, name);
      } else if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile() && isCatalogFileName(name)) {
        result.files.push({ path });
      }
    }
  };

  const followLink = async (path: string, name: string): Promise<void> => {
    let target: string;
    let targetStat;
    try {
      target = await realpath(path);
      targetStat = await stat(target);
    } catch {
      if (isCatalogFileName(name)) {
        result.incomplete = true;
        result.diagnostics.push(error('file-unreadable', 'broken symlink: its target does not exist', { file: path }));
      }
      return;
    }
    const relevant = targetStat.isDirectory() || (targetStat.isFile() && isCatalogFileName(name));
    if (!relevant) return;
    if (!isInside(rootReal, target)) {
      result.incomplete = true;
      result.diagnostics.push(
        error('symlink-outside-catalog', `symlink points outside the catalog folder (to "${target}"); it was not read`, { file: path }),
      );
      return;
    }
    if (targetStat.isDirectory()) {
      if (visited.has(target)) return; // a link back up the tree: already walked
      visited.add(target);
      await walk(path);
    } else {
      result.files.push({ path });
    }
  };

  await walk(root);
  if (!result.files.length && !result.diagnostics.length) {
    result.diagnostics.push(error('catalog-empty', `no .yaml or .yml files in "${root}"`, { file: root }));
  }
  return result;
}
