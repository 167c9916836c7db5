/** How MpCmdRun's results and refusals read as update outcomes (pure functions). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MpCmdRunNotFoundError, PackageRejectedError, SharePathError } from '../../../app/main/mpcmdrun/errors';
import { message, verbatim } from '../../../app/shared/messages';
import { offlineEnd, refusalOf } from '../../../app/main/update/offline-job';

const failed = (hresult: number | null, exitCode: number | null = 2) => ({ outcome: 'failed' as const, hresult, exitCode, detail: 'x' });

test('a run the app aborted is cancelled even when MpCmdRun, hit by the same Ctrl+C, exited with a failure first', () => {
  assert.equal(offlineEnd(failed(0x80004005), true).result, 'cancelled');
  assert.equal(offlineEnd({ outcome: 'succeeded', hresult: null, exitCode: 0, detail: '' }, true).result, 'cancelled');
  // STATUS_CONTROL_C_EXIT: the console's Ctrl+C ended it before the app's cancel was even sent.
  assert.deepEqual(offlineEnd(failed(null, 0xc000013a), false), { result: 'cancelled', hresult: 0x800704c7, named: false, timedOut: false });
});

test("results keep MpClient's codes: 0 updated, 1 up to date, MpCmdRun's HRESULT, else E_FAIL, ERROR_TIMEOUT at the deadline", () => {
  assert.deepEqual(offlineEnd({ outcome: 'succeeded', hresult: null, exitCode: 0, detail: '' }, false).hresult, 0);
  assert.deepEqual(offlineEnd({ outcome: 'up-to-date', hresult: null, exitCode: 0, detail: '' }, false), {
    result: 'up-to-date',
    hresult: 1,
    named: false,
    timedOut: false,
  });
  assert.deepEqual(offlineEnd(failed(0x8050a004), false), { result: 'failed', hresult: 0x8050a004, named: true, timedOut: false });
  assert.deepEqual(offlineEnd(failed(null), false), { result: 'failed', hresult: 0x80004005, named: false, timedOut: false });
  assert.deepEqual(offlineEnd({ outcome: 'timed-out', hresult: null, exitCode: null, detail: '' }, false), {
    result: 'failed',
    hresult: 0x800705b4,
    named: false,
    timedOut: true,
  });
});

test('each refusal carries the Win32 code Windows gives the same trouble', () => {
  const cases: Array<[unknown, string, number]> = [
    [new MpCmdRunNotFoundError(message('offline.refusal.noMpCmdRun'), []), 'tool-missing', 0x80070002],
    [new PackageRejectedError('not-a-program', verbatim('x')), 'offline-input', 0x800700c1],
    [new PackageRejectedError('wrong-architecture', verbatim('x')), 'offline-input', 0x800700d8],
    [new SharePathError('missing', verbatim('x')), 'offline-input', 0x80070003],
    [new SharePathError('no-package', verbatim('x')), 'offline-input', 0x80070002],
    [new SharePathError('unreachable', verbatim('x')), 'offline-input', 0x80070035],
  ];
  for (const [error, kind, hresult] of cases) assert.deepEqual(refusalOf(error), { kind, hresult, message: (error as { detail: unknown }).detail });
  assert.equal(refusalOf(new Error('something else')), null);
});
