/**
 * The CLI run in-process with the real engine on the stand-in, so what a child process hides is visible: the terminal
 * progress bar, and that Ctrl+C leaves no handle open. Runs under Wine too, where a real Ctrl+C cannot be sent.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { registeredCallbackCount } from '../../../app/main/mpclient/binding';
import { runCli, type CliPorts } from '../../../app/main/cli/run-cli';
import { openStandinEngine } from '../../support/engine';
import { standinCounters, useStandin } from '../../support/standin';

const standin = useStandin();
after(() => standin.cleanup());

function cli(argv: string[], options: { isTty?: boolean; watchdogMs?: number } = {}) {
  const io = { out: '', err: '', interrupt: null as (() => void) | null };
  const ports: CliPorts = {
    argv,
    out: (text) => void (io.out += text),
    err: (text) => void (io.err += text),
    isTty: options.isTty ?? false,
    openEngine: () => openStandinEngine(options.watchdogMs ? { watchdogMs: options.watchdogMs } : {}),
    onInterrupt: (handler) => {
      io.interrupt = handler;
      return () => (io.interrupt = null);
    },
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
  assert.match(io.out, /Downloading \(update \d of 2\) \[#+\.*\] +\d+%/);
  // After the last clear of the line comes the result alone: the bar does not linger in front of it.
  assert.match(io.out.split('\r\u001b[2K').at(-1) ?? '', /^Updated: security intelligence \S+ → \S+\.\n$/);
});

test('Ctrl+C cancels, exits 5 and leaves no handle, buffer or callback behind', async () => {
  standin.apply({ scenario: 'slow', stepMs: 1 });
  const before = standinCounters().openHandles;
  const { io, done } = cli(['update', '--json']);
  await until(() => io.out.includes('DOWNLOAD_PROGRESS') && io.interrupt !== null);
  io.interrupt!();
  assert.equal(await done, 5, io.err);
  assert.equal((JSON.parse(io.out.trim().split('\n').at(-1)!) as { result: string }).result, 'cancelled');
  assert.equal(standinCounters().openHandles, before, 'update and manager handles are closed');
  assert.equal(standinCounters().runningUpdates, 0);
  assert.equal(standinCounters().unfreedBuffers, 0);
  assert.equal(registeredCallbackCount(), 0);
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
