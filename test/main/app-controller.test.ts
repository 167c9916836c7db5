import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppState, HistoryEntry } from '../../app/shared/app-state';
import type { AppEvent } from '../../app/shared/ipc';
import { message, verbatim } from '../../app/shared/messages';
import type { EventRecord } from '../../app/main/event-log/event-record';
import { FakeEngine, historyEntry, makeRig, settle } from './fakes';
import { until } from '../support/until';

function lastState(events: AppEvent[]): AppState | undefined {
  const states = events.filter((e): e is Extract<AppEvent, { type: 'state' }> => e.type === 'state');
  return states.at(-1)?.state;
}

test('a window that reloads gets the full state, including an update already under way', async () => {
  const rig = makeRig();
  await rig.controller.dispatch('update:start', undefined);
  rig.engine.progress(42);
  const reply = await rig.controller.dispatch('state:get', undefined);
  assert.equal(reply.ok, true);
  const state = (reply as { ok: true; value: AppState }).value;
  assert.equal(state.update.phase, 'downloading');
  assert.equal(state.update.percent, 42);
  assert.equal(state.update.trigger, 'window');
  assert.equal(state.availability.kind, 'available');
  assert.equal(state.appVersion, '0.1.0');
  await rig.controller.dispose();
});

test('Defender versions are shown once read', async () => {
  const rig = makeRig();
  assert.equal(rig.controller.getState().versions, null);
  await settle();
  assert.equal(rig.controller.getState().versions?.antivirus.version, '1.400.0.0');
  await rig.controller.dispose();
});

test('a click from the tray while the window started an update joins the running update', async () => {
  const rig = makeRig();
  const fromWindow = await rig.controller.dispatch('update:start', {});
  const fromTray = await rig.controller.startUpdate('tray');
  assert.deepEqual(fromWindow, { ok: true, value: { runId: 1, joined: false } });
  assert.deepEqual(fromTray, { ok: true, value: { runId: 1, joined: true } });
  assert.equal(rig.controller.getState().update.runId, 1);
  rig.engine.finish('succeeded');
  assert.equal(rig.history.saved.at(-1)?.length, 1, 'one update, one history line');
  await rig.controller.dispose();
});

test('an update uses the source chosen in settings unless the request names one', async () => {
  const rig = makeRig({ initialSettings: { source: 'mmpc' } });
  await rig.controller.dispatch('update:start', undefined);
  rig.engine.finish('succeeded');
  await rig.controller.dispatch('update:start', { source: 'wsus' });
  assert.deepEqual(
    rig.engine.starts.map((s) => [s.source, s.trigger]),
    [
      ['mmpc', 'window'],
      ['wsus', 'window'],
    ],
  );
  await rig.controller.dispose();
});

test('without Defender the Update command is refused as unavailable, in the window’s language, and the state says why', async () => {
  const engine = new FakeEngine({ kind: 'unavailable', reason: 'not-windows', message: message('unavailable.message.notWindows'), demo: false });
  const rig = makeRig({ engine });
  const reply = await rig.controller.dispatch('update:start', undefined);
  assert.deepEqual(reply, { ok: false, error: { code: 'unavailable', message: 'Microsoft Defender is only available on Windows.' } });
  await rig.controller.dispatch('settings:set', { language: 'ru' });
  assert.deepEqual(await rig.controller.dispatch('update:start', undefined), {
    ok: false,
    error: { code: 'unavailable', message: 'Microsoft Defender есть только в Windows.' },
  });
  assert.equal((await rig.controller.startUpdate('command-line')).ok, false);
  assert.equal(engine.starts.length, 0);
  assert.equal(rig.controller.getState().availability.kind, 'unavailable');
  await settle();
  assert.equal(rig.controller.getState().versions, null);
  await rig.controller.dispose();
});

test('in demo mode the state carries the demo flag for the badge', async () => {
  const rig = makeRig({ engine: new FakeEngine({ kind: 'available', libraryPath: '/standin.so', demo: true }) });
  assert.equal(rig.controller.getState().availability.demo, true);
  await rig.controller.dispose();
});

test('a finished update is recorded in history with its versions and listed newest first', async () => {
  const rig = makeRig({ initialHistory: [historyEntry(1, { result: 'up-to-date' })] });
  await rig.controller.startUpdate('schedule');
  rig.engine.finish('failed');
  const saved = rig.history.saved.at(-1);
  assert.ok(saved);
  const entry = saved.at(-1) as HistoryEntry;
  assert.equal(entry.trigger, 'schedule');
  assert.equal(entry.result, 'failed');
  assert.equal(entry.hresult, '0x80070005');
  assert.deepEqual(entry.message, verbatim('Access is denied.'));
  assert.equal(entry.versionBefore, '1.400.0.0');
  assert.equal(entry.time, '2025-01-15T09:05:00.000Z');
  const all = await rig.controller.dispatch('history:get', undefined);
  assert.deepEqual(all.ok && (all.value as HistoryEntry[]).map((e) => e.result), ['failed', 'up-to-date']);
  const failedOnly = await rig.controller.dispatch('history:get', { result: 'failed' });
  assert.equal(failedOnly.ok && (failedOnly.value as HistoryEntry[]).length, 1);
  assert.equal(rig.controller.getState().lastOutcome?.result, 'failed');
  await rig.controller.dispose();
});

