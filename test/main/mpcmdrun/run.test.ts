/**
 * MpCmdRun as a second back end, against the stand-in MpCmdRun (the .exe under Wine): updates from a folder or a
 * staged package, failures with their HRESULTs, cancel and the deadline ending the whole process tree, repair.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterEach, test } from 'node:test';
import type { MpCmdRunEvent } from '../../../app/shared/mpcmdrun';
import { removeDefinitions, signatureUpdateFromFolder } from '../../../app/main/mpcmdrun/commands';
import { PackageRejectedError, SharePathError } from '../../../app/main/mpcmdrun/errors';
import { stagePackage } from '../../../app/main/mpcmdrun/package';
import { runMpCmdRun, type RunMpCmdRunOptions } from '../../../app/main/mpcmdrun/run';
import { resolveShareFolder } from '../../../app/main/mpcmdrun/share-path';
import {
  makeShareFolder,
  mpCmdRunStandinPath,
  processAlive,
  useMpCmdRunStandin,
  waitFor,
  type MpCmdRunScenario,
  type MpCmdRunStandin,
} from '../../support/mpcmdrun-standin';

let standins: MpCmdRunStandin[] = [];
afterEach(() => {
  standins.forEach((s) => s.cleanup());
  standins = [];
});

function standin(scenario: MpCmdRunScenario = 'success', stepMs?: number): MpCmdRunStandin {
  const s = useMpCmdRunStandin({ scenario, ...(stepMs === undefined ? {} : { stepMs }) });
  standins.push(s);
  return s;
}

async function run(s: MpCmdRunStandin, args: string[], more: Partial<RunMpCmdRunOptions> = {}) {
  const events: MpCmdRunEvent[] = [];
  const result = await runMpCmdRun({
    exe: mpCmdRunStandinPath(),
    args,
    deadlineMs: 60_000,
    env: s.env,
    logPaths: [s.logPath],
    pollMs: 50,
    onEvent: (e) => events.push(e),
    ...more,
  });
  return { result, events };
}

const phases = (events: MpCmdRunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));

test('an update from a folder installs its package and raises the signature version', async () => {
  const s = standin();
  const share = makeShareFolder(join(s.dir, 'share'));
  const { result, events } = await run(s, signatureUpdateFromFolder(share));
  assert.deepEqual(result, { outcome: 'succeeded', hresult: null, exitCode: 0, detail: 'MpCmdRun.exe finished successfully' });
  assert.equal(s.version('AVSignature'), '1.421.1701.0');
  assert.equal(s.version('ASSignature'), '1.421.1701.0');
  assert.deepEqual(phases(events), ['starting', 'searching', 'installing']);
  assert.ok(events.some((e) => e.type === 'succeeded' && !e.upToDate));
  assert.ok(
    events.some((e) => e.type === 'phase' && e.phase === 'searching' && e.source === 'log' && e.line.includes(share)),
    'the search line comes from MpCmdRun.log and names the folder',
  );
});

test('a finished run leaves no timer behind, so the CLI can exit at once', async () => {
  const s = standin();
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))));
  assert.equal(result.outcome, 'succeeded');
  assert.equal(timers(), before);
});

test('a package already installed ends "up to date" and changes nothing', async () => {
  const s = standin('up-to-date');
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))));
  assert.equal(result.outcome, 'up-to-date');
  assert.notEqual(s.version('AVSignature'), '1.421.1701.0');
});

test('a downloaded package is staged as <tmp>/x64/mpam-fe.exe, installed, and its folder removed afterwards', async () => {
  const s = standin();
  const download = join(makeShareFolder(join(s.dir, 'downloads')), 'x64', 'mpam-fe.exe');
  const staged = await stagePackage(download, 'x64', s.dir);
  try {
    assert.equal(staged.packagePath, join(staged.folder, 'x64', 'mpam-fe.exe'));
    const { result } = await run(s, signatureUpdateFromFolder(staged.folder));
    assert.equal(result.outcome, 'succeeded');
    assert.equal(s.version('AVSignature'), '1.421.1701.0');
  } finally {
    await staged.cleanup();
  }
  assert.equal(existsSync(staged.folder), false);
});

test('a text file offered as the package is refused before MpCmdRun runs', async () => {
  const s = standin();
  const text = join(s.dir, 'mpam-fe.exe');
  writeFileSync(text, 'This is not a program.\r\n');
  await assert.rejects(stagePackage(text, 'x64', s.dir), (e: unknown) => e instanceof PackageRejectedError && e.problem === 'not-a-program');
  assert.equal(existsSync(s.logPath), false, 'MpCmdRun never ran');
});

test('a folder path ending in x64 is accepted and its parent given to MpCmdRun', async () => {
  const s = standin();
  const share = makeShareFolder(join(s.dir, 'share'));
  const resolved = await resolveShareFolder(`${share}${sep}x64${sep}`, 'x64');
  assert.equal(resolved.folder, share);
  const { result } = await run(s, signatureUpdateFromFolder(resolved.folder));
  assert.equal(result.outcome, 'succeeded');
});

test('a folder without x64\\mpam-fe.exe is refused up front, and MpCmdRun itself fails with 0x80070002', async () => {
  const s = standin();
  const empty = join(s.dir, 'empty');
  makeShareFolder(empty, 'x86');
  await assert.rejects(resolveShareFolder(empty, 'x64'), (e: unknown) => e instanceof SharePathError && e.problem === 'no-package');
  const { result, events } = await run(s, signatureUpdateFromFolder(empty));
  assert.equal(result.outcome, 'failed');
  assert.equal(result.hresult, 0x80070002);
  assert.equal(result.exitCode, 2);
  assert.equal(s.version('AVSignature'), null, 'nothing was installed');
  assert.equal(events.filter((e) => e.type === 'failed').length, 1, 'one failure, though console and log both name it');
});

test('a package Defender refuses fails with 0x8050A004', async () => {
  const s = standin('bad-package');
  const { result, events } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))));
  assert.deepEqual(result, { outcome: 'failed', hresult: 0x8050a004, exitCode: 2, detail: 'MpCmdRun.exe exited with code 2 (0x8050A004)' });
  assert.ok(events.some((e) => e.type === 'failed' && e.hresult === 0x8050a004 && e.source === 'console'));
  assert.ok(
    events.some((e) => e.type === 'log' && e.source === 'log' && /failed with hr/i.test(e.line)),
    'the log repeats it',
  );
});

test('access denied fails with 0x80070005', async () => {
  const s = standin('access-denied');
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))));
  assert.equal(result.outcome, 'failed');
  assert.equal(result.hresult, 0x80070005);
});

test('MpCmdRun.log is read while MpCmdRun still runs', async () => {
  const s = standin('slow', 150);
  const seenWhileRunning: string[] = [];
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))), {
    onEvent: (e) => {
      const [pid] = s.pids();
      if (e.source === 'log' && e.type === 'phase' && pid && processAlive(pid)) seenWhileRunning.push(e.phase);
    },
  });
  assert.equal(result.outcome, 'succeeded');
  assert.ok(seenWhileRunning.includes('searching'), `log phases seen while running: ${seenWhileRunning.join(', ')}`);
});

test('cancel during an update ends MpCmdRun and the process it started, and installs nothing', async () => {
  const s = standin('slow', 2_000);
  const cancel = new AbortController();
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))), {
    signal: cancel.signal,
    onEvent: (e) => {
      if (e.type === 'phase' && e.phase === 'searching') cancel.abort();
    },
  });
  assert.equal(result.outcome, 'cancelled', result.detail);
  assert.equal(result.exitCode, null);
  const pids = s.pids();
  assert.equal(pids.length, 2, 'the stand-in and its helper');
  await waitFor(() => pids.every((pid) => !processAlive(pid)), `processes ${pids.join(', ')} to end`);
  assert.equal(s.version('AVSignature'), null);
});

test('an update that runs past its deadline is ended and reported as timed out', async () => {
  const s = standin('slow', 2_000);
  const { result } = await run(s, signatureUpdateFromFolder(makeShareFolder(join(s.dir, 'share'))), { deadlineMs: 1_500 });
  assert.equal(result.outcome, 'timed-out', result.detail);
  const pids = s.pids();
  await waitFor(() => pids.every((pid) => !processAlive(pid)), `processes ${pids.join(', ')} to end`);
});

test('repair removes the dynamic signatures, or with --all every definition', async () => {
  const s = standin();
  const dynamic = await run(s, removeDefinitions(false));
  assert.equal(dynamic.result.outcome, 'succeeded');
  assert.equal(s.version('AVSignature'), null, 'dynamic signatures carry no version');
  const all = await run(s, removeDefinitions(true));
  assert.equal(all.result.outcome, 'succeeded');
  assert.deepEqual(phases(all.events), ['removing']);
  assert.equal(s.version('AVSignature'), '0.0.0.0');
});

test('a MpCmdRun.exe that cannot be started is a failed run with the reason, not an exception', async () => {
  const s = standin();
  const { result } = await run(s, signatureUpdateFromFolder(s.dir), { exe: join(s.dir, 'MpCmdRun.exe') });
  assert.equal(result.outcome, 'failed');
  assert.match(result.detail, /could not be started/);
});
