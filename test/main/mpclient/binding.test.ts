/** The binding's own promises: typed failures for a bad library, handles that survive misuse, freed buffers. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as koffi from 'koffi';
import {
  allocCallbackInfo,
  decodeCallbackData,
  decodeWideString,
  MAX_WIDE_STRING_UNITS,
  freeNative,
  MpClientLibrary,
  registerCallback,
  unregisterCallback,
} from '../../../app/main/mpclient/binding';
import { DefenderUnavailableError } from '../../../app/main/mpclient/errors';
import { standinLibraryPath } from '../../support/paths';
import { standinCounters, useStandin } from '../../support/standin';

const standin = useStandin();
after(() => standin.cleanup());

test('a missing library is a typed "Defender not available" error naming the path', () => {
  const path = join(tmpdir(), 'no-such-dir', 'MpClient.dll');
  assert.throws(
    () => MpClientLibrary.load(path),
    (error: unknown) => error instanceof DefenderUnavailableError && error.reason === 'load-failed' && error.message.includes(path),
  );
});

test('a file that is not a library, or a library without the exports, is rejected clearly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-bad-'));
  try {
    const fake = join(dir, 'MpClient.dll');
    writeFileSync(fake, 'this is not a DLL');
    assert.throws(
      () => MpClientLibrary.load(fake),
      (e: unknown) => e instanceof DefenderUnavailableError && e.reason === 'load-failed',
    );
    const other = process.platform === 'win32' ? 'kernel32.dll' : 'libm.so.6';
    assert.throws(
      () => MpClientLibrary.load(other),
      (e: unknown) => e instanceof DefenderUnavailableError && /not a usable MpClient library/.test(e.message) && /MpManagerOpen/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closing a handle twice is refused by the library with E_HANDLE, not a crash', async () => {
  const lib = MpClientLibrary.load(standinLibraryPath());
  const opened = await lib.managerOpen();
  assert.equal(opened.hr, 0);
  assert.ok(opened.value);
  const openBefore = standinCounters().openHandles;
  assert.equal(await lib.handleClose(opened.value), 0);
  assert.equal(standinCounters().openHandles, openBefore - 1);
  assert.equal(await lib.handleClose(opened.value), 0x80070006);
  assert.equal(await lib.handleClose(0n), 1, 'closing NULL is S_FALSE, as the decompiled DLL does');
});

test('error texts are read as UTF-16 and every buffer is given back with MpFreeMemory', async () => {
  const lib = MpClientLibrary.load(standinLibraryPath());
  const { value: manager } = await lib.managerOpen();
  assert.ok(manager);
  try {
    assert.match((await lib.errorMessage(manager, 0x80070005)) ?? '', /access is denied/i);
    assert.match((await lib.errorMessage(manager, 0x80072ee7 | 0)) ?? '', /could not be resolved/i, 'negative (signed) HRESULTs work too');
    assert.equal(standinCounters().unfreedBuffers, 0);
    assert.equal(await lib.errorMessage(0xdeadn, 5), null, 'a bad manager handle gives no text instead of a crash');
  } finally {
    await lib.handleClose(manager);
  }
});

test('versions are read into a caller-owned MPVERSION_INFO', async () => {
  const lib = MpClientLibrary.load(standinLibraryPath());
  const { value: manager } = await lib.managerOpen();
  assert.ok(manager);
  try {
    const { hr, value } = await lib.versionQuery(manager);
    assert.equal(hr, 0);
    assert.ok(value);
    assert.ok(BigInt(value.AVSignature.Version) > 0n);
    assert.ok(BigInt(value.AVSignature.UpdateTime) > 116444736000000000n, 'a FILETIME after 1970');
  } finally {
    await lib.handleClose(manager);
  }
});

test('Defender buffers die when the callback returns: a kept pointer reads garbage, so the engine copies', async () => {
  const lib = MpClientLibrary.load(standinLibraryPath());
  const { value: manager } = await lib.managerOpen();
  assert.ok(manager);
  let kept: bigint | null = null;
  let seenLater: number | null = null;
  let whileAlive: number | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const callback = registerCallback((_context, ptr) => {
    if (!ptr) return 0;
    const notify = decodeCallbackData(ptr).Notify >>> 0;
    if (kept === null) {
      kept = ptr;
      whileAlive = notify;
    } else if (seenLater === null) {
      seenLater = decodeCallbackData(kept).Notify >>> 0;
    }
    if (notify === 0x800d) resolveDone();
    return 0;
  });
  const info = allocCallbackInfo(callback, 7n);
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const { hr, value: handle } = await lib.updateStart(manager, 0x3, info);
    assert.equal(hr, 0);
    await done;
    if (handle) assert.equal(await lib.handleClose(handle), 0);
  } finally {
    clearInterval(keepAlive);
    unregisterCallback(callback);
    freeNative(info);
    await lib.handleClose(manager);
  }
  assert.equal(whileAlive, 0x8001, 'inside the callback the data is real (SIGUPDATE_START)');
  // The stand-in fills the memory with 0xCD when the callback returns and may reuse it for the next notification, as
  // a stack buffer would be: either way a kept pointer no longer says what it said.
  assert.notEqual(seenLater, null);
  assert.notEqual(seenLater, whileAlive, 'after the callback returned, the same memory no longer holds its notification');
});

test('a UTF-16 string without its terminating NUL is cut at 32,767 units instead of read past', () => {
  const units = MAX_WIDE_STRING_UNITS + 1000;
  const buffer = koffi.alloc('uint16_t', units) as bigint;
  try {
    koffi.encode(buffer, 'uint16_t', new Array<number>(units).fill(0x41), units);
    const text = decodeWideString(buffer);
    assert.equal(text.length, MAX_WIDE_STRING_UNITS);
    assert.equal(text, 'A'.repeat(MAX_WIDE_STRING_UNITS));
    // A terminated string longer than one read chunk comes back whole, up to its NUL.
    koffi.encode(buffer, 1000 * 2, 'uint16_t', 0);
    assert.equal(decodeWideString(buffer), 'A'.repeat(1000));
  } finally {
    freeNative(buffer);
  }
});

test('a call made synchronously on the JS thread is seen by the stand-in (so the engine tests can rule them out)', () => {
  const before = standinCounters().jsThreadCalls;
  // MpHandleClose(NULL) fails nowhere, so it throws no C++ exception even in the Windows build.
  const close = koffi.load(standinLibraryPath()).func('int32_t __stdcall MpHandleClose(void *h)') as unknown as (h: null) => number;
  assert.equal(close(null), 1);
  assert.equal(standinCounters().jsThreadCalls, before + 1);
});

test('the binding itself never calls MpClient on the JS thread', async () => {
  const before = standinCounters().jsThreadCalls;
  const lib = MpClientLibrary.load(standinLibraryPath());
  const { value: manager } = await lib.managerOpen();
  assert.ok(manager);
  await lib.versionQuery(manager);
  await lib.errorMessage(manager, 0x80070005);
  await lib.updateControl(null, 0);
  await lib.handleClose(manager);
  assert.equal(standinCounters().jsThreadCalls, before);
});