test('history keeps only the last 500 results', async () => {
  const rig = makeRig({ initialHistory: Array.from({ length: 500 }, (_, i) => historyEntry(i + 1)) });
  await rig.controller.startUpdate('window');
  rig.engine.finish('up-to-date');
  const saved = rig.history.saved.at(-1) ?? [];
  assert.equal(saved.length, 500);
  assert.equal(saved[0]?.runId, 2, 'the oldest entry dropped off');
  assert.equal(saved.at(-1)?.result, 'up-to-date');
  await rig.controller.dispose();
});

test('a successful update shows the new signature version', async () => {
  const rig = makeRig();
  await rig.controller.startUpdate('window');
  rig.engine.finish('succeeded');
  assert.equal(rig.controller.getState().versions?.antivirus.version, '1.401.0.0');
  await rig.controller.dispose();
});

test('Copy diagnostics puts the block on the clipboard and returns exactly what it copied', async () => {
  const rig = makeRig({ initialHistory: [historyEntry(1, { result: 'up-to-date' })], initialSettings: { source: 'wsus' } });
  await settle();
  await rig.controller.startUpdate('tray');
  rig.engine.finish('succeeded');
  const reply = await rig.controller.dispatch('diagnostics:copy', undefined);
  assert.equal(reply.ok, true, reply.ok ? '' : reply.error.message);
  const { text } = (reply as { ok: true; value: { text: string } }).value;
  assert.deepEqual(rig.clipboard.texts, [text]);
  assert.match(text, /^App version: 0\.1\.0$/m);
  assert.match(text, /^Library: \/fake\/MpClient\.dll$/m);
  assert.match(text, /^ {2}Security intelligence \(antivirus\): +1\.401\.0\.0, updated /m, 'the version after the update just finished');
  assert.match(text, /^ {2}source: wsus$/m);
  assert.match(text, /^History, newest first \(2 of 2\):$/m);
  assert.match(text, new RegExp(`^Generated: ${new Date(rig.scheduler.now()).toISOString()}$`, 'm'));
  await rig.controller.dispose();
});

test('a clipboard that cannot be written is reported, not a crash', async () => {
  const rig = makeRig();
  rig.clipboard.error = new Error('OpenClipboard failed');
  const reply = await rig.controller.dispatch('diagnostics:copy', undefined);
  assert.deepEqual(reply, { ok: false, error: { code: 'failed', message: 'the clipboard could not be written: OpenClipboard failed' } });
  await rig.controller.dispose();
});

test('changing a setting saves it, returns the whole settings and tells main about it', async () => {
  const rig = makeRig();
  const reply = await rig.controller.dispatch('settings:set', { autoCheckHours: 8, language: 'ru' });
  assert.equal(reply.ok, true);
  assert.deepEqual(rig.settings.saved.at(-1), { ...rig.controller.getState().settings });
  assert.equal(rig.controller.getState().settings.autoCheckHours, 8);
  assert.equal(rig.controller.getState().settings.language, 'ru');
  assert.equal(rig.settingsChanges.length, 1);
  const same = await rig.controller.dispatch('settings:set', { autoCheckHours: 8 });
  assert.equal(same.ok, true);
  assert.equal(rig.settings.saved.length, 1, 'an unchanged value is not written again');
  await rig.controller.dispose();
});

test('a setting that cannot be saved is reported and the old value stays', async () => {
  const rig = makeRig();
  rig.settings.save = () => Promise.reject(new Error('EACCES: permission denied'));
  const reply = await rig.controller.dispatch('settings:set', { notifications: false });
  assert.equal(reply.ok, false);
  assert.match(!reply.ok ? reply.error.message : '', /permission denied/);
  assert.equal(rig.controller.getState().settings.notifications, true);
  assert.equal(rig.settingsChanges.length, 0);
  await rig.controller.dispose();
});

