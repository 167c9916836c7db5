/**
 * The CLI run in-process with the real engine on the stand-in, so what a child process hides is visible: the terminal
 * progress bar, and that Ctrl+C leaves no handle open. Runs under Wine too, where a real Ctrl+C cannot be sent.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, describe, test } from 'node:test';
import { registeredCallbackCount } from '../../../app/main/mpclient/binding';
import { runCli, type CliPorts } from '../../../app/main/cli/run-cli';
import type { StopSignal } from '../../../app/main/cli/ports';
import type { EventRecord } from '../../../app/main/event-log/event-record';
import { resolvePolicies, type RawValues } from '../../../app/shared/policy';
import { readFileVersion } from '../../../app/main/mpclient/file-version';
import { openMpClient } from '../../../app/main/update/open-engine';
import { openStandinEngine } from '../../support/engine';
import { hungStandinCalls, lastUpdateOptions, releaseStandinHangs, standinCounters, useStandin } from '../../support/standin';

const standin = useStandin();
after(() => standin.cleanup());
const handlesBefore = standinCounters().openHandles;

interface CliOptions {
  isTty?: boolean;
  watchdogMs?: number;
  /** Defender's SharedSignatureRoot setting as the registry would give it. */
  sharedSignatureRoot?: string;
  columns?: number;
  giveUpAfterMs?: number;
  /** HKLM\SOFTWARE\Policies\DefenderUpdater as the registry would give it. */
  machinePolicies?: RawValues;
  queryDeadlineMs?: number;
  openDeadlineMs?: number;
}

function cli(argv: string[], options: CliOptions = {}) {
  const io = {
    out: '',
    err: '',
    interrupt: null as (() => void) | null,
    stop: null as ((signal: StopSignal) => void) | null,
    abandoned: null as number | null,
    events: [] as EventRecord[],
  };
  const sharedRoot = () => options.sharedSignatureRoot ?? null;
  const ports: CliPorts = {
    argv,
    out: (text) => void (io.out += text),
    err: (text) => void (io.err += text),
    isTty: options.isTty ?? false,
    openEngine: () =>
      openStandinEngine({
        ...(options.watchdogMs ? { watchdogMs: options.watchdogMs } : {}),
        ...(options.queryDeadlineMs ? { queryDeadlineMs: options.queryDeadlineMs } : {}),
        ...(options.openDeadlineMs ? { openDeadlineMs: options.openDeadlineMs } : {}),
        readSharedSignatureRoot: sharedRoot,
      }),
    openMpClient: () => openMpClient({ env: process.env, platform: process.platform, trustEnvironment: true, demo: false }),
    readFileVersion,
    readSharedSignatureRoot: sharedRoot,
    readPolicies: () => resolvePolicies(options.machinePolicies ?? {}, {}),
    writeEvent: (record) => {
      io.events.push(record);
      return Promise.resolve();
    },
    version: '9.8.7',
    columns: () => options.columns ?? null,
    onStop: (handler) => {
      io.stop = handler;
      io.interrupt = () => handler('SIGINT');
      return () => {
        io.stop = null;
        io.interrupt = null;
      };
    },
    abandon: (code) => void (io.abandoned = code),
    giveUpAfterMs: options.giveUpAfterMs,
  };
  return { io, done: runCli(ports) };
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 10));
}

