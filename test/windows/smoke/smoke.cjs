'use strict';
// Runs under Windows node.exe (wine64). Loads smoke.dll with koffi, registers a
// __stdcall callback, calls SmokeRun with .async, and counts the callbacks the
// DLL makes from its own CreateThread thread. Prints one JSON line.
//
// usage: node.exe smoke.cjs <path\to\smoke.dll> [count]
// Optional env: SMOKE_REG_KEY (e.g. HKLM\SOFTWARE\...) + SMOKE_REG_VALUE: the
// value is read back with RegGetValueW to check the registry view of a 64-bit
// process.

const koffi = require('koffi');

const dllPath = process.argv[2];
const expected = Number(process.argv[3] || 1000);

const SmokeItem = koffi.struct('SmokeItem', {
  index: 'int32_t',
  total: 'int32_t',
  threadId: 'uint32_t',
  reserved: 'uint32_t',
  value: 'double',
  tag: 'char[8]',
});
const SmokeCallback = koffi.proto('int __stdcall SmokeCallback(uint64_t ctx, void *data)');

const lib = koffi.load(dllPath);
const SmokeRun = lib.func('int32_t __stdcall SmokeRun(SmokeCallback *cb, uint64_t ctx, int32_t count)');
const kernel32 = koffi.load('kernel32.dll');
const GetCurrentThreadId = kernel32.func('uint32_t __stdcall GetCurrentThreadId(void)');

function readRegistry(fullKey, valueName) {
  const roots = { HKLM: -0x7ffffffe, HKEY_LOCAL_MACHINE: -0x7ffffffe, HKCU: -0x7fffffff, HKEY_CURRENT_USER: -0x7fffffff };
  const [root, ...rest] = fullKey.split('\\');
  const advapi32 = koffi.load('advapi32.dll');
  const RegGetValueW = advapi32.func(
    'long __stdcall RegGetValueW(intptr_t hkey, const char16_t *subKey, const char16_t *value, uint32_t flags, _Out_ uint32_t *type, _Out_ uint8_t *data, _Inout_ uint32_t *size)',
  );
  const RRF_RT_REG_SZ = 0x2;
  const data = Buffer.alloc(2048);
  const size = [data.length];
  const type = [0];
  const rc = RegGetValueW(roots[root], rest.join('\\'), valueName, RRF_RT_REG_SZ, type, data, size);
  if (rc !== 0) return { error: rc };
  return { value: data.subarray(0, Math.max(0, size[0] - 2)).toString('utf16le') };
}

const mainThreadId = GetCurrentThreadId();
const CTX = 0x1234_5678_9abcn;
let count = 0;
let badCtx = 0;
let badItems = 0;
let sameThread = 0;
const threads = new Set();
let done = null;

const cb = koffi.register((ctx, data) => {
  const item = koffi.decode(data, SmokeItem);
  if (BigInt(ctx) !== CTX) badCtx++;
  threads.add(item.threadId);
  if (item.threadId === mainThreadId || GetCurrentThreadId() !== mainThreadId) sameThread++;
  if (item.index === -1) {
    done = item;
    return 0;
  }
  if (item.index !== count || item.total !== expected || item.value !== item.index * 0.5 || item.tag !== 'smoke') {
    badItems++;
  }
  count++;
  return item.index % 7;
}, koffi.pointer(SmokeCallback));

let expectedSum = 0;
for (let i = 0; i < expected; i++) expectedSum += i % 7;

const started = Date.now();
const keepAlive = setInterval(() => {
  if (done || Date.now() - started > 60_000) finish();
}, 5);

let callResult = null;
SmokeRun.async(cb, CTX, expected, (err, res) => {
  callResult = err ? String(err) : res;
});

function finish() {
  clearInterval(keepAlive);
  koffi.unregister(cb);
  const out = {
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    koffi: koffi.version,
    callResult,
    count,
    expected,
    badCtx,
    badItems,
    callbackOnMainThread: sameThread === 0,
    nativeThreads: threads.size,
    sumFromDll: done ? done.value : null,
    expectedSum,
    finished: !!done,
    ms: Date.now() - started,
    smokeEnv: process.env.SMOKE_ENV ?? null,
  };
  if (process.env.SMOKE_REG_KEY) {
    out.registry = readRegistry(process.env.SMOKE_REG_KEY, process.env.SMOKE_REG_VALUE || 'InstallLocation');
  }
  console.log(JSON.stringify(out));
  const ok = done && callResult === 0 && count === expected && !badCtx && !badItems && sameThread === 0 && done.value === expectedSum;
  process.exitCode = ok ? 0 : 1;
}
