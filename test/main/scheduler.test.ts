/** The app's real timers (systemScheduler), under node:test's mock timers, which overflow past 24.8 days as Node's do. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { MAX_TIMER_MS, systemScheduler } from '../../app/main/ports';

const DAY = 86_400_000;

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('a reminder 30 days ahead fires after 30 days, not within milliseconds', () => {
  let fired = 0;
  systemScheduler.setTimeout(() => (fired += 1), 30 * DAY);
  mock.timers.tick(5);
  assert.equal(fired, 0, 'Node alone fires a delay past 2^31-1 ms after 1 ms');
  // The mock runs a callback that sets a timer at the end of the tick, so each tick ends where a chunk does.
  mock.timers.tick(MAX_TIMER_MS - 5);
  assert.equal(fired, 0, 'after 24.8 days');
  mock.timers.tick(30 * DAY - MAX_TIMER_MS - 1);
  assert.equal(fired, 0, 'one millisecond early is still early');
  mock.timers.tick(1);
  assert.equal(fired, 1);
  mock.timers.tick(60 * DAY);
  assert.equal(fired, 1, 'it fires once');
});

test('a long timer can be cleared in any of its chunks', () => {
  let fired = 0;
  const early = systemScheduler.setTimeout(() => (fired += 1), 40 * DAY);
  const late = systemScheduler.setTimeout(() => (fired += 1), 60 * DAY);
  systemScheduler.clearTimeout(early);
  mock.timers.tick(30 * DAY);
  systemScheduler.clearTimeout(late);
  mock.timers.tick(60 * DAY);
  assert.equal(fired, 0);
});

test('short delays are unchanged', () => {
  let fired = 0;
  systemScheduler.setTimeout(() => (fired += 1), 1_000);
  mock.timers.tick(999);
  assert.equal(fired, 0);
  mock.timers.tick(1);
  assert.equal(fired, 1);
});
