/**
 * `defender-updater` without the internet: a downloaded package, a folder or share, and a repair, through the stand-in
 * MpCmdRun (the .exe under Wine) beside the stand-in MpClient, sharing its state file, so a version raised by
 * MpCmdRun is what MpManagerVersionQuery reports afterwards.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { jsonLines, runCli, startCli } from '../../support/cli';
import {
  appEnvFor,
  makeShareFolder,
  peImage,
  processAlive,
  useMpCmdRunStandin,
  waitFor,
  type MpCmdRunScenario,
  type MpCmdRunStandin,
} from '../../support/mpcmdrun-standin';
import { lastUpdateOptions, useStandin } from '../../support/standin';

const mpclient = useStandin();
after(() => mpclient.cleanup());
let standins: MpCmdRunStandin[] = [];
afterEach(() => {
  standins.forEach((s) => s.cleanup());
  standins = [];
});

/** Both stand-ins on one state file; MpCmdRun's log where the app follows it (TMPDIR, or %TEMP% under Wine). */
function offline(scenario: MpCmdRunScenario = 'success', stepMs = 1) {
  const s = useMpCmdRunStandin({ scenario, stepMs });
  standins.push(s);
  mpclient.apply({ scenario: 'updated', stepMs: 1 });
  const env: Record<string, string | undefined> = { ...mpclient.env, ...appEnvFor(s) };
  return { s, env };
}

async function cli(args: string[], env: Record<string, string | undefined>) {
  const run = await runCli(args, env);
  const lines = run.stdout.trim() ? jsonLines(run.stdout) : [];
  return { run, lines, final: lines.at(-1) ?? {}, mpcmdrun: lines.filter((l) => l.via === 'mpcmdrun' && 'line' in l) };
}

