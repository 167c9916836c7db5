/**
 * The answers Microsoft's real MpClient.dll gave (test/standin/conformance.json, copied from the observations in
 * docs/mpclient.md), asked again through the koffi binding: the stand-in must give every one of them, on Linux and
 * under Wine with the mingw DLL, whose failure paths throw and catch a C++ exception as the real one does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as koffi from 'koffi';
import { formatHresult } from '../../../app/shared/hresult';
import {
  allocCallbackInfo,
  freeNative,
  MpClientLibrary,
  registerCallback,
  unregisterCallback,
  type MpHandle,
  type NativePointer,
} from '../../../app/main/mpclient/binding';
import { BASE_UPDATE_OPTIONS, MPCONTROL_ABORT } from '../../../app/main/mpclient/constants';
import { repoRoot, standinLibraryPath } from '../../support/paths';
import { standinCounters, useStandin } from '../../support/standin';

interface Row {
  name: string;
  call: 'MpUpdateControl' | 'MpHandleClose' | 'MpUpdateStart' | 'HandleTag';
  args: { handle: string; control?: number; options?: string; callbackInfo?: 'valid' | 'null' };
  expected: string;
  source: string;
}

const table = JSON.parse(readFileSync(join(repoRoot, 'test', 'standin', 'conformance.json'), 'utf8')) as { rows: Row[] };
const standin = useStandin({ scenario: 'stalled' });
let lib: MpClientLibrary;
let callback: NativePointer;
let info: NativePointer;

before(() => {
  lib = MpClientLibrary.load(standinLibraryPath());
  // One callback that ignores everything serves every row; it is released after the last update is closed.
  callback = registerCallback(() => 0);
  info = allocCallbackInfo(callback, 0n);
});
after(() => {
  unregisterCallback(callback);
  freeNative(info);
  standin.cleanup();
});

/** What a row's `handle` names, and how to put everything back afterwards. */
async function arrange(handle: string): Promise<{ value: MpHandle | null; manager: MpHandle; cleanup(): Promise<void> }> {
  const opened = await lib.managerOpen();
  assert.equal(opened.hr, 0);
  const manager = opened.value!;
  let update: MpHandle | null = null;
  let block: NativePointer | null = null;
  let value: MpHandle | null = null;
  if (handle === 'manager') value = manager;
  else if (handle === 'update') {
    const started = await lib.updateStart(manager, BASE_UPDATE_OPTIONS, info);
    assert.equal(started.hr, 0, 'the stand-in starts a (stalled) update');
    update = value = started.value;
  } else if (handle.startsWith('block:')) {
    // { DWORD tag; padding; void *object = NULL }: a handle the DLL never gave out.
    block = koffi.alloc('uint8_t', 16) as NativePointer;
    koffi.encode(block, 'uint64_t', 0n);
    koffi.encode(block, 8, 'uint64_t', 0n);
    koffi.encode(block, 'uint32_t', Number(handle.slice('block:'.length)));
    value = block;
  } else assert.equal(handle, 'null');
  return {
    value,
    manager,
    async cleanup() {
      if (update !== null) {
        await lib.updateControl(manager, MPCONTROL_ABORT);
        assert.equal(await lib.handleClose(update), 0);
      }
      if (block !== null) freeNative(block);
      assert.equal(await lib.handleClose(manager), 0);
    },
  };
}

async function ask(row: Row, handle: MpHandle | null, manager: MpHandle): Promise<number> {
  switch (row.call) {
    case 'MpHandleClose':
      return lib.handleClose(handle);
    case 'MpUpdateControl':
      return lib.updateControl(handle, row.args.control ?? MPCONTROL_ABORT);
    case 'HandleTag':
      return koffi.decode(handle, 'uint32_t') as number;
    case 'MpUpdateStart': {
      const result = await lib.updateStart(handle, Number.parseInt(row.args.options ?? '0x3', 16), row.args.callbackInfo === 'null' ? null : info);
      // An update it should have refused but started anyway is stopped, so the next row starts clean.
      if (result.value) {
        await lib.updateControl(manager, MPCONTROL_ABORT);
        await lib.handleClose(result.value);
      }
      return result.hr;
    }
  }
}

describe("the real MpClient.dll's answers (test/standin/conformance.json)", () => {
  assert.ok(table.rows.length >= 20, 'the table is there');
  for (const row of table.rows) {
    test(`${row.name} (${row.source})`, async () => {
      const arranged = await arrange(row.args.handle);
      try {
        assert.equal(formatHresult(await ask(row, arranged.value, arranged.manager)), row.expected);
      } finally {
        await arranged.cleanup();
      }
    });
  }

  test('every row put back what it opened', () => {
    assert.equal(standinCounters().openHandles, 0);
    assert.equal(standinCounters().runningUpdates, 0);
  });
});
