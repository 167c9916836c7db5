#!/usr/bin/env node
// Builds the stand-in MpClient library (test/standin/) into .build/standin/:
//   Linux (cc):                      libmpclient-standin.so, layout-probe
//   Windows (x86_64-w64-mingw32-gcc): MpClient.dll (with g++: hresult_throw.cpp, every library linked statically),
//                                    layout-probe.exe
//   --selftest:                      selftest (Linux) and selftest.exe (Windows), which run every row of
//                                    test/standin/conformance.json (turned into conformance_rows.h here)
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
  // The DLL has one C++ file; the g++ driver compiles the C file as C with `-x c`.
  windowsCxx: { compiler: 'x86_64-w64-mingw32-g++', pkg: 'g++-mingw-w64-x86-64' },
  // The DLL's version resource (what `doctor` reads with GetFileVersionInfoW).
  windres: { compiler: 'x86_64-w64-mingw32-windres', pkg: 'binutils-mingw-w64-x86-64' },
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

const CONFORMANCE_CALLS = { MpUpdateControl: ['control'], MpHandleClose: [], MpUpdateStart: ['options', 'callbackInfo'], HandleTag: [] };
const HEX32 = /^0x[0-9A-Fa-f]{8}$/;

/** One row of conformance.json as a C initializer; throws with the row's name when the row is malformed. */
function conformanceRow(row, index) {
  const where = `conformance.json row ${index} (${JSON.stringify(row?.name)})`;
  const fail = (why) => {
    throw new Error(`build-standin: ${where}: ${why}`);
  };
  if (typeof row?.name !== 'string' || !row.name) fail('no name');
  if (typeof row.source !== 'string' || !row.source) fail('no source');
  const wanted = CONFORMANCE_CALLS[row.call];
  if (!wanted) fail(`call must be one of ${Object.keys(CONFORMANCE_CALLS).join(', ')}`);
  const args = row.args ?? {};
  const extra = Object.keys(args).filter((k) => k !== 'handle' && !wanted.includes(k));
  if (extra.length) fail(`unexpected args ${extra.join(', ')}`);
  const handle = /^(null|manager|update|block:(\d+))$/.exec(args.handle ?? '');
  if (!handle) fail("args.handle must be 'null', 'manager', 'update' or 'block:N'");
  if (!HEX32.test(row.expected ?? '')) fail('expected must be 8 hex digits, e.g. 0x80070057');
  let control = 0;
  if (wanted.includes('control')) {
    control = args.control;
    if (!Number.isInteger(control)) fail('args.control must be an integer');
  }
  let options = '0';
  let callbackInfo = 1;
  if (row.call === 'MpUpdateStart') {
    if (!HEX32.test(args.options ?? '')) fail('args.options must be 8 hex digits');
    options = `${args.options}u`;
    if (args.callbackInfo !== 'valid' && args.callbackInfo !== 'null') fail("args.callbackInfo must be 'valid' or 'null'");
    callbackInfo = args.callbackInfo === 'valid' ? 1 : 0;
  }
  const kind = handle[2] !== undefined ? 'H_BLOCK' : `H_${handle[1].toUpperCase()}`;
  const tag = handle[2] ?? '0';
  return `    {${JSON.stringify(row.name)}, C_${row.call}, ${kind}, ${tag}u, ${control}, ${options}, ${callbackInfo}, ${row.expected}u},`;
}

/**
 * Turns test/standin/conformance.json into a C table for selftest.c (the JSON stays the one source, which the
 * TypeScript tests can read too). Rewritten only when its text changes, so the self-test is not rebuilt for nothing.
 */
function writeConformanceHeader(jsonPath, output, log) {
  let table;
  try {
    table = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(`build-standin: ${path.relative(root, jsonPath)} is not valid JSON: ${error.message}`);
  }
  if (!Array.isArray(table?.rows) || table.rows.length === 0) throw new Error('build-standin: conformance.json has no rows');
  const text = [
    '/* Generated by scripts/build-standin.mjs from test/standin/conformance.json; do not edit. */',
    'static const ConformanceRow CONFORMANCE_ROWS[] = {',
    ...table.rows.map(conformanceRow),
    '};',
    '',
  ].join('\n');
  let old = null;
  try {
    old = fs.readFileSync(output, 'utf8');
  } catch {
    // not generated yet
  }
  if (old === text) return;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const tmp = `${output}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, output);
  log(`generated   ${path.relative(root, output)}`);
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
  const throwSrc = src('hresult_throw.cpp');
  const conformanceJson = src('conformance.json');
  const conformanceHeader = out('conformance_rows.h');
  const result = { outDir };
  if (selftest) writeConformanceHeader(conformanceJson, conformanceHeader, log);

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
        inputs: [selftestSrc, header, conformanceHeader, library],
        args: [...COMMON_FLAGS, '-pthread', `-I${outDir}`, selftestSrc, `-L${outDir}`, '-lmpclient-standin', '-Wl,-rpath,$ORIGIN'],
        log,
      });
      result.linux.selftest = exe;
    }
  }

  if (windows) {
    const tc = TOOLCHAINS.windows;
    const rc = src('mpclient.rc');
    const versionObject = out('mpclient-version.o');
    target({ toolchain: TOOLCHAINS.windres, output: versionObject, inputs: [rc], args: ['-O', 'coff', rc], log });
    const dll = out('MpClient.dll');
    // -static: libstdc++, libgcc and (with the posix flavour of mingw g++) winpthread linked in, so the DLL loads
    // under Wine with no extra DLL beside it.
    target({
      toolchain: TOOLCHAINS.windowsCxx,
      output: dll,
      inputs: [libSrc, header, throwSrc, versionObject],
      args: ['-shared', ...COMMON_FLAGS, '-static', '-x', 'c', libSrc, '-x', 'c++', throwSrc, '-x', 'none', versionObject],
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
        inputs: [selftestSrc, header, conformanceHeader, dll],
        args: [...COMMON_FLAGS, '-static-libgcc', `-I${outDir}`, selftestSrc, dll],
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
