/** The shell on the real engine and binding, over the stand-in MpClient library. Waits for events, never sleeps. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppController, type AppController } from '../../app/main/app-controller';
import { createMemoryHistory, createMemorySettings, type MemoryHistoryPort } from '../support/memory-stores';
import { systemScheduler, type Scheduler } from '../../app/main/ports';
import type { UpdateEngine } from '../../app/main/update/engine-types';
import { openUpdateEngine } from '../../app/main/update/open-engine';
import type { AppEvent, IpcResult } from '../../app/shared/ipc';
import { PROGRESS_RECORD_LIMIT, type StartOutcome, type UpdateOutcome } from '../../app/shared/update';
import { openStandinEngine } from '../support/engine';
import { standinLibraryPath } from '../support/paths';
import { useStandin } from '../support/standin';
import { FakeScheduler, RecordingClipboard, RecordingExporter, RecordingLinks, RecordingPackageDialog, RecordingRunner, SHUTDOWN } from './fakes';

const standin = useStandin({ stepMs: 1 });
after(() => standin.cleanup());

interface RealRig {
  controller: AppController;
  engine: UpdateEngine;
  history: MemoryHistoryPort;
  runner: RecordingRunner;
  events: AppEvent[];
  close(): Promise<void>;
}

function rigOn(engine: UpdateEngine, scheduler: Scheduler = systemScheduler): RealRig {
  const history = createMemoryHistory();
  const runner = new RecordingRunner();
  const controller = createAppController({
    engine,
    settings: createMemorySettings(),
    history,
    runner,
    shutdownPath: SHUTDOWN,
    exporter: new RecordingExporter(),
    clipboard: new RecordingClipboard(),
    packageDialog: new RecordingPackageDialog(),
    links: new RecordingLinks(),
    scheduler,
    appVersion: '0.1.0',
    platform: process.platform,
  });
  const events: AppEvent[] = [];
  controller.subscribe((e) => events.push(e));
  return {
    controller,
    engine,
    history,
    runner,
    events,
    close: async () => {
      await controller.dispose();
      await engine.dispose();
    },
  };
}

async function realRig(scenario: string, scheduler?: Scheduler): Promise<RealRig> {
  standin.apply({ scenario });
  return rigOn(await openStandinEngine(), scheduler);
}

function finished(controller: AppController): Promise<UpdateOutcome> {
  return new Promise((resolve) => {
    const off = controller.subscribe((e) => {
      if (e.type === 'finished') {
        off();
        resolve(e.outcome);
      }
    });
  });
}

test('an update from the window on Defender ends in history with the new version', async () => {
  const rig = await realRig('updated');
  const done = finished(rig.controller);
  const reply = await rig.controller.dispatch('update:start', undefined);
  assert.equal(reply.ok, true);
  const outcome = await done;
  assert.equal(outcome.result, 'succeeded');
  const entry = rig.history.saved.at(-1)?.at(-1);
  assert.equal(entry?.result, 'succeeded');
  assert.equal(entry?.trigger, 'window');
  assert.notEqual(entry?.versionAfter, entry?.versionBefore);
  const states = rig.events.filter((e): e is Extract<AppEvent, { type: 'state' }> => e.type === 'state');
  assert.equal(states.at(-1)?.state.update.phase, 'succeeded');
  assert.equal(rig.events.at(-1)?.type, 'finished');
  assert.equal(rig.controller.getState().versions?.antivirus.version, entry?.versionAfter);
  await rig.close();
});

test('the tray joins the update the window started on Defender', async () => {
  const rig = await realRig('slow');
  const done = finished(rig.controller);
  const fromWindow = (await rig.controller.dispatch('update:start', undefined)) as IpcResult<StartOutcome>;
  const fromTray = await rig.controller.startUpdate('tray');
  assert.ok(fromWindow.ok && fromTray.ok);
  assert.equal(fromWindow.value.joined, false);
  assert.deepEqual(fromTray.value, { runId: fromWindow.value.runId, joined: true });
  await done;
  assert.equal(rig.history.saved.at(-1)?.length, 1, 'one update, one history line');
  await rig.close();
});

test('a storm of 10,000 notifications from Defender reaches the window as one progress message per frame, carrying only what its log keeps', async () => {
  const scheduler = new FakeScheduler();
  const rig = await realRig('storm', scheduler);
  const done = finished(rig.controller);
  await rig.controller.startUpdate('window');
  const outcome = await done;
  // No frame elapsed on the fake clock, so everything waited for the final flush.
  assert.deepEqual(
    rig.events.map((e) => e.type),
    ['progress', 'state', 'finished'],
  );
  const progress = rig.events[0];
  assert.ok(progress?.type === 'progress');
  assert.equal(progress.update.phase, 'succeeded');
  const total = progress.update.notificationCount;
  assert.ok(total >= 10_000);
  // The newest 30, in order, and the count of the rest: every notification is accounted for, none is sent twice.
  assert.equal(progress.records.length, PROGRESS_RECORD_LIMIT);
  assert.equal(progress.omitted, total - PROGRESS_RECORD_LIMIT);
  assert.deepEqual(
    progress.records.map((r) => r.seq),
    progress.records.map((_, i) => total - PROGRESS_RECORD_LIMIT + 1 + i),
  );
  assert.equal(outcome.result, 'succeeded');
  const state = rig.events[1];
  assert.ok(state?.type === 'state');
  assert.deepEqual(state.state, rig.controller.getState());
  assert.equal(state.state.update.phase, 'succeeded');
  await rig.close();
});

test('when Defender needs a restart, the prompt waits for the click before shutdown.exe runs', async () => {
  const rig = await realRig('reboot');
  const done = finished(rig.controller);
  await rig.controller.startUpdate('window');
  assert.equal((await done).result, 'reboot-required');
  assert.equal(rig.controller.getState().reboot.kind, 'needed');
  assert.equal(rig.runner.calls.length, 0);
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  assert.equal(rig.runner.calls.length, 1);
  assert.deepEqual(rig.runner.calls[0]?.args.slice(0, 3), ['/r', '/t', '60']);
  await rig.close();
});

test('Access denied from Defender is recorded with its code', async () => {
  const rig = await realRig('access-denied');
  const done = finished(rig.controller);
  await rig.controller.startUpdate('command-line');
  const outcome = await done;
  assert.equal(outcome.result, 'failed');
  assert.equal(rig.history.saved.at(-1)?.at(-1)?.hresult, '0x80070005');
  assert.equal(rig.controller.getState().lastOutcome?.result, 'failed');
  await rig.close();
});

test('Cancel on Defender ends the update as cancelled', async () => {
  standin.apply({ scenario: 'stalled', admin: true });
  const rig = rigOn(await openStandinEngine());
  const done = finished(rig.controller);
  await rig.controller.startUpdate('window');
  const cancel = await rig.controller.dispatch('update:cancel', undefined);
  assert.ok(cancel.ok);
  assert.equal((await done).result, 'cancelled');
  standin.apply({ admin: false });
  await rig.close();
});

test('without Defender the state says unavailable and Update is refused', async () => {
  const engine = await openUpdateEngine({ env: {}, platform: 'linux', trustEnvironment: true, demo: false });
  const rig = rigOn(engine);
  const state = rig.controller.getState();
  assert.equal(state.availability.kind, 'unavailable');
  assert.equal(state.availability.demo, false);
  const reply = await rig.controller.dispatch('update:start', undefined);
  assert.equal(reply.ok ? '' : reply.error.code, 'unavailable');
  await rig.close();
});

test('demo mode runs on the stand-in and the state carries the demo flag', async () => {
  standin.apply({ scenario: 'up-to-date' });
  const env = { ...process.env };
  const engine = await openUpdateEngine({
    env,
    platform: process.platform,
    trustEnvironment: false,
    demo: true,
    demoLibraryPath: standinLibraryPath(),
  });
  const rig = rigOn(engine);
  assert.deepEqual(rig.controller.getState().availability, { kind: 'available', libraryPath: standinLibraryPath(), demo: true });
  const done = finished(rig.controller);
  await rig.controller.startUpdate('window');
  assert.equal((await done).result, 'up-to-date');
  await rig.close();
});
