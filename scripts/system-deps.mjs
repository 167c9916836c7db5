#!/usr/bin/env node
// Ensures Debian system packages needed by builds and tests are installed.
//
//   import { ensureSystemDeps } from './system-deps.mjs';
//   ensureSystemDeps(['mingw', 'wine']);
//
//   node scripts/system-deps.mjs cc mingw wine nsis chromium
//
// Each dependency is checked first. Missing ones are installed with apt-get when
// running as root (`apt-get update` once per process, then
// `apt-get install -y --no-install-recommends <pkgs>`; apt's output is streamed
// to stderr so stdout stays clean for callers). When not root, an Error is
// thrown whose message is the exact command to run. Nothing is ever skipped
// silently: after installing, every check is repeated and a still-missing
// dependency throws.
//
// This function is synchronous (it blocks while apt runs); awaiting it is harmless.
//
// Notes (Debian 12):
// - `wine`: the `wine64` package alone (which pulls in `libwine`) is enough for
//   a 64-bit-only prefix: `wine64 winecfg -v win10`, `wine64 reg`, node.exe,
//   koffi and mingw DLLs all work with --no-install-recommends. The `wine`
//   package only adds the /usr/bin/wine wrapper scripts and `wine32` (i386,
//   needs multiarch) is not needed. wine64 lives in /usr/lib/wine, not on PATH.
// - `cc`: gcc only *recommends* libc6-dev, without which nothing links, so
//   libc6-dev is installed (and checked) explicitly.
// - `chromium`: fonts-dejavu-core is listed explicitly so text renders.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Looks a command up on PATH; returns its absolute path or null. */
export function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const exists = (p) => fs.existsSync(p);

/** Path of the wine64 loader, or null. */
export function findWine64() {
  if (isExecutable('/usr/lib/wine/wine64')) return '/usr/lib/wine/wine64';
  return which('wine64');
}

/**
 * Known dependencies. `check()` returns a list of what is missing (empty when
 * satisfied); `packages` are the Debian packages that provide them.
 */
export const DEPS = {
  cc: {
    packages: ['gcc', 'libc6-dev'],
    check: () => [...(which('gcc') ? [] : ['gcc']), ...(exists('/usr/include/stdio.h') ? [] : ['/usr/include/stdio.h'])],
  },
  mingw: {
    // g++ too: the stand-in MpClient.dll throws and catches C++ exceptions, as the real one does.
    packages: ['gcc-mingw-w64-x86-64', 'g++-mingw-w64-x86-64'],
    check: () => [
      ...(which('x86_64-w64-mingw32-gcc') ? [] : ['x86_64-w64-mingw32-gcc']),
      ...(which('x86_64-w64-mingw32-g++') ? [] : ['x86_64-w64-mingw32-g++']),
      ...(exists('/usr/x86_64-w64-mingw32/include/windows.h') ? [] : ['/usr/x86_64-w64-mingw32/include/windows.h']),
    ],
  },
  wine: {
    packages: ['wine64'],
    check: () => (findWine64() ? [] : ['wine64']),
  },
  // makensis, to compile the installer's include script (assets/installer.nsh) into a probe run under Wine.
  nsis: {
    packages: ['nsis'],
    check: () => [
      ...(which('makensis') ? [] : ['makensis']),
      ...(exists('/usr/share/nsis/Include/LogicLib.nsh') ? [] : ['/usr/share/nsis/Include/LogicLib.nsh']),
    ],
  },
  chromium: {
    packages: ['chromium', 'fonts-dejavu-core'],
    check: () => [
      ...(isExecutable('/usr/bin/chromium') ? [] : ['/usr/bin/chromium']),
      ...(exists('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') ? [] : ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf']),
    ],
  },
};

let aptUpdated = false;

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd, args) {
  console.error(`[system-deps] $ ${[cmd, ...args].join(' ')}`);
  // stdout of apt goes to our stderr: streams live, keeps our stdout clean.
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 2, 2],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
  }
}

/**
 * Ensures the named dependencies ('cc', 'mingw', 'wine', 'chromium') are present.
 * Returns { installed: string[] } (Debian packages installed by this call).
 * Throws if not root and something is missing (message = command to run), or
 * if something is still missing after installing.
 */
export function ensureSystemDeps(names) {
  const list = Array.isArray(names) ? names : [names];
  const unknown = list.filter((n) => !Object.hasOwn(DEPS, n));
  if (unknown.length) {
    throw new Error(`Unknown system dependency: ${unknown.join(', ')} (known: ${Object.keys(DEPS).join(', ')})`);
  }
  const missing = list.filter((n) => DEPS[n].check().length > 0);
  if (missing.length === 0) return { installed: [] };

  const pkgs = [...new Set(missing.flatMap((n) => DEPS[n].packages))];
  const detail = missing.map((n) => `${n} (missing ${DEPS[n].check().join(', ')})`).join('; ');

  if (!isRoot()) {
    throw new Error(`sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`);
  }
  console.error(`[system-deps] missing: ${detail}; installing ${pkgs.join(' ')}`);
  // Wait for the dpkg lock instead of failing if another apt is running.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  if (!aptUpdated) {
    run('apt-get', [...lock, 'update']);
    aptUpdated = true;
  }
  run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...pkgs]);

  const still = list.filter((n) => DEPS[n].check().length > 0);
  if (still.length) {
    throw new Error(`Still missing after apt-get install: ${still.map((n) => `${n} (${DEPS[n].check().join(', ')})`).join('; ')}`);
  }
  return { installed: pkgs };
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0) {
    console.error(`usage: node scripts/system-deps.mjs <${Object.keys(DEPS).join('|')}>...`);
    process.exit(2);
  }
  try {
    const { installed } = ensureSystemDeps(names);
    console.log(installed.length ? `system deps ok (installed: ${installed.join(' ')})` : `system deps ok: ${names.join(' ')}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
