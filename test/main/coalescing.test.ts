import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent } from '../../app/shared/ipc';
import type { NotificationRecord } from '../../app/shared/update';
import { FRAME_MS } from '../../app/main/event-coalescer';
import { makeRig } from './fakes';

type Timed = { at: number; event: AppEvent };

test('a storm of 10,000 engine events reaches the window as at most one state per frame, and the last one is final', async () => {
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

  const states = timed.filter((t) => t.event.type === 'state');
  assert.ok(states.length <= Math.ceil(elapsed / FRAME_MS) + 2, `${states.length} state events in ${elapsed} simulated ms`);
  assert.ok(states.length >= 10, 'the window still sees progress along the way');
  // Frames are at least FRAME_MS apart, except the flush that delivers the final state with the outcome.
  for (let i = 1; i < states.length - 1; i++) assert.ok(states[i]!.at - states[i - 1]!.at >= FRAME_MS);

  const batches = timed.filter((t) => t.event.type === 'notifications');
  assert.ok(batches.length <= Math.ceil(elapsed / FRAME_MS) + 2);
  const seqs = batches.flatMap((t) => (t.event as { records: NotificationRecord[] }).records.map((r) => r.seq));
  assert.deepEqual(
    seqs,
    Array.from({ length: 10_000 }, (_, i) => i + 1),
    'every notification arrives once, in order',
  );

  const final = states.at(-1)?.event;
  assert.ok(final?.type === 'state');
  assert.deepEqual(final.state, rig.controller.getState());
  assert.equal(final.state.update.phase, 'succeeded');
  assert.equal(timed.at(-1)?.event.type, 'finished');
  await rig.controller.dispose();
});

test('the final state is delivered at once when an update ends, without waiting for the next frame', async () => {
  const rig = makeRig();
  await rig.controller.startUpdate('window');
  for (let i = 0; i < 500; i++) rig.engine.progress(i % 100);
  rig.engine.finish('up-to-date');
  // No time has passed at all: everything so far came out as one batch, one state and the outcome.
  assert.deepEqual(
    rig.events.map((e) => e.type),
    ['notifications', 'state', 'finished'],
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
