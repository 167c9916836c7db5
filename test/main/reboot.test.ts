import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RebootState } from '../../app/shared/app-state';
import { RESTART_COMMENT, RESTART_DELAY_SECONDS, RESTART_GRACE_MS, restoreRebootState } from '../../app/main/reboot';
import { createRebootStore } from '../../app/main/reboot-store';
import { makeRig, SHUTDOWN } from './fakes';

const HOUR = 3_600_000;

async function rigNeedingRestart(initialSettings = {}) {
  const rig = makeRig({ initialSettings });
  await rig.controller.startUpdate('window');
  rig.engine.finish('reboot-required');
  return rig;
}

test('when Defender needs a restart the prompt appears, and nothing restarts on its own', async () => {
  const rig = await rigNeedingRestart();
  const reboot = rig.controller.getState().reboot;
  assert.equal(reboot.kind, 'needed');
  rig.scheduler.advance(48 * HOUR);
  assert.equal(rig.runner.calls.length, 0, 'shutdown.exe was never run without a click');
  assert.equal(rig.controller.getState().reboot.kind, 'needed');
  await rig.controller.dispose();
});

test('restart runs only after the user clicks Restart now, with a 60 s delay and a comment', async () => {
  const rig = await rigNeedingRestart();
  assert.equal(rig.runner.calls.length, 0);
  const now = rig.scheduler.now();
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  assert.deepEqual(rig.runner.calls, [{ file: SHUTDOWN, args: ['/r', '/t', '60', '/c', RESTART_COMMENT] }]);
  assert.deepEqual(reply, { ok: true, value: { kind: 'restart-scheduled', at: now + 60_000 } });
  assert.deepEqual(rig.controller.getState().reboot, { kind: 'restart-scheduled', at: now + 60_000 });
  await rig.controller.dispose();
});

test('a double click on Restart now runs shutdown once', async () => {
  const rig = await rigNeedingRestart();
  const [first, second] = await Promise.all([
    rig.controller.dispatch('reboot:answer', { answer: 'restart-now' }),
    rig.controller.dispatch('reboot:answer', { answer: 'restart-now' }),
  ]);
  assert.equal(first.ok, true);
  assert.equal(second.ok, false);
  assert.equal(rig.runner.calls.length, 1);
  await rig.controller.dispose();
});

test('a scheduled restart can be aborted, and the restart is still asked for', async () => {
  const rig = await rigNeedingRestart();
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'abort-restart' });
  assert.deepEqual(rig.runner.calls.at(-1), { file: SHUTDOWN, args: ['/a'] });
  assert.equal(reply.ok, true);
  assert.equal(rig.controller.getState().reboot.kind, 'needed');
  await rig.controller.dispose();
});

test('Later reminds again after the delay from settings (4 hours by default), not before', async () => {
  const rig = await rigNeedingRestart();
  const now = rig.scheduler.now();
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'later' });
  assert.deepEqual(reply, { ok: true, value: { kind: 'needed', since: now, remindAt: now + 4 * HOUR } });
  rig.scheduler.advance(4 * HOUR - 1);
  assert.equal(rig.reminders, 0);
  rig.scheduler.advance(1);
  assert.equal(rig.reminders, 1);
  const state = rig.controller.getState().reboot;
  assert.deepEqual(state, { kind: 'needed', since: now, remindAt: null }, 'the prompt is back and the tray keeps the reboot icon');
  rig.scheduler.advance(100 * HOUR);
  assert.equal(rig.reminders, 1, 'one reminder per Later');
  assert.equal(rig.runner.calls.length, 0);
  await rig.controller.dispose();
});

test('Later with a chosen delay, or the delay set in settings, is honoured', async () => {
  const rig = await rigNeedingRestart({ rebootReminderHours: 1 });
  await rig.controller.dispatch('reboot:answer', { answer: 'later' });
  rig.scheduler.advance(HOUR);
  assert.equal(rig.reminders, 1);
  await rig.controller.dispatch('reboot:answer', { answer: 'later', hours: 0.5 });
  rig.scheduler.advance(HOUR / 2);
  assert.equal(rig.reminders, 2);
  await rig.controller.dispose();
});

