/**
 * The composed core (what the app and the browser harness run) on the stand-in MpClient and real files: the schedule
 * and the freshness watch are wired to the controller, their records survive a restart, and "Check again" finds a
 * Defender that was missing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { composeApp, type ComposedApp, type ComposeOptions } from '../../app/main/compose-app';
import type { FreshnessAlert } from '../../app/main/freshness';
import { systemScheduler, type Scheduler } from '../../app/main/ports';
import type { UpdateOutcome } from '../../app/shared/update';
import { resolvePolicies } from '../../app/shared/policy';
import { useStandin } from '../support/standin';
import { FakeScheduler, recordingShellPorts } from './fakes';
import { until } from '../support/until';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const standin = useStandin({ stepMs: 1 });
after(() => standin.cleanup());

// Every composed app is disposed after its test, passed or failed: a failed assertion must not leave the engine's
// threads and timers keeping this file's process alive. dispose() runs once however often it is called.
const composed: ComposedApp[] = [];
afterEach(async () => {
  await Promise.all(composed.splice(0).map((app) => app.dispose()));
});

async function compose(userData: string, more: Partial<ComposeOptions> & { scheduler?: Scheduler } = {}) {
  const app = await composeApp({
    userData,
    engine: { env: process.env, platform: process.platform, trustEnvironment: true, demo: false, log: () => undefined },
    ...recordingShellPorts(),
    appVersion: '0.1.0',
    ...more,
  });
  composed.push(app);
  return app;
}

test('the last check is kept across a restart; the window sees when it was and when the next one is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-compose-'));
  const first = await compose(dir, { scheduler: systemScheduler });
  await first.controller.dispatch('settings:set', { autoCheckHours: 4 });
  let outcome: UpdateOutcome | null = null;
  first.controller.subscribe((event) => {
    if (event.type === 'finished') outcome = event.outcome;
  });
  await first.controller.startUpdate('window');
  await until(() => outcome !== null, 'the update to end');
  const endedAt = (outcome as UpdateOutcome | null)!.endedAt;
  assert.deepEqual(first.controller.getState().schedule, { lastCheckAt: endedAt, nextCheckAt: endedAt + 4 * HOUR });
  await first.dispose();
  assert.equal((JSON.parse(readFileSync(join(dir, 'schedule.json'), 'utf8')) as { lastCheckAt: number }).lastCheckAt, endedAt);

  const second = await compose(dir, { scheduler: systemScheduler });
  assert.deepEqual(
    second.controller.getState().schedule,
    { lastCheckAt: endedAt, nextCheckAt: endedAt + 4 * HOUR },
    'counted from the check, not from the start',
  );
  await second.dispose();
});

test('stale security intelligence at start notifies once; a restart the same day stays quiet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-compose-'));
  // The stand-in's security intelligence was updated a few days ago; ten days later it is stale.
  const clock = new FakeScheduler(Date.now() + 10 * DAY);
  const alerts: FreshnessAlert[] = [];
  const first = await compose(dir, { scheduler: clock, notifyFreshness: (alert) => alerts.push(alert) });
  await until(() => alerts.length > 0, 'the freshness notification');
  assert.equal(alerts[0]?.kind, 'old');
  assert.ok(alerts[0]?.kind === 'old' && alerts[0].days > 7);
  assert.ok(first.controller.getState().versions, 'the versions it read are in the window too');
  await first.dispose();

  const second = await compose(dir, { scheduler: clock, notifyFreshness: (alert) => alerts.push(alert) });
  await second.engineReady;
  await second.resume();
  assert.ok(second.controller.getState().versions, 'it looked');
  assert.equal(alerts.length, 1, 'not again within the day');
  await second.dispose();
});

test('Check again finds a Defender that was missing at start, and Update works without restarting the app', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-compose-'));
  const env: Record<string, string | undefined> = { ...process.env, MPCLIENT_PATH: join(dir, 'not-there', 'MpClient.dll') };
  const core = await compose(dir, { engine: { env, platform: process.platform, trustEnvironment: true, demo: false, log: () => undefined } });
  await core.engineReady;
  assert.equal(core.controller.getState().availability.kind, 'unavailable');
  const still = await core.controller.dispatch('availability:recheck', undefined);
  assert.equal(still.ok && (still.value as { kind: string }).kind, 'unavailable', 'nothing changed yet');
  env.MPCLIENT_PATH = process.env.MPCLIENT_PATH; // the library is there now (Defender's service came back)
  const found = await core.controller.dispatch('availability:recheck', undefined);
  assert.equal(found.ok && (found.value as { kind: string }).kind, 'available');
  assert.equal(core.controller.getState().availability.kind, 'available');
  let outcome: UpdateOutcome | null = null;
  core.controller.subscribe((event) => {
    if (event.type === 'finished') outcome = event.outcome;
  });
  assert.equal((await core.controller.startUpdate('window')).ok, true);
  await until(() => outcome !== null, 'the update to end');
  assert.equal((outcome as UpdateOutcome | null)?.result, 'succeeded');
  await core.dispose();
});

test('AutoCheckHours=6 by policy (not one of the window’s choices) is the interval the schedule runs at, and follows a change on focus', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'du-compose-'));
  let hours = 6;
  const policies = { read: () => ({ policies: resolvePolicies({ AutoCheckHours: { type: 'REG_DWORD', data: hours } }, {}), problem: null }) };
  const core = await compose(dir, { scheduler: systemScheduler, policies });
  await core.engineReady;
  let ended = false;
  core.controller.subscribe((event) => (ended ||= event.type === 'finished'));
  await core.controller.startUpdate('window');
  await until(() => ended, 'the update to end');
  const last = core.controller.getState().schedule.lastCheckAt!;
  assert.equal(core.controller.getState().schedule.nextCheckAt, last + 6 * HOUR);
  hours = 2;
  core.controller.rereadPolicies();
  assert.equal(core.controller.getState().schedule.nextCheckAt, last + 2 * HOUR);
  await core.dispose();
});
