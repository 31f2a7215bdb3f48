/**
 * Start-up benchmark (not a timed test): packs and installs kelviq-catalog as a user would (production
 * dependencies only, from the npm registry), then times the installed CLI against Node's own start-up.
 *
 *   node --import tsx bench/startup.ts          (npm run bench:startup)
 *
 * Prints, as medians over RUNS runs each, `--version`, `--help` and `validate` of the example catalog as ratios
 * to `node -e 0` (targets: 2x, 2x and 4x), and the production install's size (target: 16 MB on disk).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { packAndInstall } from '../test/helpers/packed-install.js';

const RUNS = Number(process.env.RUNS ?? 15);
const EXAMPLES = resolve(import.meta.dirname, '../examples/catalog');
const INSTALL_TARGET_MB = 16;

const installed = await packAndInstall();
try {
  const bin = join(installed.project, 'node_modules', 'kelviq-catalog', 'bin', 'kelviq-catalog.js');
  const cases: Array<{ name: string; args: string[]; target?: number }> = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: '--version', args: [bin, '--version'], target: 2 },
    { name: '--help', args: [bin, '--help'], target: 2 },
    { name: 'validate (examples)', args: [bin, 'validate', '--catalog', EXAMPLES], target: 4 },
  ];
  const times = new Map(cases.map((entry) => [entry.name, [] as number[]]));
  // Interleaved, after a warm-up of each, so a busy moment on a shared machine hits every case alike.
  for (let run = -2; run < RUNS; run++) {
    for (const entry of cases) {
      const started = performance.now();
      const result = spawnSync(process.execPath, entry.args, { cwd: installed.project, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`${entry.name} exited ${result.status}`);
      if (run >= 0) times.get(entry.name)!.push(elapsed);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const base = median(times.get('node -e 0')!);
  console.log(`start-up, median of ${RUNS} runs (installed package, production dependencies only)`);
  for (const entry of cases) {
    const ms = median(times.get(entry.name)!);
    const ratio = ms / base;
    const verdict = entry.target === undefined ? '' : `  ${ratio.toFixed(2)}x node (target ${entry.target}x${ratio <= entry.target ? '' : ', OVER'})`;
    console.log(`  ${entry.name.padEnd(20)} ${ms.toFixed(0).padStart(5)} ms${verdict}`);
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const over = installed.installBytes / 1e6 > INSTALL_TARGET_MB ? ', OVER' : '';
  console.log(
    `production install: ${mb(installed.installBytes)} MB on disk (target ${INSTALL_TARGET_MB} MB${over}), ${mb(installed.apparentBytes)} MB of files; ` +
      `${installed.packages.length} packages; install scripts: ${installed.installScripts.length ? installed.installScripts.join(', ') : 'none'}`,
  );
} finally {
  await installed.remove();
}