test('Restart now after Later cancels the reminder', async () => {
  const rig = await rigNeedingRestart();
  await rig.controller.dispatch('reboot:answer', { answer: 'later' });
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  rig.scheduler.advance(10 * HOUR);
  assert.equal(rig.reminders, 0);
  await rig.controller.dispose();
});

test('answers that make no sense now are refused and run nothing', async () => {
  const rig = makeRig();
  for (const answer of ['restart-now', 'abort-restart', 'later'] as const) {
    const reply = await rig.controller.dispatch('reboot:answer', { answer });
    assert.equal(reply.ok, false, answer);
    assert.equal(reply.ok ? '' : reply.error.code, 'failed');
  }
  assert.equal(rig.runner.calls.length, 0);
  assert.deepEqual(rig.controller.getState().reboot, { kind: 'none' });
  await rig.controller.dispose();
});

test('when shutdown.exe fails the user is told and the prompt stays', async () => {
  const rig = await rigNeedingRestart();
  rig.runner.result = { code: 1190, stdout: '', stderr: 'A system shutdown has already been scheduled.(1190)', error: null };
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  assert.equal(reply.ok, false);
  assert.match(reply.ok ? '' : reply.error.message, /already been scheduled/);
  assert.equal(rig.controller.getState().reboot.kind, 'needed');
  assert.equal(rig.controller.getState().notices[0]?.key, 'restart-failed');
  await rig.controller.dispose();
});

test('another update that also needs a restart keeps the first prompt', async () => {
  const rig = await rigNeedingRestart();
  const since = rig.controller.getState().reboot;
  rig.scheduler.advance(HOUR);
  await rig.controller.startUpdate('window');
  rig.engine.finish('reboot-required');
  assert.deepEqual(rig.controller.getState().reboot, since);
  await rig.controller.dispose();
});

const T0 = Date.UTC(2025, 0, 15, 9, 0, 0); // FakeScheduler's start

test('a needed restart and its Later reminder survive the app restarting, until Windows restarts', async () => {
  const saved: RebootState[] = [];
  const store = (initial: RebootState) => ({ load: () => initial, save: (s: RebootState) => Promise.resolve(void saved.push(s)) });
  const bootedLongAgo = T0 - 24 * HOUR;
  // The app was closed after "Later", two hours before the reminder.
  const rig = makeRig({ rebootStore: store({ kind: 'needed', since: T0 - HOUR, remindAt: T0 + 2 * HOUR }), bootTime: bootedLongAgo });
  assert.deepEqual(rig.controller.getState().reboot, { kind: 'needed', since: T0 - HOUR, remindAt: T0 + 2 * HOUR });
  rig.scheduler.advance(2 * HOUR);
  assert.equal(rig.reminders, 1, 'the reminder still comes at its time');
  assert.deepEqual(saved.at(-1), { kind: 'needed', since: T0 - HOUR, remindAt: null }, 'and the change is saved');
  assert.equal(rig.runner.calls.length, 0, 'nothing restarts on its own');
  await rig.controller.dispose();

  // Windows restarted after the prompt was raised: the restart has happened, nothing is asked.
  const afterBoot = makeRig({ rebootStore: store({ kind: 'needed', since: T0 - HOUR, remindAt: null }), bootTime: T0 - 10 * 60_000 });
  assert.deepEqual(afterBoot.controller.getState().reboot, { kind: 'none' });
  await afterBoot.controller.dispose();
});

test('a scheduled restart that never happened (aborted outside the app) is asked for again', () => {
  const scheduledAt = T0 - HOUR;
  const saved: RebootState = { kind: 'restart-scheduled', at: scheduledAt + RESTART_DELAY_SECONDS * 1000 };
  assert.deepEqual(restoreRebootState(saved, T0 - 24 * HOUR, T0), { kind: 'needed', since: scheduledAt, remindAt: null });
  assert.deepEqual(restoreRebootState(saved, scheduledAt + 30_000, T0), { kind: 'none' }, 'Windows booted after it was scheduled');
  const pending: RebootState = { kind: 'restart-scheduled', at: T0 + 30_000 };
  assert.deepEqual(restoreRebootState(pending, T0 - 24 * HOUR, T0), pending, 'still counting down: still offered to abort');
});