test('on a terminal the progress is one redrawn line with a bar, cleared at the end', async () => {
  standin.apply({ scenario: 'updated', stepMs: 2 });
  const { io, done } = cli(['update'], { isTty: true });
  assert.equal(await done, 0, io.err);
  assert.ok(io.out.includes('\r\u001b[2K'), 'the line is redrawn in place');
  assert.match(io.out, /Downloading… \(update \d of 2\) \[#+\.*\] +\d+%/);
  // After the last clear of the line comes the result alone: the bar does not linger in front of it.
  assert.match(io.out.split('\r\u001b[2K').at(-1) ?? '', /^Updated: security intelligence \S+ → \S+\.\n$/);
});

test('Ctrl+C cancels, exits 5 and leaves no handle, buffer or callback behind', async () => {
  standin.apply({ scenario: 'slow', stepMs: 1 });
  const before = standinCounters().openHandles;
  // A direct download: cancelling it needs no administrator (docs/mpclient.md "Cancel").
  const { io, done } = cli(['update', '--json', '--source', 'mmpc']);
  await until(() => io.out.includes('DOWNLOAD_PROGRESS') && io.interrupt !== null);
  io.interrupt!();
  assert.equal(await done, 5, io.err);
  assert.equal((JSON.parse(io.out.trim().split('\n').at(-1)!) as { result: string }).result, 'cancelled');
  assert.equal(standinCounters().openHandles, before, 'update and manager handles are closed');
  assert.equal(standinCounters().runningUpdates, 0);
  assert.equal(standinCounters().unfreedBuffers, 0);
  assert.equal(registeredCallbackCount(), 0);
});

test('AllowCancel=0: Ctrl+C says the organization does not allow it and the update runs to its end; a service stop still ends it', async () => {
  standin.apply({ scenario: 'slow', stepMs: 1 });
  const managed = { AllowCancel: { type: 'REG_DWORD', data: 0 } } as const;
  const { io, done } = cli(['update', '--json', '--source', 'mmpc'], { machinePolicies: managed });
  await until(() => io.out.includes('DOWNLOAD_PROGRESS') && io.interrupt !== null);
  io.interrupt!();
  io.interrupt!();
  assert.equal(await done, 0, io.err);
  assert.equal((JSON.parse(io.out.trim().split('\n').at(-1)!) as { result: string }).result, 'succeeded');
  assert.match(io.err, /does not allow cancelling an update \(policy AllowCancel\); it runs to its end/);

  const stopped = cli(['update', '--json', '--source', 'mmpc'], { machinePolicies: managed });
  await until(() => stopped.io.out.includes('DOWNLOAD_PROGRESS') && stopped.io.stop !== null);
  stopped.io.stop!('SIGTERM');
  assert.equal(await stopped.done, 5, 'the process is going away whatever the policy says');
});

test('a stalled update is reported on stderr in --json mode, and Ctrl+C still ends it', async () => {
  standin.apply({ scenario: 'stalled', stepMs: 1 });
  const { io, done } = cli(['update', '--json'], { watchdogMs: 300 });
  await until(() => io.err.includes('no news') && io.interrupt !== null);
  assert.ok(
    io.out
      .trim()
      .split('\n')
      .every((line) => 'notify' in (JSON.parse(line) as object)),
    'stdout keeps one object per notification',
  );
  io.interrupt!();
  assert.equal(await done, 5);
});

test('on a narrow terminal the redrawn progress line never wraps', async () => {
  standin.apply({ scenario: 'stalled', stepMs: 1 });
  const { io, done } = cli(['update'], { isTty: true, columns: 30, watchdogMs: 300 });
  await until(() => io.out.includes('…') && io.interrupt !== null);
  io.interrupt!();
  assert.equal(await done, 5);
  const drawn = io.out.split('\r\u001b[2K').filter((line) => line && !line.includes('\n'));
  assert.ok(drawn.length > 0);
  for (const line of drawn) assert.ok(line.length < 30, `"${line}" fits in 30 columns`);
});

test('a closed console window or a service stop (SIGHUP, SIGTERM) cancels and closes every handle, exit 5', async () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    standin.apply({ scenario: 'slow', stepMs: 1 });
    const before = standinCounters().openHandles;
    const { io, done } = cli(['update', '--json']);
    await until(() => io.out.includes('DOWNLOAD_PROGRESS') && io.stop !== null);
    io.stop!(signal);
    assert.equal(await done, 5, `${signal}: ${io.err}`);
    assert.match(io.err, new RegExp(`Cancelling \\(${signal}\\)`));
    assert.equal((JSON.parse(io.out.trim().split('\n').at(-1)!) as { result: string }).result, 'cancelled');
    assert.equal(standinCounters().openHandles, before, 'update and manager handles are closed');
    assert.equal(registeredCallbackCount(), 0);
  }
});

