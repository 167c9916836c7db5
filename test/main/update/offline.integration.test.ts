/**
 * MpCmdRun jobs as runs of the real engine: the stand-in MpClient (in process, through koffi) and the stand-in
 * MpCmdRun (a child process) on one state file. Same bundle on Linux and under Wine.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { OfflineJob } from '../../../app/shared/update';
import type { UpdateEngine } from '../../../app/main/update/engine-types';
import { openStandinEngine, runUpdate, waitForState } from '../../support/engine';
import {
  appEnvFor,
  makeShareFolder,
  processAlive,
  useMpCmdRunStandin,
  waitFor,
  type MpCmdRunScenario,
  type MpCmdRunStandin,
} from '../../support/mpcmdrun-standin';
import { useStandin } from '../../support/standin';
import { renderMessage } from '../../../app/shared/messages';

const mpclient = useStandin();
const savedEnv = { ...process.env };
let engine: UpdateEngine;
let current: MpCmdRunStandin | null = null;

before(async () => {
  engine = await openStandinEngine({ watchdogMs: 60_000 });
  assert.equal(engine.availability.kind, 'available', JSON.stringify(engine.availability));
});
after(async () => {
  await engine.dispose();
  mpclient.cleanup();
});
afterEach(() => {
  current?.cleanup();
  current = null;
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** The engine reads its environment live: both stand-ins on one state file, MpCmdRun.log where the engine follows it. */
function offline(scenario: MpCmdRunScenario = 'success', stepMs = 1): MpCmdRunStandin {
  const s = useMpCmdRunStandin({ scenario, stepMs });
  current = s;
  mpclient.apply({ scenario: 'updated', stepMs: 1 });
  Object.assign(process.env, appEnvFor(s));
  return s;
}

const folderJob = (s: MpCmdRunStandin): OfflineJob => ({ kind: 'folder', path: makeShareFolder(join(s.dir, 'share')) });

test('a folder job walks the same phases, reports its lines as records and ends with versions before and after', async () => {
  // Paced like the real tool, which takes a while between its log lines (the log is read every 200 ms).
  const s = offline('slow', 150);
  const { outcome, records, states } = await runUpdate(engine, { source: 'default', offline: folderJob(s) });
  assert.equal(outcome.result, 'succeeded');
  assert.equal(outcome.via, 'mpcmdrun');
  assert.equal(outcome.source, 'file-share', 'a folder is a file-share update, whatever the settings say');
  assert.deepEqual([outcome.versionsBefore?.antivirus.version, outcome.versionsAfter?.antivirus.version], ['1.421.1700.0', '1.421.1701.0']);
  const phases = states.map((x) => x.phase).filter((p, i, all) => p !== all[i - 1]);
  assert.deepEqual(phases, ['starting', 'searching', 'installing', 'finishing', 'succeeded']);
  assert.ok(records.length > 0 && records.every((r) => r.via === 'mpcmdrun' && typeof r.line === 'string'));
  assert.ok(
    records.some((r) => r.notify === 'MPCMDRUN_LINE'),
    'lines with no meaning are kept for the event log, not dropped',
  );
  assert.equal(states.at(-1)?.notificationCount, records.length);
});

test('a package is staged, installed and its private folder removed', async () => {
  const s = offline();
  const download = join(makeShareFolder(join(s.dir, 'dl')), 'x64', 'mpam-fe.exe');
  const { outcome } = await runUpdate(engine, { source: 'default', offline: { kind: 'package', file: download } });
  assert.equal(outcome.result, 'succeeded', renderMessage('en', outcome.message));
  const staged = s.runs()[0]?.[3] ?? '';
  assert.ok(staged && !staged.startsWith(join(s.dir, 'dl')), staged);
});

test('a failure carries the HRESULT MpCmdRun named, with the same error shape as MpClient failures', async () => {
  const s = offline('bad-package');
  const { outcome } = await runUpdate(engine, { source: 'default', offline: folderJob(s) });
  assert.equal(outcome.result, 'failed');
  assert.equal(outcome.hresult, 0x8050a004);
  assert.deepEqual([outcome.error?.kind, outcome.error?.hex, outcome.error?.source], ['update-failed', '0x8050A004', 'file-share']);
});

test('a package that vanished between the check and the run fails as bad input, not as a crash', async () => {
  const s = offline();
  const download = join(makeShareFolder(join(s.dir, 'dl')), 'x64', 'mpam-fe.exe');
  const check = await engine.checkOffline({ kind: 'package', file: download });
  assert.equal(check.ok, true);
  rmSync(download);
  const { outcome } = await runUpdate(engine, { source: 'default', offline: { kind: 'package', file: download } });
  assert.deepEqual([outcome.result, outcome.error?.kind, outcome.error?.hex], ['failed', 'offline-input', '0x80070002']);
  assert.match(renderMessage('en', outcome.message), /does not exist/);
  assert.deepEqual(s.runs(), [], 'MpCmdRun never ran');
});

