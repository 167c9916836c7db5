// `npm run dist`: the Windows packages (NSIS installer and portable .exe, x64 and arm64) into dist/.
//
// Needs the internet: electron-builder downloads Electron for win32-x64 and win32-arm64, NSIS and (off Windows) Wine
// tools for the exe resources, and this script fetches koffi's Windows native packages. npm installs only the
// @koromix/koffi-<platform>-<arch> package of the machine it runs on, so the ones for both Windows architectures are
// fetched here with `npm pack` at koffi's exact version and unpacked into node_modules/@koromix/, where `npm ls` (and
// so electron-builder's dependency collector) sees them as koffi's optional dependencies. electron-builder.yml keeps
// only the package of the architecture being packaged.
//
//   node scripts/dist.mjs                 build, then package both architectures
//   node scripts/dist.mjs --fetch-only    only make sure the koffi packages are there
//   node scripts/dist.mjs -- <args>       extra electron-builder arguments (e.g. -- --dir)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WINDOWS_ARCHS = ['x64', 'arm64'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  return result;
}

export function koffiVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
}

/** Makes sure node_modules/@koromix/koffi-win32-<arch> holds koffi's exact version for every Windows architecture. */
export function ensureKoffiWindowsPackages() {
  const version = koffiVersion();
  for (const arch of WINDOWS_ARCHS) {
    const name = `@koromix/koffi-win32-${arch}`;
    const dir = join(root, 'node_modules', '@koromix', `koffi-win32-${arch}`);
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version) continue;
    const tmp = mkdtempSync(join(tmpdir(), 'du-koffi-'));
    try {
      const packed = run(npm, ['pack', `${name}@${version}`, '--json', '--pack-destination', tmp], { stdio: ['ignore', 'pipe', 'inherit'] });
      const [{ filename }] = JSON.parse(packed.stdout.toString());
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      run('tar', ['-xzf', join(tmp, filename), '-C', dir, '--strip-components=1']);
      console.log(`dist: ${name}@${version} unpacked into node_modules/@koromix/`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  ensureKoffiWindowsPackages();
  if (!args.includes('--fetch-only')) {
    run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
    const extra = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
    run(join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder'), [
      '--win',
      ...WINDOWS_ARCHS.map((arch) => `--${arch}`),
      '--publish',
      'never',
      ...extra,
    ]);
  }
}
