#!/usr/bin/env node
// Builds the stand-in MpClient library (test/standin/) into .build/standin/:
//   Linux (cc):                      libmpclient-standin.so, layout-probe
//   Windows (x86_64-w64-mingw32-gcc): MpClient.dll, layout-probe.exe
//   --selftest:                      selftest (Linux) and selftest.exe (Windows)
//   and the stand-in MpCmdRun:       mpcmdrun-standin (Linux), MpCmdRun.exe (Windows)
//
// Usage: node scripts/build-standin.mjs [--linux] [--windows] [--selftest]
// (no target flag = both). A target whose output is newer than all its inputs
// (sources, header and this script) is skipped. A missing compiler is an error
// naming the Debian package to install; this script installs nothing.
//
// From other scripts: import { buildStandin } from './build-standin.mjs';
//   const out = buildStandin({ linux: true, windows: false });
//   out.linux.library, out.linux.layoutProbe, out.windows.dll, ...

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const scriptPath = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(scriptPath), '..');
const srcDir = path.join(root, 'test', 'standin');
const outDir = path.join(root, '.build', 'standin');

const src = (name) => path.join(srcDir, name);
const out = (name) => path.join(outDir, name);

const COMMON_FLAGS = ['-O2', '-Wall', '-Wextra', '-Werror'];

const TOOLCHAINS = {
  linux: { compiler: 'cc', pkg: 'gcc' },
  windows: { compiler: 'x86_64-w64-mingw32-gcc', pkg: 'gcc-mingw-w64-x86-64' },
};

export class MissingCompilerError extends Error {
  constructor(toolchain) {
    super(`${toolchain.compiler} not found. Install the Debian package ${toolchain.pkg}:\n` + `  apt-get install -y ${toolchain.pkg}`);
    this.name = 'MissingCompilerError';
    this.code = 'ENOCOMPILER';
    this.compiler = toolchain.compiler;
    this.package = toolchain.pkg;
  }
}

