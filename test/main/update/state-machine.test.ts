/** The state machine alone: which notification leads to which phase and which result. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDLE_SNAPSHOT, type NotificationRecord } from '../../../app/shared/update';
import { verbatim } from '../../../app/shared/messages';
import { MPNOTIFY } from '../../../app/main/mpclient/constants';
import { phaseFor } from '../../../app/main/update/decode';
import { applyNotification, initialRun, type RunState } from '../../../app/main/update/state-machine';

const describe = (hr: number) => verbatim(`text for ${hr.toString(16)}`);
let seq = 0;
function rec(notify: keyof typeof MPNOTIFY | number, hresult = 0, extra: Partial<NotificationRecord> = {}): NotificationRecord {
  const code = typeof notify === 'number' ? notify : MPNOTIFY[notify];
  return {
    seq: ++seq,
    notify: 'MPNOTIFY_SIGUPDATE_START',
    code,
    hresult,
    phase: phaseFor(code, null) ?? 'idle',
    percent: null,
    current: null,
    total: null,
    sigType: null,
    path: null,
    receivedAt: seq,
    ...extra,
  };
}
function run(...records: NotificationRecord[]): RunState {
  return records.reduce((s, r) => applyNotification(s, r, describe), initialRun({ ...IDLE_SNAPSHOT, runId: 1, phase: 'starting', startedAt: 0 }));
}

test('COMPLETE with S_OK is success, with S_FALSE already up to date', () => {
  assert.equal(run(rec('MPNOTIFY_SIGUPDATE_COMPLETE', 0)).result, 'succeeded');
  assert.equal(run(rec('MPNOTIFY_SIGUPDATE_COMPLETE', 1)).result, 'up-to-date');
});

test('a restart request, then a clean COMPLETE, asks for a restart', () => {
  assert.equal(run(rec('MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED'), rec('MPNOTIFY_SIGUPDATE_COMPLETE')).result, 'reboot-required');
});

test('a failure reported earlier wins over a COMPLETE that says S_OK', () => {
  const s = run(rec('MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED', 0x8050a004), rec('MPNOTIFY_SIGUPDATE_COMPLETE', 0));
  assert.equal(s.result, 'failed');
  assert.equal(s.snapshot.error?.hex, '0x8050A004');
  assert.deepEqual(s.snapshot.error?.message, verbatim('text for 8050a004'));
});

test('INTERNAL_FAILURE shows its error at once, before the run ends', () => {
  const s = run(rec('MPNOTIFY_SIGUPDATE_DOWNLOAD_START'), rec('MPNOTIFY_INTERNAL_FAILURE', 0x80072ee7));
  assert.equal(s.result, null);
  assert.equal(s.snapshot.error?.kind, 'internal-failure');
  assert.equal(s.snapshot.phase, 'downloading');
});

test('after a cancel request a failing COMPLETE means cancelled, not failed', () => {
  const start = run(rec('MPNOTIFY_SIGUPDATE_DOWNLOAD_START'));
  const cancelled = applyNotification(
    { ...start, snapshot: { ...start.snapshot, cancelRequested: true } },
    rec('MPNOTIFY_SIGUPDATE_COMPLETE', 0x800704c7),
    describe,
  );
  assert.equal(cancelled.result, 'cancelled');
  assert.equal(cancelled.snapshot.error, null);
});

test('nothing changes after the result', () => {
  const done = run(rec('MPNOTIFY_SIGUPDATE_COMPLETE', 1));
  assert.equal(applyNotification(done, rec('MPNOTIFY_SIGUPDATE_COMPLETE', 0x80004005), describe), done);
});

test('an unknown code takes its phase from the stage and is remembered once', () => {
  assert.equal(phaseFor(0x8042, 2), 'downloading');
  assert.equal(phaseFor(0x8042, 3), 'installing');
  assert.equal(phaseFor(0x8042, null), null);
  assert.equal(phaseFor(MPNOTIFY.MPNOTIFY_SIGUPDATE_INSTALL_START, 1), 'installing', 'a known code is trusted over the stage');
  const s = run(rec(0x8042, 0, { phase: 'downloading' }), rec(0x8042), rec(0x9999));
  assert.deepEqual(s.snapshot.unknownCodes, [0x8042, 0x9999]);
  assert.equal(s.snapshot.phase, 'downloading');
  assert.equal(s.result, null);
});

test('a new phase starts its own progress; updates count from one', () => {
  const s = run(
    rec('MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS', 0, { phase: 'downloading', percent: 80, current: 2, total: 2 }),
    rec('MPNOTIFY_SIGUPDATE_INSTALL_START', 0, { phase: 'installing', percent: 0, current: 1, total: 2 }),
  );
  assert.equal(s.snapshot.phase, 'installing');
  assert.equal(s.snapshot.percent, 0);
  assert.equal(s.snapshot.current, 1);
});
