/** Watching freshness: at start, hourly and on wake-up; one notification a day at most; off when the setting says so. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFreshnessWatch, freshnessAlert, NOTIFY_AT_MOST_EVERY_MS, WATCH_INTERVAL_MS, type FreshnessAlert } from '../../app/main/freshness';
import type { DefenderVersions, UpdateResult } from '../../app/shared/update';
import { FakeScheduler, settle, versionsWith } from './fakes';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function updatedAgo(clock: FakeScheduler, ms: number): DefenderVersions {
  const v = versionsWith('1.400.0.0');
  return { ...v, antivirus: { version: '1.400.0.0', updatedAt: new Date(clock.now() - ms).toISOString() } };
}

function watchRig(
  options: { versions?: (clock: FakeScheduler) => DefenderVersions | null; results?: UpdateResult[]; notifiedAt?: number | null } = {},
) {
  const clock = new FakeScheduler();
  const alerts: FreshnessAlert[] = [];
  const saved: number[] = [];
  let enabled = true;
  let reads = 0;
  let versions = options.versions ?? ((c: FakeScheduler) => updatedAgo(c, DAY));
  let results = options.results ?? ['succeeded'];
  const watch = createFreshnessWatch({
    clock,
    enabled: () => enabled,
    readVersions: () => {
      reads += 1;
      return Promise.resolve(versions(clock));
    },
    recentResults: () => Promise.resolve(results),
    notify: (alert) => alerts.push(alert),
    notifiedAt: options.notifiedAt ?? null,
    saveNotifiedAt: (at) => saved.push(at),
  });
  return {
    clock,
    watch,
    alerts,
    saved,
    reads: () => reads,
    setEnabled: (value: boolean) => (enabled = value),
    setVersions: (next: (c: FakeScheduler) => DefenderVersions | null) => (versions = next),
    setResults: (next: UpdateResult[]) => (results = next),
  };
}

test('fresh security intelligence and working updates say nothing', async () => {
  const rig = watchRig();
  rig.watch.start();
  await settle();
  assert.equal(rig.reads(), 1, 'the versions are read at start');
  assert.deepEqual(rig.alerts, []);
});

test('security intelligence more than 7 days old gets one notification saying how old', async () => {
  const rig = watchRig({ versions: (c) => updatedAgo(c, 11 * DAY + HOUR) });
  rig.watch.start();
  await settle();
  assert.deepEqual(rig.alerts, [{ kind: 'old', days: 11 }]);
  assert.deepEqual(rig.saved, [rig.clock.now()], 'when it was shown is kept for the next start');
  assert.equal(freshnessAlert(updatedAgo(rig.clock, 7 * DAY), [], rig.clock.now()), null, 'exactly 7 days is not yet stale');
});

test('the last three checks failing gets a notification too, even while security intelligence is young', async () => {
  const rig = watchRig({ results: ['failed', 'failed', 'failed', 'succeeded'] });
  rig.watch.start();
  await settle();
  assert.deepEqual(rig.alerts, [{ kind: 'failing' }]);
  assert.equal(freshnessAlert(updatedAgo(rig.clock, DAY), ['failed', 'failed', 'succeeded'], rig.clock.now()), null, 'two are not three');
  assert.equal(freshnessAlert(updatedAgo(rig.clock, DAY), ['failed', 'failed'], rig.clock.now()), null);
});

test('it looks every hour, and notifies once a day at most, across restarts of the app', async () => {
  const rig = watchRig();
  rig.watch.start();
  await settle();
  rig.setVersions((c) => updatedAgo(c, 8 * DAY));
  rig.clock.advance(WATCH_INTERVAL_MS);
  await settle();
  assert.equal(rig.reads(), 2, 'read again an hour later');
  assert.equal(rig.alerts.length, 1);
  for (let hour = 0; hour < 23; hour++) {
    rig.clock.advance(WATCH_INTERVAL_MS);
    await settle();
  }
  assert.equal(rig.alerts.length, 1, 'not again within the day');
  rig.clock.advance(WATCH_INTERVAL_MS);
  await settle();
  assert.equal(rig.alerts.length, 2, 'again the next day, if it is still stale');
  rig.watch.dispose();

  const restarted = watchRig({ versions: (c) => updatedAgo(c, 9 * DAY), notifiedAt: new FakeScheduler().now() - HOUR });
  restarted.watch.start();
  await settle();
  assert.deepEqual(restarted.alerts, [], 'an app restarted an hour after the notification stays quiet');
});

test('waking up from sleep looks at once: a week asleep shows the notification on wake-up', async () => {
  const rig = watchRig({ versions: (c) => updatedAgo(c, 2 * DAY) });
  rig.watch.start();
  await settle();
  const updated = rig.clock.now() - 2 * DAY;
  rig.setVersions(() => ({ ...versionsWith('1.400.0.0'), antivirus: { version: '1.400.0.0', updatedAt: new Date(updated).toISOString() } }));
  rig.clock.moveWallClock(7 * DAY);
  assert.deepEqual(rig.alerts, []);
  assert.deepEqual(await rig.watch.resume(), { kind: 'old', days: 9 });
  assert.deepEqual(rig.alerts, [{ kind: 'old', days: 9 }]);
});

test('a clock set back past the last notification does not hold it back for days', async () => {
  const start = new FakeScheduler().now();
  const rig = watchRig({ versions: (c) => updatedAgo(c, 10 * DAY), notifiedAt: start + 5 * DAY });
  rig.watch.start();
  await settle();
  assert.deepEqual(rig.alerts, [], 'not right away');
  assert.deepEqual(rig.saved, [start], 'the day is counted from now instead');
  rig.clock.advance(NOTIFY_AT_MOST_EVERY_MS);
  await settle();
  assert.equal(rig.alerts.length, 1, 'a day later, not five');
});

test('off when the setting is off: nothing is read or shown', async () => {
  const rig = watchRig({ versions: (c) => updatedAgo(c, 30 * DAY) });
  rig.setEnabled(false);
  rig.watch.start();
  rig.clock.advance(5 * WATCH_INTERVAL_MS);
  await settle();
  assert.equal(rig.reads(), 0);
  assert.deepEqual(rig.alerts, []);
  rig.setEnabled(true);
  await rig.watch.resume();
  assert.equal(rig.alerts.length, 1);
  rig.watch.dispose();
  assert.equal(rig.clock.pendingTimers, 0);
});