test('exporting history writes CSV to the chosen file; cancelling the dialog writes nothing', async () => {
  const rig = makeRig({ initialHistory: [historyEntry(1, { message: verbatim('said "hi", then left') })] });
  const saved = await rig.controller.dispatch('history:export', { format: 'csv' });
  assert.deepEqual(saved, { ok: true, value: { kind: 'saved', path: '/tmp/export/history.csv' } });
  assert.match(rig.exporter.asked[0]?.suggestedName ?? '', /^defender-updater-history-2025-01-15\.csv$/);
  assert.match(rig.exporter.written[0]?.contents ?? '', /"said ""hi"", then left"/);
  rig.exporter.answer = null;
  assert.deepEqual(await rig.controller.dispatch('history:export', { format: 'json' }), { ok: true, value: { kind: 'cancelled' } });
  assert.equal(rig.exporter.written.length, 1);
  await rig.controller.dispose();
});

test('an export that cannot be written raises a notice the user can dismiss', async () => {
  const rig = makeRig();
  rig.exporter.writeError = new Error('ENOSPC: no space left on device');
  const reply = await rig.controller.dispatch('history:export', { format: 'json' });
  assert.equal(reply.ok, false);
  const notices = rig.controller.getState().notices;
  assert.equal(notices.length, 1);
  assert.equal(notices[0]?.key, 'export-failed');
  assert.match(notices[0]?.detail ?? '', /ENOSPC/);
  assert.deepEqual(await rig.controller.dispatch('notice:dismiss', { id: notices[0]?.id }), { ok: true, value: null });
  assert.deepEqual(rig.controller.getState().notices, []);
  await rig.controller.dispose();
});

test('a history file that cannot be written says so in words, and the update still shows in History', async () => {
  const rig = makeRig();
  rig.history.save = () => Promise.reject(new Error('EPERM: operation not permitted'));
  await rig.controller.startUpdate('window');
  rig.engine.finish('succeeded');
  await until(() => rig.controller.getState().notices.length > 0, 'the notice');
  const [notice] = rig.controller.getState().notices;
  assert.equal(notice?.key, 'history-not-saved');
  assert.match(notice?.detail ?? '', /EPERM/);
  const shown = await rig.controller.dispatch('history:get', undefined);
  assert.equal(shown.ok && (shown.value as HistoryEntry[])[0]?.result, 'succeeded');
  await rig.controller.dispose();
});

test('Cancel passes Defender’s refusal on to the window', async () => {
  const rig = makeRig();
  assert.deepEqual(await rig.controller.dispatch('update:cancel', undefined), { ok: true, value: { kind: 'not-running' } });
  await rig.controller.startUpdate('window', 'microsoft-update');
  const refusal = {
    kind: 'refused' as const,
    error: {
      kind: 'cancel-refused' as const,
      hresult: 0x80070005,
      hex: '0x80070005',
      message: verbatim('Access is denied.'),
      source: 'microsoft-update' as const,
      updateType: 'unmanaged' as const,
    },
  };
  rig.engine.cancelAnswer = refusal;
  assert.deepEqual(await rig.controller.dispatch('update:cancel', undefined), { ok: true, value: refusal });
  assert.equal(rig.engine.cancels, 2);
  await rig.controller.dispose();
});

test('every window hears the end of an update, after the final state', async () => {
  const rig = makeRig();
  await rig.controller.startUpdate('window');
  rig.engine.progress(10);
  rig.engine.finish('up-to-date');
  const types = rig.events.map((e) => e.type);
  assert.deepEqual(types.slice(-2), ['state', 'finished']);
  assert.equal(lastState(rig.events)?.update.phase, 'up-to-date');
  assert.equal(lastState(rig.events)?.lastOutcome?.result, 'up-to-date');
  await rig.controller.dispose();
});

test('after shutdown the controller stops listening to the engine and sends nothing more', async () => {
  const rig = makeRig();
  await rig.controller.dispose();
  assert.equal(rig.engine.listenerCount, 0);
  assert.equal(rig.scheduler.pendingTimers, 0);
  const before = rig.events.length;
  rig.engine.progress(5);
  rig.scheduler.advance(100);
  assert.equal(rig.events.length, before);
  assert.equal((await rig.controller.startUpdate('tray')).ok, false);
});

test('every finished update is written to the event log, and a log that fails changes nothing for the user', async () => {
  const written: EventRecord[] = [];
  const rig = makeRig({
    writeEvent: (record) => {
      written.push(record);
      return Promise.reject(new Error('the event log service is stopped'));
    },
  });
  await rig.controller.startUpdate('window');
  rig.engine.finish('failed');
  await settle();
  assert.deepEqual(
    written.map((e) => [e.id, e.level]),
    [[1002, 'error']],
  );
  assert.match(written[0]?.text ?? '', /^result=failed\r\nhresult=0x80070005\r\n/);
  assert.equal(rig.history.saved.at(-1)?.at(-1)?.result, 'failed', 'history still got the result');
  assert.equal(rig.controller.getState().lastOutcome?.result, 'failed');
  await rig.controller.dispose();
});
