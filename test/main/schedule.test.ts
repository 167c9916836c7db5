/** The automatic check counts from the last check, survives restarts, sleep and a clock set back, and stays off by default. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCheckSchedule, OVERDUE_DELAY_MS, type ScheduleStatus } from '../../app/main/schedule';
import { FakeScheduler, makeRig } from './fakes';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function scheduleRig(lastCheckAt: number | null = null, clock = new FakeScheduler()) {
  let runs = 0;
  const changes: ScheduleStatus[] = [];
  const schedule = createCheckSchedule({ clock, lastCheckAt, run: () => (runs += 1), onChange: (s) => changes.push(s) });
  return { clock, schedule, changes, runs: () => runs };
}

test('off by default: nothing is ever planned or run', () => {
  const { clock, schedule, runs } = scheduleRig(Date.UTC(2020, 0, 1));
  clock.advance(100 * HOUR);
  assert.equal(runs(), 0);
  assert.equal(schedule.status().nextCheckAt, null);
});

test('the next check is one interval after the last one, not after the app started', () => {
  const clock = new FakeScheduler();
  const { schedule, runs } = scheduleRig(clock.now() - 20 * HOUR, clock);
  schedule.configure(24);
  assert.equal(schedule.status().nextCheckAt, clock.now() + 4 * HOUR, 'the last check was 20 hours ago');
  clock.advance(4 * HOUR - 1);
  assert.equal(runs(), 0);
  clock.advance(1);
  assert.equal(runs(), 1);
});

test('a laptop used 8 hours a day still gets its daily check: the plan survives each restart', () => {
  const clock = new FakeScheduler();
  let last: number | null = null;
  let checks = 0;
  for (let day = 0; day < 3; day++) {
    // The app runs 8 hours, then the laptop is shut down for 16.
    const schedule = createCheckSchedule({
      clock,
      lastCheckAt: last,
      run: () => {
        checks += 1;
      },
      onChange: (s) => (last = s.lastCheckAt),
    });
    schedule.configure(24);
    clock.advance(8 * HOUR);
    schedule.dispose();
    clock.moveWallClock(16 * HOUR);
  }
  assert.equal(checks, 3, 'one check a day, each within a minute of the laptop starting');
});

test('a check that is due at start runs a minute after start; never run before, too', () => {
  const clock = new FakeScheduler();
  const { schedule, runs } = scheduleRig(clock.now() - 30 * HOUR, clock);
  schedule.configure(24);
  assert.equal(schedule.status().nextCheckAt, clock.now() + OVERDUE_DELAY_MS);
  clock.advance(MINUTE - 1);
  assert.equal(runs(), 0);
  clock.advance(1);
  assert.equal(runs(), 1);
  const fresh = scheduleRig(null);
  fresh.schedule.configure(4);
  fresh.clock.advance(MINUTE);
  assert.equal(fresh.runs(), 1);
});

test('any check, whoever started it, moves the next one: an update from the window at 10 h pushes the 24 h check', () => {
  const clock = new FakeScheduler();
  const { schedule, runs } = scheduleRig(clock.now(), clock);
  schedule.configure(24);
  clock.advance(10 * HOUR);
  schedule.checked(clock.now());
  assert.equal(schedule.status().lastCheckAt, clock.now());
  clock.advance(23 * HOUR);
  assert.equal(runs(), 0);
  clock.advance(HOUR);
  assert.equal(runs(), 1);
  assert.equal(schedule.status().nextCheckAt, clock.now() + 24 * HOUR, 'the next from this one');
});

test('after sleep, what fell due runs a minute after wake-up; what did not is re-planned from the wall clock', () => {
  const clock = new FakeScheduler();
  const { schedule, runs } = scheduleRig(clock.now(), clock);
  schedule.configure(8);
  clock.advance(2 * HOUR);
  clock.moveWallClock(10 * HOUR); // asleep: timers stand still, the wall clock does not
  assert.equal(runs(), 0);
  schedule.resume();
  assert.equal(schedule.status().nextCheckAt, clock.now() + OVERDUE_DELAY_MS);
  clock.advance(MINUTE);
  assert.equal(runs(), 1);
  clock.advance(2 * HOUR);
  clock.moveWallClock(HOUR); // a short nap: 3 hours since the check, 5 still to go
  schedule.resume();
  assert.equal(schedule.status().nextCheckAt, clock.now() + 5 * HOUR);
  assert.equal(runs(), 1);
});

test('a clock set back never pushes the next check further than one interval from now', () => {
  const clock = new FakeScheduler();
  const { schedule, runs } = scheduleRig(clock.now(), clock);
  schedule.configure(4);
  clock.moveWallClock(-48 * HOUR);
  schedule.resume();
  assert.equal(schedule.status().nextCheckAt, clock.now() + 4 * HOUR, 'not 52 hours out');
  clock.advance(4 * HOUR);
  assert.equal(runs(), 1);
  // A timer armed before the clock moved still fires after its own elapsed time.
  clock.moveWallClock(-24 * HOUR);
  clock.advance(4 * HOUR);
  assert.equal(runs(), 2);
});

test('the last check is reported for the window and persisted at each change; the schedule ends with the app', () => {
  const clock = new FakeScheduler();
  const { schedule, changes, runs } = scheduleRig(null, clock);
  schedule.configure(4);
  clock.advance(MINUTE);
  assert.equal(runs(), 1);
  assert.equal(changes.at(-1)?.lastCheckAt, clock.now(), 'the attempt counts as the check, whatever its result');
  schedule.configure(0);
  assert.equal(changes.at(-1)?.nextCheckAt, null);
  schedule.configure(8);
  schedule.dispose();
  clock.advance(100 * HOUR);
  assert.equal(runs(), 1, 'nothing runs once the app has quit');
  assert.equal(clock.pendingTimers, 0);
});

test('a scheduled check starts an update marked as scheduled', async () => {
  const rig = makeRig();
  const schedule = createCheckSchedule({ clock: rig.scheduler, lastCheckAt: null, run: () => void rig.controller.startUpdate('schedule') });
  schedule.configure(8);
  rig.scheduler.advance(OVERDUE_DELAY_MS);
  await Promise.resolve();
  assert.equal(rig.engine.starts[0]?.trigger, 'schedule');
  schedule.dispose();
  await rig.controller.dispose();
});