describe('update --package', () => {
  test('a downloaded mpam-fe.exe is installed through MpCmdRun: succeeded, with a higher version after', async () => {
    const { s, env } = offline();
    const download = join(makeShareFolder(join(s.dir, 'Downloads'), '.'), 'mpam-fe.exe');
    const { run, final, mpcmdrun } = await cli(['update', '--package', download, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(final.result, 'succeeded');
    assert.equal(final.via, 'mpcmdrun');
    const versions = final.versions as { before: string; after: string };
    assert.equal(versions.before, '1.421.1700.0');
    assert.equal(versions.after, '1.421.1701.0', 'MpManagerVersionQuery reads what MpCmdRun installed');
    // MpCmdRun was given a private folder holding x64\mpam-fe.exe, never the download itself; the folder is gone.
    const [args] = s.runs();
    assert.equal(args?.slice(0, 3).join(' '), '-SignatureUpdate -UNC -Path');
    const staged = args?.[3] ?? '';
    assert.notEqual(staged, join(s.dir, 'Downloads'));
    assert.equal(existsSync(staged), false, 'the staged copy is removed afterwards');
    assert.deepEqual(
      mpcmdrun.filter((l) => l.notify === 'MPCMDRUN_PHASE').map((l) => l.phase),
      ['starting', 'searching', 'installing'],
      "the phases come from MpCmdRun's console and log",
    );
  });

  test('a text file is refused with a clear error and exit 2; MpCmdRun never runs', async () => {
    const { s, env } = offline();
    const text = join(s.dir, 'mpam-fe.exe');
    writeFileSync(text, 'Not a program, just text.\r\n');
    const { run, final } = await cli(['update', '--package', text, '--json'], env);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /is not a Windows program \(it does not start with "MZ"\)/);
    assert.equal(final.refused, 'offline-input');
    assert.deepEqual(s.runs(), []);
  });

  test('a program for another kind of PC is refused with exit 2', async () => {
    const { s, env } = offline();
    const x86 = join(s.dir, 'mpam-fe.exe');
    writeFileSync(x86, peImage(0x014c));
    const run = await runCli(['update', '--package', x86], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /is for 32-bit Windows; this PC is x64\./);
  });

  test('a package Defender rejects fails with its HRESULT, exit 1', async () => {
    const { s, env } = offline('bad-package');
    const download = join(makeShareFolder(join(s.dir, 'dl')), 'x64', 'mpam-fe.exe');
    const { run, final } = await cli(['update', '--package', download, '--json'], env);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual([final.result, final.hresult, final.via], ['failed', '0x8050A004', 'mpcmdrun']);
  });
});

describe('update --source file-share --path', () => {
  test('runs MpCmdRun -SignatureUpdate -UNC -Path <folder> and raises the version', async () => {
    const { s, env } = offline();
    const share = makeShareFolder(join(s.dir, 'share'));
    const { run, final } = await cli(['update', '--source', 'file-share', '--path', share, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(s.runs(), [['-SignatureUpdate', '-UNC', '-Path', share]]);
    assert.deepEqual([final.result, final.source, final.via], ['succeeded', 'file-share', 'mpcmdrun']);
    assert.equal((final.versions as { after: string }).after, '1.421.1701.0');
  });

  test('a path ending in x64 is taken as its parent, which is what MpCmdRun must get', async () => {
    const { s, env } = offline();
    const share = makeShareFolder(join(s.dir, 'share'));
    const run = await runCli(['update', '--source', 'file-share', '--path', `${share}${sep}x64`], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(s.runs(), [['-SignatureUpdate', '-UNC', '-Path', share]]);
    assert.match(run.stdout, /^Updated: security intelligence 1\.421\.1700\.0 → 1\.421\.1701\.0\.$/m);
  });

  test('a folder without x64\\mpam-fe.exe is refused with exit 2 before MpCmdRun runs', async () => {
    const { s, env } = offline();
    const empty = join(s.dir, 'empty');
    makeShareFolder(empty, 'x86');
    const run = await runCli(['update', '--source', 'file-share', '--path', empty], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`does not hold x64.mpam-fe\\.exe`));
    assert.deepEqual(s.runs(), []);
  });

  test('without --path, file-share is the MpClient route with the UNC bit, as before', async () => {
    const { s, env } = offline();
    const run = await runCli(['update', '--source', 'file-share', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lastUpdateOptions(s.stateFile), 0x20 | 0x3);
    assert.deepEqual(s.runs(), [], 'MpCmdRun is not involved');
    assert.equal(jsonLines(run.stdout).at(-1)?.via, 'mpclient');
  });

  test('access denied fails with 0x80070005, as through MpClient', async () => {
    const { s, env } = offline('access-denied');
    const { run, final } = await cli(['update', '--path', makeShareFolder(join(s.dir, 'share')), '--json'], env);
    assert.equal(run.code, 1);
    assert.deepEqual([final.result, final.hresult], ['failed', '0x80070005']);
  });
});

describe('repair', () => {
  test('runs -RemoveDefinitions -DynamicSignatures, then a normal update through MpClient', async () => {
    const { s, env } = offline();
    const { run, lines, final } = await cli(['repair', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(s.runs(), [['-RemoveDefinitions', '-DynamicSignatures']]);
    assert.equal(lastUpdateOptions(s.stateFile), 0x3, 'then MpUpdateStart with the default source');
    const firstNotification = lines.findIndex((l) => typeof l.notify === 'string' && String(l.notify).startsWith('MPNOTIFY_'));
    const lastMpCmdRun = lines.map((l) => l.via === 'mpcmdrun' && 'line' in l).lastIndexOf(true);
    assert.ok(lastMpCmdRun >= 0 && lastMpCmdRun < firstNotification, 'MpCmdRun first, then the update');
    assert.deepEqual([final.result, final.via], ['succeeded', 'mpcmdrun']);
  });

  test('--all runs -RemoveDefinitions -All', async () => {
    const { s, env } = offline();
    const run = await runCli(['repair', '--all'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(s.runs(), [['-RemoveDefinitions', '-All']]);
    assert.match(run.stdout, /Removing all security intelligence with MpCmdRun\.exe, then updating/);
    // The update after a removal of everything installs Microsoft's newest release, not a step up from nothing.
    assert.match(run.stdout, /Updated: security intelligence 1\.421\.1700\.0 → 1\.421\.1701\.0\./);
  });

  test('a removal that fails ends the repair there: no update follows', async () => {
    const { s, env } = offline('access-denied');
    const { run, lines, final } = await cli(['repair', '--json'], env);
    assert.equal(run.code, 1);
    assert.deepEqual([final.result, final.hresult], ['failed', '0x80070005']);
    assert.deepEqual(s.runs(), [['-RemoveDefinitions', '-DynamicSignatures']]);
    assert.equal(lines.filter((l) => String(l.notify).startsWith('MPNOTIFY_')).length, 0, 'MpUpdateStart was never called');
  });
});

test('without MpCmdRun.exe beside MpClient.dll: the sentence, and exit 4', async () => {
  const { env } = offline();
  const lonely = mkdtempSync(join(tmpdir(), 'du-lonely-'));
  try {
    const library = join(lonely, basename(mpclient.env.MPCLIENT_PATH!));
    copyFileSync(mpclient.env.MPCLIENT_PATH!, library);
    const run = await runCli(['repair'], { ...env, MPCLIENT_PATH: library, MPCMDRUN_PATH: undefined });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /MpCmdRun\.exe was not found next to MpClient\.dll/);
  } finally {
    rmSync(lonely, { recursive: true, force: true });
  }
});

test(
  'Ctrl+C while MpCmdRun runs ends it and its helper, and exits 5 as cancelled',
  { skip: process.platform === 'win32' ? 'Wine cannot deliver a console Ctrl+C to node.exe from here' : false },
  async () => {
    const { s, env } = offline('slow', 300);
    const cli = startCli(['update', '--path', makeShareFolder(join(s.dir, 'share')), '--json'], env);
    while (!cli.peek().includes('MPCMDRUN_PHASE') || s.pids().length < 2) await new Promise((r) => setTimeout(r, 20));
    cli.interrupt();
    const run = await cli.done;
    assert.equal(run.code, 5, run.stderr);
    assert.equal(jsonLines(run.stdout).at(-1)?.result, 'cancelled');
    assert.equal(s.version('AVSignature') ?? '1.421.1700.0', '1.421.1700.0', 'nothing was installed');
    await waitFor(() => s.pids().every((pid) => !processAlive(pid)), 'MpCmdRun and its helper to be gone');
  },
);

describe('usage', () => {
  const cases: Array<[string[], RegExp]> = [
    [['update', '--package', 'a.exe', '--source', 'mmpc'], /--package takes no --source or --path/],
    [['update', '--source', 'mmpc', '--path', 'C:\\Updates'], /--path names a folder or file share: use it with --source file-share/],
    [['update', '--all'], /--all only applies to "repair"/],
    [['repair', '--package', 'a.exe'], /--package only applies to "update"/],
    [['update', '--package'], /--package needs a value, e\.g\. --package mpam-fe\.exe/],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(' ')}: exit 2 and why`, async () => {
      const run = await runCli(args, offline().env);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
    });
  }
});
