#!/usr/bin/env node
// End-to-end smoke test of the Windows test chain:
// mingw DLL -> wine64 -> node.exe -> koffi (win32-x64) -> __stdcall callback
// from a native CreateThread thread -> JS main thread; plus env pass-through
// and a registry value written with `wine64 reg` read back by the 64-bit node.exe.
//
//   node scripts/windows/smoke.mjs      (exit 0 only if everything checks out)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { ROOT, deleteRegistryKey, ensureWindowsRuntime, readRegistryValue, runNodeUnderWine, setRegistryValue, toWindowsPath } from './setup.mjs';

const COUNT = 1000;
const SRC_DIR = path.join(ROOT, 'test', 'windows', 'smoke');
const OUT_DIR = path.join(ROOT, '.build', 'windows-smoke');
const DLL = path.join(OUT_DIR, 'smoke.dll');
const REG_KEY = 'HKLM\\SOFTWARE\\DefenderUpdaterSmoke';
const REG_VALUE = `C:\\Program Files\\Smoke ${process.pid}`;

function fail(msg) {
  console.error(`smoke: FAIL: ${msg}`);
  process.exit(1);
}

const t0 = Date.now();
const rt = await ensureWindowsRuntime();
const tSetup = Date.now() - t0;

fs.mkdirSync(OUT_DIR, { recursive: true });
const cc = spawnSync('x86_64-w64-mingw32-gcc', ['-shared', '-O2', '-Wall', '-Werror', '-o', DLL, path.join(SRC_DIR, 'smoke.c')], {
  stdio: 'inherit',
});
if (cc.status !== 0) fail('building smoke.dll');

await setRegistryValue(REG_KEY, 'InstallLocation', REG_VALUE);
if ((await readRegistryValue(REG_KEY, 'InstallLocation')) !== REG_VALUE) fail('reg query did not read back the value');

let r;
try {
  r = await runNodeUnderWine(path.join(SRC_DIR, 'smoke.cjs'), [toWindowsPath(DLL), String(COUNT)], {
    env: { SMOKE_ENV: 'hello from linux', SMOKE_REG_KEY: REG_KEY, SMOKE_REG_VALUE: 'InstallLocation' },
    timeoutMs: 120_000,
  });
} finally {
  await deleteRegistryKey(REG_KEY);
}
if ((await readRegistryValue(REG_KEY, 'InstallLocation')) !== null) fail('registry key not deleted');

process.stdout.write(r.stdout);
if (r.stderr.trim()) process.stderr.write(r.stderr);
if (r.timedOut) fail('timed out');
const line = r.stdout.trim().split('\n').pop();
let res;
try {
  res = JSON.parse(line);
} catch {
  fail(`no JSON line in output (exit code ${r.code})`);
}
const checks = {
  'exit code 0': r.code === 0,
  'platform win32': res.platform === 'win32',
  [`count ${COUNT}`]: res.count === COUNT,
  'ctx and items intact': res.badCtx === 0 && res.badItems === 0,
  'callback ran on JS main thread': res.callbackOnMainThread === true,
  'sum of callback returns seen by DLL': res.sumFromDll === res.expectedSum,
  'env passed through': res.smokeEnv === 'hello from linux',
  'registry read by 64-bit node.exe': res.registry?.value === REG_VALUE,
};
for (const [name, ok] of Object.entries(checks)) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
console.log(`smoke: setup ${tSetup} ms, node.exe run ${r.durationMs} ms (node ${res.node}, koffi ${res.koffi}, wine prefix ${rt.winePrefix})`);
if (!Object.values(checks).every(Boolean)) fail('see above');
console.log('smoke: OK');