test('on a PC fed from a shared signature folder, "up to date" says so in words and in JSON', async () => {
  standin.apply({ scenario: 'shared-root', stepMs: 1 });
  const human = cli(['update'], { sharedSignatureRoot: 'D:\\VDI\\Signatures' });
  assert.equal(await human.done, 0, human.io.err);
  assert.match(
    human.io.out,
    /^This PC takes its security intelligence from a shared folder set by your organization \(D:\\VDI\\Signatures\); it is updated there\.$/m,
  );
  standin.apply({ scenario: 'shared-root', stepMs: 1 });
  const json = cli(['update', '--json'], { sharedSignatureRoot: 'D:\\VDI\\Signatures' });
  assert.equal(await json.done, 0);
  const final = JSON.parse(json.io.out.trim().split('\n').at(-1)!) as { result: string; sharedSignatureRoot: string; message: string };
  assert.equal(final.result, 'up-to-date');
  assert.equal(final.sharedSignatureRoot, 'D:\\VDI\\Signatures');
  assert.match(final.message, /shared folder set by your organization/);
});

test('a source set by policy is the one used; another --source is refused naming the policy, exit 2', async () => {
  standin.apply({ scenario: 'updated', stepMs: 1 });
  const managed = { UpdateSource: { type: 'REG_SZ', data: 'mmpc' } } as const;
  const run = cli(['update', '--json'], { machinePolicies: managed });
  assert.equal(await run.done, 0, run.io.err);
  assert.equal(lastUpdateOptions(standin.stateFile), 0x8 | 0x3, 'the HTTP bit, as the policy says');
  const refused = cli(['update', '--source', 'wsus'], { machinePolicies: managed });
  assert.equal(await refused.done, 2);
  assert.match(refused.io.err, /--source wsus is not allowed: your organization sets the update source to "mmpc" \(policy UpdateSource\)/);
  const same = cli(['update', '--source', 'mmpc', '--json'], { machinePolicies: managed });
  assert.equal(await same.done, 0, 'asking for the same source is fine');
});

test('when choosing the source is not allowed, only the default may be asked for', async () => {
  standin.apply({ scenario: 'updated', stepMs: 1 });
  const locked = { AllowSourceChoice: { type: 'REG_DWORD', data: 0 } } as const;
  const refused = cli(['update', '--source', 'mmpc'], { machinePolicies: locked });
  assert.equal(await refused.done, 2);
  assert.match(refused.io.err, /policy AllowSourceChoice/);
  const fine = cli(['update'], { machinePolicies: locked });
  assert.equal(await fine.done, 0, fine.io.err);
});

test('status --json lists the policies in force; an invalid one is named on stderr and ignored', async () => {
  standin.apply({ scenario: 'updated', stepMs: 1 });
  const run = cli(['status', '--json'], {
    machinePolicies: { UpdateSource: { type: 'REG_SZ', data: 'wsus' }, AutoCheckHours: { type: 'REG_DWORD', data: 99 } },
  });
  await run.done;
  const status = JSON.parse(run.io.out) as { policies: Record<string, unknown> };
  assert.deepEqual(status.policies, { UpdateSource: 'wsus' });
  assert.match(run.io.err, /Policy ignored \(HKLM\): AutoCheckHours is 99; allowed: 0 to 24\./);
});