test('checkOffline answers with the folder MpCmdRun must get, and refuses a text file with its reason', async () => {
  const s = offline();
  const share = makeShareFolder(join(s.dir, 'share'));
  assert.deepEqual(await engine.checkOffline({ kind: 'folder', path: `${share}${sep}x64${sep}` }), {
    ok: true,
    job: { kind: 'folder', path: share },
  });
  const text = join(s.dir, 'notes.txt');
  writeFileSync(text, 'hello');
  const refused = await engine.checkOffline({ kind: 'package', file: text });
  assert.ok(!refused.ok);
  assert.deepEqual([refused.refusal.kind, refused.refusal.hresult], ['offline-input', 0x800700c1]);
  assert.match(renderMessage('en', refused.refusal.message), /is not a Windows program/);
});

test('one update at a time: while MpCmdRun runs, a normal update joins it, and a second job too', async () => {
  const s = offline('slow', 150);
  const first = await engine.start({ source: 'default', trigger: 'window', offline: folderJob(s) });
  const normal = await engine.start({ source: 'mmpc', trigger: 'tray' });
  const repair = await engine.start({ source: 'default', trigger: 'window', offline: { kind: 'repair', all: false } });
  await waitFor(() => s.pids().length === 2, 'MpCmdRun to start');
  assert.deepEqual(
    [normal, repair],
    [
      { runId: first.runId, joined: true },
      { runId: first.runId, joined: true },
    ],
  );
  await engine.cancel();
  await engine.whenIdle();
  assert.equal(s.runs().length, 1, 'MpCmdRun ran once');
});

test('cancel ends MpCmdRun and the process it started; the run ends cancelled', async () => {
  const s = offline('slow', 300);
  const { outcome } = await runUpdate(engine, { source: 'default', offline: folderJob(s) }, async (e) => {
    await waitForState(e, (x) => x.phase === 'searching');
    await waitFor(() => s.pids().length === 2, 'the helper to start');
    assert.deepEqual(await e.cancel(), { kind: 'requested' });
  });
  assert.equal(outcome.result, 'cancelled');
  await waitFor(() => s.pids().every((pid) => !processAlive(pid)), 'MpCmdRun and its helper to be gone');
  assert.equal(s.version('AVSignature') ?? '1.421.1700.0', '1.421.1700.0', 'nothing was installed');
});

test('a repair removes definitions through MpCmdRun, then updates through MpClient, in one run', async () => {
  const s = offline();
  const { outcome, records } = await runUpdate(engine, { source: 'default', offline: { kind: 'repair', all: false } });
  assert.equal(outcome.result, 'succeeded');
  assert.deepEqual(s.runs(), [['-RemoveDefinitions', '-DynamicSignatures']]);
  const firstMpClient = records.findIndex((r) => r.via === undefined);
  assert.ok(firstMpClient > 0, 'MpCmdRun lines first');
  assert.ok(
    records.slice(firstMpClient).every((r) => r.via === undefined),
    'then MpClient notifications only',
  );
  assert.equal(records.at(-1)?.notify, 'MPNOTIFY_SIGUPDATE_COMPLETE');
  assert.deepEqual([outcome.via, outcome.offline], ['mpcmdrun', { kind: 'repair', all: false }]);
});

test('closing the app during a job ends MpCmdRun; the run is recorded as cancelled', async () => {
  const s = offline('slow', 300);
  const local = await openStandinEngine({ watchdogMs: 60_000 });
  const finished = new Promise<string>((resolve) => local.subscribe((e) => e.type === 'finished' && resolve(e.outcome.result)));
  await local.start({ source: 'default', trigger: 'window', offline: folderJob(s) });
  await waitFor(() => s.pids().length === 2, 'MpCmdRun and its helper to start');
  const { unanswered } = await local.dispose();
  assert.equal(unanswered, null);
  assert.equal(await finished, 'cancelled');
  await waitFor(() => s.pids().every((pid) => !processAlive(pid)), 'MpCmdRun and its helper to be gone');
});

test("a quick run's console can come before its log: the phase never goes back", async () => {
  const s = offline();
  const { outcome, states } = await runUpdate(engine, { source: 'default', offline: folderJob(s) });
  assert.equal(outcome.result, 'succeeded');
  const order = ['starting', 'searching', 'downloading', 'installing', 'finishing', 'succeeded'];
  const seen = states.map((x) => order.indexOf(x.phase));
  assert.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
});
