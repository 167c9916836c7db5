import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent } from '../../app/shared/ipc';
import { PROGRESS_RECORD_LIMIT, type NotificationRecord } from '../../app/shared/update';
import { FRAME_MS } from '../../app/main/event-coalescer';
import { makeRig } from './fakes';

type Timed = { at: number; event: AppEvent };

test('a storm of 10,000 engine events reaches the window as at most one progress message per frame, and the last one is final', async () => {
  const rig = makeRig();
  const timed: Timed[] = [];
  rig.controller.subscribe((event) => timed.push({ at: rig.scheduler.now(), event }));
  await rig.controller.startUpdate('window');
  const startedAt = rig.scheduler.now();
  // 10,000 progress notifications over one simulated second: ten per millisecond.
  for (let i = 1; i <= 10_000; i++) {
    rig.engine.progress(i % 100);
    if (i % 10 === 0) rig.scheduler.advance(1);
  }
  rig.engine.finish('succeeded');
  const elapsed = rig.scheduler.now() - startedAt;

  const progress = timed.filter((t): t is { at: number; event: Extract<AppEvent, { type: 'progress' }> } => t.event.type === 'progress');
  assert.ok(progress.length <= Math.ceil(elapsed / FRAME_MS) + 2, `${progress.length} progress events in ${elapsed} simulated ms`);
  assert.ok(progress.length >= 10, 'the window still sees progress along the way');
  // Frames are at least FRAME_MS apart, except the flush that delivers the final snapshot with the outcome.
  for (let i = 1; i < progress.length - 1; i++) assert.ok(progress[i]!.at - progress[i - 1]!.at >= FRAME_MS);
  // Progress is not a whole state: settings, notices and history do not travel with every frame.
  assert.ok(timed.filter((t) => t.event.type === 'state').length <= 2, 'a full state only when something else changed');

  // Every notification is accounted for once, in order: sent (the newest of each frame) or counted as left out.
  const seqs = progress.flatMap((t) => t.event.records.map((r: NotificationRecord) => r.seq));
  const omitted = progress.reduce((sum, t) => sum + t.event.omitted, 0);
  assert.equal(seqs.length + omitted, 10_000);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'records arrive in order',
  );
  assert.ok(progress.every((t) => t.event.records.length <= PROGRESS_RECORD_LIMIT));

  const last = progress.at(-1)?.event;
  assert.equal(last?.update.phase, 'succeeded');
  assert.deepEqual(last?.update, rig.controller.getState().update);
  assert.equal(timed.at(-1)?.event.type, 'finished');
  await rig.controller.dispose();
});

test('the final state is delivered at once when an update ends, without waiting for the next frame', async () => {
  const rig = makeRig();
  await rig.controller.startUpdate('window');
  for (let i = 0; i < 500; i++) rig.engine.progress(i % 100);
  rig.engine.finish('up-to-date');
  // No time has passed at all: everything so far came out as one progress message, one state and the outcome.
  assert.deepEqual(
    rig.events.map((e) => e.type),
    ['progress', 'state', 'finished'],
  );
  rig.scheduler.advance(1000);
  assert.equal(rig.events.length, 3, 'nothing stale follows the outcome');
  await rig.controller.dispose();
});

test('a quiet change (a setting) still reaches the window within one frame', async () => {
  const rig = makeRig();
  await rig.controller.dispatch('settings:set', { language: 'en' });
  assert.equal(rig.events.length, 0);
  rig.scheduler.advance(FRAME_MS);
  assert.equal(rig.events.length, 1);
  const event = rig.events[0];
  assert.equal(event?.type === 'state' && event.state.settings.language, 'en');
  await rig.controller.dispose();
});