test('every finished update is written to the event log with its result, code, source and versions', async () => {
  standin.apply({ scenario: 'complete-failure', stepMs: 1 });
  const failed = cli(['update', '--source', 'mmpc']);
  assert.equal(await failed.done, 1);
  assert.equal(failed.io.events.length, 1);
  const [event] = failed.io.events;
  assert.equal(event?.id, 1002);
  assert.equal(event?.level, 'error');
  const fields: Record<string, string> = Object.fromEntries(
    (event?.text ?? '').split('\r\n').map((line): [string, string] => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  assert.equal(fields.result, 'failed');
  assert.equal(fields.hresult, '0x80240022');
  assert.equal(fields.source, 'mmpc');
  assert.equal(fields.updateType, 'http');
  assert.match(fields.versionBefore ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  standin.apply({ scenario: 'updated', stepMs: 1 });
  const ok = cli(['update']);
  assert.equal(await ok.done, 0);
  assert.equal(ok.io.events[0]?.id, 1000);
});

describe('a Defender that stops answering', () => {
  /** The scenario list from its first entry (its position is kept in the state file). */
  function scenario(name: string): void {
    standin.apply({ scenario: name, stepMs: 1 });
    rmSync(standin.stateFile, { force: true });
  }
  const noAnswerLines = (err: string) => err.split('\n').filter((line) => line.includes('did not return'));

  afterEach(async () => {
    // Lets the hung call go, so this process can end; what the CLI left behind then closes on its own.
    releaseStandinHangs();
    await until(() => standinCounters().openHandles === handlesBefore && hungStandinCalls() === 0 && registeredCallbackCount() === 0);
  });

  test('MpUpdateStart never returns: Ctrl+C, then Ctrl+C again, ends with one line naming the call, exit 5', async () => {
    scenario('start-hangs');
    const { io, done } = cli(['update']);
    await until(() => hungStandinCalls() === 1 && io.interrupt !== null);
    io.interrupt!();
    io.interrupt!();
    assert.equal(await done, 5);
    assert.equal(io.abandoned, 5, 'the process is ended, not left waiting for the worker thread');
    assert.deepEqual(noAnswerLines(io.err), ['Defender did not return from MpUpdateStart; exiting without waiting for it.']);
    assert.doesNotMatch(io.out, /Failed|Cancelled/, 'that one line is the whole verdict');
  });

  test('MpUpdateStart never returns: 10 s after Ctrl+C without an answer the CLI stops waiting, exit 5', async () => {
    scenario('start-hangs');
    const { io, done } = cli(['update', '--json'], { giveUpAfterMs: 100 });
    await until(() => hungStandinCalls() === 1 && io.interrupt !== null);
    io.interrupt!();
    assert.equal(await done, 5);
    assert.equal(io.abandoned, 5);
    assert.deepEqual(noAnswerLines(io.err), ['Defender did not return from MpUpdateStart; exiting without waiting for it.']);
    const final = JSON.parse(io.out.trim().split('\n').at(-1)!) as { result: string; error: { kind: string } };
    assert.deepEqual([final.result, final.error.kind], ['failed', 'no-answer'], 'a script still gets its final object');
  });

  test('MpHandleClose never returns after the update: the CLI ends on its own, naming the call, exit 1', async () => {
    scenario('close-hangs');
    const { io, done } = cli(['update'], { giveUpAfterMs: 100 });
    assert.equal(await done, 1);
    assert.equal(io.abandoned, 1);
    assert.deepEqual(noAnswerLines(io.err), ['Defender did not return from MpHandleClose; exiting without waiting for it.']);
  });

  test('doctor: a manager close that never returns ends the CLI after its report, naming the call, exit 1', async () => {
    scenario('manager-close-hangs');
    const { io, done } = cli(['doctor', '--json'], { giveUpAfterMs: 100 });
    await done;
    const report = JSON.parse(io.out.trim()) as { checks: { ok: boolean }[] };
    assert.ok(report.checks.length > 0, 'the report came first');
    assert.equal(io.abandoned, 1);
    assert.deepEqual(noAnswerLines(io.err), ['Defender did not return from MpHandleClose; exiting without waiting for it.']);
  });

  test('a Path with no terminator is printed cut at 32,767 characters and the update ends normally', async () => {
    scenario('path-unterminated');
    const { io, done } = cli(['update', '--json']);
    assert.equal(await done, 0, io.err);
    const lines = io.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path?: string; result?: string });
    const paths = lines.flatMap((line) => (line.path ? [line.path] : []));
    assert.ok(paths.length > 0);
    for (const path of paths) assert.equal(path.length, 32_767);
    assert.equal(lines.at(-1)?.result, 'succeeded');
  });

  test('status: a version query that never returns is reported, exit 1, instead of waiting forever', async () => {
    scenario('version-query-hangs');
    const { io, done } = cli(['status'], { queryDeadlineMs: 100 });
    assert.equal(await done, 1);
    assert.match(io.err, /^Defender did not return from MpManagerVersionQuery; its versions are unknown\.$/m);
    assert.equal(io.abandoned, 1, 'the process is ended with the code');
  });

  test('MpManagerOpen never returns: Defender counts as not answering, exit 4', async () => {
    scenario('open-hangs');
    const { io, done } = cli(['update', '--json'], { openDeadlineMs: 100 });
    assert.equal(await done, 4);
    assert.equal(io.abandoned, 4);
    const line = JSON.parse(io.out.trim()) as { available: boolean; reason: string; message: string };
    assert.deepEqual([line.available, line.reason], [false, 'no-answer']);
    assert.match(line.message, /MpManagerOpen did not return/);
  });
});