const compilerChecked = new Map();
function requireCompiler(toolchain) {
  if (!compilerChecked.has(toolchain.compiler)) {
    const r = spawnSync(toolchain.compiler, ['--version'], { stdio: 'ignore' });
    compilerChecked.set(toolchain.compiler, !r.error && r.status === 0);
  }
  if (!compilerChecked.get(toolchain.compiler)) throw new MissingCompilerError(toolchain);
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function upToDate(output, inputs) {
  const t = mtime(output);
  if (t < 0) return false;
  return inputs.every((input) => {
    const ti = mtime(input);
    if (ti < 0) throw new Error(`build-standin: missing input ${input}`);
    return ti < t;
  });
}

/**
 * Compiles one output unless it is up to date. The compiler writes to a
 * temporary name that is renamed into place, so a concurrent reader (another
 * test worker) never sees a half-written file.
 */
function target({ toolchain, output, inputs, args, log }) {
  const deps = [...inputs, scriptPath];
  if (upToDate(output, deps)) {
    log(`up to date  ${path.relative(root, output)}`);
    return { output, built: false };
  }
  requireCompiler(toolchain);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  // Same file name in a private directory: a DLL records its own file name
  // (export directory), and programs linked against it import that name.
  const tmpDir = fs.mkdtempSync(path.join(path.dirname(output), '.tmp-'));
  const tmp = path.join(tmpDir, path.basename(output));
  const argv = [...args, '-o', tmp];
  try {
    const r = spawnSync(toolchain.compiler, argv, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit code ${r.status}`;
      throw new Error(`build-standin: ${toolchain.compiler} ${argv.join(' ')} failed (${why})`);
    }
    fs.renameSync(tmp, output);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  log(`built       ${path.relative(root, output)}`);
  return { output, built: true };
}

/** The stand-in MpCmdRun (test/standin/mpcmdrun_standin.c): a program of its own, beside the library. */
function buildMpCmdRun(platform, log) {
  const source = src('mpcmdrun_standin.c');
  const windows = platform === 'windows';
  const output = out(windows ? 'MpCmdRun.exe' : 'mpcmdrun-standin');
  // -lshell32: CommandLineToArgvW, for arguments as UTF-16 rather than the ANSI code page.
  const args = windows ? [...COMMON_FLAGS, '-static-libgcc', source, '-lshell32'] : [...COMMON_FLAGS, source];
  target({ toolchain: TOOLCHAINS[platform], output, inputs: [source], args, log });
  return output;
}

/**
 * Builds the requested stand-in targets (both platforms when neither flag is
 * set) and returns their absolute paths. Throws MissingCompilerError when a
 * needed compiler is not installed.
 *
 * @param {{ linux?: boolean, windows?: boolean, selftest?: boolean, quiet?: boolean }} [options]
 * @returns {{ outDir: string,
 *   linux?: { library: string, layoutProbe: string, selftest?: string },
 *   windows?: { dll: string, layoutProbe: string, selftest?: string } }}
 *   (each platform also has `mpcmdrun`: the stand-in MpCmdRun's path)
 */
export function buildStandin({ linux = false, windows = false, selftest = false, quiet = false } = {}) {
  if (!linux && !windows) linux = windows = true;
  const log = quiet ? () => {} : (line) => console.log(`build-standin: ${line}`);
  const header = src('mpclient.h');
  const libSrc = src('mpclient_standin.c');
  const probeSrc = src('layout-probe.c');
  const selftestSrc = src('selftest.c');
  const result = { outDir };

  if (linux) {
    const tc = TOOLCHAINS.linux;
    const library = out('libmpclient-standin.so');
    target({
      toolchain: tc,
      output: library,
      inputs: [libSrc, header],
      args: ['-shared', '-fPIC', ...COMMON_FLAGS, '-pthread', libSrc],
      log,
    });
    const layoutProbe = out('layout-probe');
    target({ toolchain: tc, output: layoutProbe, inputs: [probeSrc, header], args: [...COMMON_FLAGS, probeSrc], log });
    result.linux = { library, layoutProbe };
    if (selftest) {
      const exe = out('selftest');
      target({
        toolchain: tc,
        output: exe,
        inputs: [selftestSrc, header, library],
        args: [...COMMON_FLAGS, '-pthread', selftestSrc, `-L${outDir}`, '-lmpclient-standin', '-Wl,-rpath,$ORIGIN'],
        log,
      });
      result.linux.selftest = exe;
    }
  }

  if (windows) {
    const tc = TOOLCHAINS.windows;
    const dll = out('MpClient.dll');
    target({
      toolchain: tc,
      output: dll,
      inputs: [libSrc, header],
      args: ['-shared', ...COMMON_FLAGS, '-static-libgcc', libSrc],
      log,
    });
    const layoutProbe = out('layout-probe.exe');
    target({ toolchain: tc, output: layoutProbe, inputs: [probeSrc, header], args: [...COMMON_FLAGS, probeSrc], log });
    result.windows = { dll, layoutProbe };
    if (selftest) {
      // Linked straight against the DLL (mingw needs no import library).
      const exe = out('selftest.exe');
      target({
        toolchain: tc,
        output: exe,
        inputs: [selftestSrc, header, dll],
        args: [...COMMON_FLAGS, '-static-libgcc', selftestSrc, dll],
        log,
      });
      result.windows.selftest = exe;
    }
  }
  if (linux) result.linux.mpcmdrun = buildMpCmdRun('linux', log);
  if (windows) result.windows.mpcmdrun = buildMpCmdRun('windows', log);
  return result;
}

function main(argv) {
  const known = new Set(['--linux', '--windows', '--selftest', '--quiet']);
  const bad = argv.filter((a) => !known.has(a));
  if (bad.length) {
    console.error(`build-standin: unknown argument(s): ${bad.join(' ')}`);
    console.error('usage: node scripts/build-standin.mjs [--linux] [--windows] [--selftest] [--quiet]');
    return 2;
  }
  try {
    buildStandin({
      linux: argv.includes('--linux'),
      windows: argv.includes('--windows'),
      selftest: argv.includes('--selftest'),
      quiet: argv.includes('--quiet'),
    });
    return 0;
  } catch (err) {
    console.error(err instanceof MissingCompilerError ? `build-standin: ${err.message}` : err.message);
    return 1;
  }
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(scriptPath);
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = main(process.argv.slice(2));
}
