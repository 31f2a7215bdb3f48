/**
 * kelviq-catalog as a user gets it: `npm pack` (which builds through `prepare`), then the tarball installed
 * into a new temporary project with `npm install --omit=dev`, dependencies from the npm registry. Shared by the
 * install test (`npm run test:install`) and the start-up benchmark (`npm run bench:startup`).
 */
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ROOT = resolve(import.meta.dirname, '../..');

export interface PackedInstall {
  /** The temporary project. */
  project: string;
  /** `node_modules/.bin/kelviq-catalog` of the project (what `npx kelviq-catalog` runs there). */
  bin: string;
  /** The project's `node_modules` on disk, in bytes, as `du` counts it (whole file-system blocks). */
  installBytes: number;
  /** The same by file sizes, as `du --apparent-size` counts it. */
  apparentBytes: number;
  /** Installed packages that declare an install-time script (`preinstall`, `install`, `postinstall`, or a `binding.gyp`). */
  installScripts: string[];
  /** The packages installed, by folder name under `node_modules`. */
  packages: string[];
  remove(): Promise<void>;
}

export async function packAndInstall(): Promise<PackedInstall> {
  const project = await mkdtemp(join(tmpdir(), 'kelviq-install-'));
  try {
    const packed = await run(npm, ['pack', '--json', '--pack-destination', project], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'kelviq-install-test', private: true, version: '0.0.0' }, null, 2)}\n`);
    await run(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', '--foreground-scripts', join(project, filename)], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    const modules = join(project, 'node_modules');
    const packages = await packageFolders(modules);
    const installScripts: string[] = [];
    for (const name of packages) {
      const folder = join(modules, name);
      const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      const scripts = Object.keys(manifest.scripts ?? {}).filter((script) => ['preinstall', 'install', 'postinstall'].includes(script));
      // npm runs `node-gyp rebuild` for a package with a binding.gyp and no install script of its own.
      if (await exists(join(folder, 'binding.gyp'))) scripts.push('binding.gyp');
      if (scripts.length) installScripts.push(`${name} (${scripts.join(', ')})`);
    }
    return {
      project,
      bin: join(modules, '.bin', process.platform === 'win32' ? 'kelviq-catalog.cmd' : 'kelviq-catalog'),
      ...(await sizes(modules)),
      installScripts,
      packages,
      remove: () => rm(project, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(project, { recursive: true, force: true });
    throw error;
  }
}

/** Every package folder under node_modules, scoped and nested ones included. */
async function packageFolders(modules: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const folder = join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...(await packageFolders(folder, `${prefix}${entry.name}/`)));
      continue;
    }
    found.push(`${prefix}${entry.name}`);
    if (await exists(join(folder, 'node_modules'))) found.push(...(await packageFolders(join(folder, 'node_modules'), `${prefix}${entry.name}/node_modules/`)));
  }
  return found;
}

async function sizes(path: string): Promise<{ installBytes: number; apparentBytes: number }> {
  const stats = await lstat(path);
  const total = { installBytes: stats.blocks * 512, apparentBytes: stats.size };
  if (!stats.isDirectory()) return total;
  for (const entry of await readdir(path)) {
    const inner = await sizes(join(path, entry));
    total.installBytes += inner.installBytes;
    total.apparentBytes += inner.apparentBytes;
  }
  return total;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
