/**
 * The app while Defender has not answered MpManagerOpen yet, and the app quitting while Defender holds a call: first
 * with fakes (an engine that arrives when the test says), then the composed app on the real engine and the stand-in's
 * hanging scenarios. A hung call is released after each test, so this process can end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import type { AppEvent } from '../../app/shared/ipc';
import type { HistoryEntry } from '../../app/shared/app-state';
import { message } from '../../app/shared/messages';
import { composeApp, type ComposedApp } from '../../app/main/compose-app';
import { EngineHolder } from '../../app/main/engine-holder';
import { trayMenuTemplate, trayTooltip } from '../../app/main/tray';
import type { UpdateEngine } from '../../app/main/update/engine-types';
import { openStandinEngine } from '../support/engine';
import { hungStandinCalls, releaseStandinHangs, useStandin } from '../support/standin';
import { FakeEngine, FakeScheduler, makeRig, recordingShellPorts, settle } from './fakes';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('before Defender answers, the app already has a state to show: connecting, Update refused, nothing started', async () => {
  const arriving = deferred<UpdateEngine>();
  const holder = new EngineHolder(arriving.promise, false);
  const rig = makeRig({ engine: holder as unknown as FakeEngine, engineReady: holder.ready });
  const state = rig.controller.getState();
  assert.deepEqual(state.availability, { kind: 'connecting', demo: false });
  assert.equal(trayTooltip(state, 'en'), 'Defender Updater: Connecting to Defender…');
  assert.equal(trayMenuTemplate(state, 'en', { startUpdate() {}, cancelUpdate() {}, open() {}, quit() {} })[0]?.enabled, false);
  const refused = await rig.controller.startUpdate('tray');
  assert.deepEqual(refused, { ok: false, error: { code: 'unavailable', message: 'Defender has not answered yet.' } });

  const engine = new FakeEngine();
  arriving.resolve(engine);
  await holder.ready;
  await settle();
  rig.scheduler.advance(100);
  const last = rig.events.filter((event): event is Extract<AppEvent, { type: 'state' }> => event.type === 'state').at(-1);
  assert.equal(last?.state.availability.kind, 'available', 'the window is told Defender answered');
  assert.equal(rig.controller.getState().versions?.antivirus.version, '1.400.0.0', "Defender's versions are read once it answers");
  const started = await rig.controller.startUpdate('tray');
  assert.equal(started.ok, true);
  assert.equal(engine.starts.length, 1);
  await rig.controller.dispose();
});

test('quitting before Defender has answered ends at the deadline, naming MpManagerOpen; an engine arriving later is closed', async () => {
  const arriving = deferred<UpdateEngine>();
  const holder = new EngineHolder(arriving.promise, false);
  assert.deepEqual(await holder.dispose({ deadlineMs: 20 }), { unanswered: 'MpManagerOpen' });
  assert.equal(holder.pendingNativeCall(), 'MpManagerOpen', 'what tells the app to end its process instead of waiting');
  let disposed = 0;
  const late = Object.assign(new FakeEngine(), { dispose: () => Promise.resolve(void (disposed += 1)).then(() => ({ unanswered: null })) });
  arriving.resolve(late);
  await holder.ready;
  assert.equal(disposed, 1);
});

// The composed app on the real engine and the stand-in.
const standin = useStandin();
after(() => standin.cleanup());
const opened: ComposedApp[] = [];
const folders: string[] = [];

afterEach(async () => {
  releaseStandinHangs();
  await Promise.all(opened.splice(0).map((app) => app.dispose()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function compose(scenario: string, engine: { openDeadlineMs?: number } = {}) {
  standin.apply({ scenario, stepMs: 1 });
  rmSync(standin.stateFile, { force: true });
  const userData = mkdtempSync(join(tmpdir(), 'du-connecting-'));
  folders.push(userData);
  const app = await composeApp({
    userData,
    engine: { env: process.env, platform: process.platform, trustEnvironment: true, demo: false, log: () => undefined, ...engine },
    ...recordingShellPorts(),
    appVersion: '0.1.0',
    scheduler: new FakeScheduler(),
    disposeDeadlineMs: 300,
  });
  opened.push(app);
  return { app, userData };
}

async function until(what: string, predicate: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const historyIn = (userData: string) => (JSON.parse(readFileSync(join(userData, 'history.json'), 'utf8')) as { entries: HistoryEntry[] }).entries;

test('MpManagerOpen never returns: the app is there at once, connecting, then says Defender did not answer', async () => {
  const { app } = await compose('open-hangs', { openDeadlineMs: 200 });
  assert.deepEqual(app.controller.getState().availability, { kind: 'connecting', demo: false }, 'composed without waiting for Defender');
  await until('MpManagerOpen is hung', () => hungStandinCalls() === 1);
  await app.engineReady;
  const availability = app.controller.getState().availability;
  assert.equal(availability.kind, 'unavailable');
  assert.equal(availability.kind === 'unavailable' ? availability.reason : '', 'no-answer');
  assert.equal(app.engine.pendingNativeCall(), 'MpManagerOpen', 'quitting now ends the process rather than wait for the call');
});

test('a Defender that answers: connecting for a moment, then available with its versions', async () => {
  const { app } = await compose('updated');
  assert.equal(app.controller.getState().availability.kind, 'connecting');
  await app.engineReady;
  assert.equal(app.controller.getState().availability.kind, 'available');
  await until('versions read', () => app.controller.getState().versions !== null);
});

for (const [scenario, call] of [
  ['start-hangs', 'MpUpdateStart'],
  ['close-hangs', 'MpHandleClose'],
] as const) {
  test(`quitting while ${call} never returns ends at the deadline and history records "Defender did not answer"`, async () => {
    const { app, userData } = await compose(scenario);
    await app.engineReady;
    const started = await app.controller.startUpdate('window');
    assert.equal(started.ok, true);
    await until(`${call} is hung`, () => hungStandinCalls() === 1);

    await app.dispose();

    assert.equal(app.engine.pendingNativeCall(), call, 'the call is still out: the app ends its process instead of waiting');
    const last = historyIn(userData).at(-1);
    assert.equal(last?.result, 'failed');
    assert.deepEqual(last?.message, message('error.message.noAnswer', { call }));
  });
}

test('a subscriber that asks for every record gets every one through the holder, even one that subscribed while connecting', async () => {
  standin.apply({ scenario: 'storm', stepMs: 0 });
  rmSync(standin.stateFile, { force: true });
  const arriving = deferred<UpdateEngine>();
  const holder = new EngineHolder(arriving.promise, false);
  const every: number[] = [];
  const newest: { records: number; omitted: number }[] = [];
  holder.subscribe(
    (event) => {
      if (event.type === 'progress') every.push(...event.records.map((record) => record.seq));
    },
    { everyRecord: true },
  );
  holder.subscribe((event) => {
    if (event.type === 'progress') newest.push({ records: event.records.length, omitted: event.omitted });
  });
  arriving.resolve(await openStandinEngine());
  await holder.ready;
  const ended = new Promise<void>((resolve) => holder.subscribe((event) => event.type === 'finished' && resolve()));
  await holder.start({ source: 'default', trigger: 'window' });
  await ended;
  await holder.whenIdle();
  assert.ok(every.length > 10_000, `the storm's 10,000 progress notifications and the rest: ${every.length}`);
  assert.deepEqual(
    every,
    every.map((_, i) => i + 1),
    'in order, none left out',
  );
  assert.ok(
    newest.every((event) => event.records <= 30),
    'the window still gets the newest few',
  );
  assert.ok(newest.some((event) => event.omitted > 0));
  await holder.dispose();
});