test('a restart aborted outside the app (shutdown /a) brings the prompt back once its time has passed', async () => {
  const rig = await rigNeedingRestart();
  const scheduledAt = rig.scheduler.now();
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  // Windows may take a while to close every app after the 60 s: the app still running then is no proof yet.
  rig.scheduler.advance(RESTART_DELAY_SECONDS * 1000 + RESTART_GRACE_MS - 1);
  assert.equal(rig.controller.getState().reboot.kind, 'restart-scheduled');
  rig.scheduler.advance(1);
  assert.deepEqual(rig.controller.getState().reboot, { kind: 'needed', since: scheduledAt, remindAt: null });
  const again = await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  assert.equal(again.ok, true, 'Restart now is offered and works again');
  assert.equal(rig.runner.calls.length, 2);
  await rig.controller.dispose();
});

test('Cancel restart when Windows has no shutdown in progress (1116) goes back to the restart prompt', async () => {
  const rig = await rigNeedingRestart();
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  rig.runner.result = {
    code: 1116,
    stdout: '',
    stderr: 'Unable to abort the system shutdown because no shutdown was in progress.(1116)',
    error: null,
  };
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'abort-restart' });
  assert.equal(reply.ok, true, 'nothing is left to abort: that is what was asked');
  assert.equal(rig.controller.getState().reboot.kind, 'needed');
  assert.deepEqual(rig.controller.getState().notices, []);
  const later = await rig.controller.dispatch('reboot:answer', { answer: 'later' });
  assert.equal(later.ok, true, 'the other answers are accepted again');
  await rig.controller.dispose();
});

test('any other failure of Cancel restart keeps the restart scheduled and says why', async () => {
  const rig = await rigNeedingRestart();
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  rig.runner.result = { code: 5, stdout: '', stderr: 'Access is denied.(5)', error: null };
  const reply = await rig.controller.dispatch('reboot:answer', { answer: 'abort-restart' });
  assert.equal(reply.ok, false);
  assert.equal(rig.controller.getState().reboot.kind, 'restart-scheduled');
  assert.equal(rig.controller.getState().notices[0]?.key, 'restart-failed');
  await rig.controller.dispose();
});

test('a restart time further ahead than the restart delay (a clock change, a damaged file) is not taken as scheduled', async () => {
  const booted = T0 - 24 * HOUR;
  const farAhead: RebootState = { kind: 'restart-scheduled', at: T0 + 3 * HOUR };
  assert.deepEqual(restoreRebootState(farAhead, booted, T0), { kind: 'needed', since: T0, remindAt: null });
  const store = { load: () => farAhead, save: () => Promise.resolve() };
  const rig = makeRig({ rebootStore: store, bootTime: booted });
  assert.equal(rig.controller.getState().reboot.kind, 'needed', 'the app starts with the restart prompt');
  await rig.controller.dispose();
});

test('a restart still counting down when the app starts comes back to the prompt if Windows never restarts', async () => {
  const pending: RebootState = { kind: 'restart-scheduled', at: T0 + 30_000 };
  const rig = makeRig({ rebootStore: { load: () => pending, save: () => Promise.resolve() }, bootTime: T0 - 24 * HOUR });
  assert.deepEqual(rig.controller.getState().reboot, pending);
  rig.scheduler.advance(30_000 + RESTART_GRACE_MS);
  assert.deepEqual(rig.controller.getState().reboot, { kind: 'needed', since: T0 + 30_000 - RESTART_DELAY_SECONDS * 1000, remindAt: null });
  await rig.controller.dispose();
});

test('the restart state file round-trips, and a bad one is simply forgotten', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-reboot-'));
  const store = createRebootStore({ dir });
  assert.deepEqual(store.load(), { kind: 'none' });
  await store.save({ kind: 'needed', since: T0, remindAt: T0 + HOUR });
  assert.deepEqual(createRebootStore({ dir }).load(), { kind: 'needed', since: T0, remindAt: T0 + HOUR });
  writeFileSync(store.path, '{"kind":"needed","since":"yesterday"}');
  assert.deepEqual(createRebootStore({ dir }).load(), { kind: 'none' });
});
