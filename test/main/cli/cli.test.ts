/** `defender-updater` as a person or a script runs it: output, JSON lines and exit codes, per scenario. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { cliPath, jsonLines, runCli, startCli } from '../../support/cli';
import { lastUpdateOptions, useStandin } from '../../support/standin';

const standin = useStandin();
after(() => standin.cleanup());

let states = 0;
/** A state file of its own for the stand-in, with these lines (missing keys take the stand-in's defaults). */
function writeState(lines: string): string {
  const file = `${standin.stateFile}.${++states}`;
  writeFileSync(file, lines);
  return file;
}

function env(scenario: string, extra: Record<string, string> = {}) {
  standin.apply({ scenario, stepMs: 1 });
  return { ...standin.env, ...extra };
}

async function update(scenario: string, args: string[] = []) {
  const run = await runCli(['update', '--json', ...args], env(scenario));
  const lines = jsonLines(run.stdout);
  return { run, lines, final: lines.at(-1) ?? {}, notifications: lines.slice(0, -1) };
}

describe('update --json', () => {
  test('an update prints one line per notification, then the result, and exits 0', async () => {
    const { run, final, notifications } = await update('updated');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(final.result, 'succeeded');
    assert.equal(final.hresult, '0x00000000');
    const versions = final.versions as { before: string; after: string };
    assert.notEqual(versions.before, versions.after);
    assert.equal(notifications[0]?.notify, 'MPNOTIFY_SIGUPDATE_START');
    assert.equal(notifications.at(-1)?.notify, 'MPNOTIFY_SIGUPDATE_COMPLETE');
    for (const n of notifications)
      for (const key of ['notify', 'code', 'hresult', 'phase', 'percent', 'current', 'total']) assert.ok(key in n, `${key} in ${JSON.stringify(n)}`);
    assert.ok(notifications.some((n) => n.notify === 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS' && n.current === 2 && n.total === 2));
  });

  const cases: Array<[string, number, string, string?]> = [
    ['up-to-date', 0, 'up-to-date', '0x00000001'],
    ['reboot', 3, 'reboot-required'],
    ['network-failure', 1, 'failed', '0x80072EE7'],
    ['access-denied', 1, 'failed', '0x80070005'],
    ['install-failure', 1, 'failed', '0x8050A004'],
  ];
  for (const [scenario, code, result, hresult] of cases) {
    test(`${scenario}: result ${result}, exit code ${code}`, async () => {
      const { run, final } = await update(scenario);
      assert.equal(run.code, code, run.stderr);
      assert.equal(final.result, result);
      if (hresult) assert.equal(final.hresult, hresult);
      if (result === 'failed') assert.ok(typeof final.message === 'string' && final.message.length > 5, 'failures carry Defender text');
    });
  }

  test('unknown notification codes are printed by number and do not fail the update', async () => {
    const { run, notifications, final } = await update('unknown-codes');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(final.result, 'succeeded');
    assert.deepEqual(
      notifications.filter((n) => String(n.notify).startsWith('UNKNOWN_')).map((n) => n.notify),
      ['UNKNOWN_0x8042', 'UNKNOWN_0x9999'],
    );
  });

  test('a storm prints every one of its 10,000 progress lines', async () => {
    const { run, notifications, final } = await update('storm');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(final.result, 'succeeded');
    assert.equal(notifications.filter((n) => n.notify === 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS').length, 10_000);
  });

  test('a source the machine rejects is named in the error', async () => {
    const { run, final } = await update('source-unsupported', ['--source', 'wsus']);
    assert.equal(run.code, 1);
    assert.equal((final.error as { kind: string }).kind, 'source-unsupported');
  });
});

describe('without Defender', () => {
  test('a machine where the manager cannot open says so in one line and exits 4', async () => {
    const run = await runCli(['update'], env('manager-open-failure'));
    assert.equal(run.code, 4);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /^Defender not available: .*0x800106BA/);
  });

  test('a library path that does not exist exits 4', async () => {
    const run = await runCli(['status', '--json'], { ...env('updated'), MPCLIENT_PATH: standin.stateFile + '.missing.dll' });
    assert.equal(run.code, 4);
    assert.equal(jsonLines(run.stdout)[0]?.available, false);
  });
});

describe('status and usage', () => {
  test('status shows the signature version, when it was updated and its age in days', async () => {
    const run = await runCli(['status', '--json'], env('updated'));
    assert.equal(run.code, 0, run.stderr);
    const status = jsonLines(run.stdout)[0] as {
      versions: { antivirus: { version: string; updatedAt: string } };
      ageDays: number;
      upToDate: boolean;
    };
    assert.match(status.versions.antivirus.version, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(Number.isInteger(status.ageDays) && status.ageDays >= 0);
    assert.equal(status.upToDate, true, 'the stand-in starts 3 days old, within the default 7');
    const human = await runCli(['status'], env('updated'));
    assert.match(human.stdout, /Security intelligence\s+\d+\.\d+\.\d+\.\d+/);
    assert.match(human.stdout, /Last updated\s+\S+ \(\d+ days? ago\)/);
  });

  test('status exits 6 when security intelligence is older than --max-age-days, and says so', async () => {
    // Signatures last updated 10 days (and an hour) ago, in the stand-in's state file.
    const tenDaysAgo = BigInt(Date.now() - 10 * 86_400_000 - 3_600_000) * 10_000n + 116_444_736_000_000_000n;
    const stale = () => ({ ...env('updated'), MPCLIENT_STANDIN_STATE: writeState(`AVSignature.UpdateTime=${tenDaysAgo}\n`) });
    const old = await runCli(['status', '--json'], stale());
    assert.equal(old.code, 6, old.stderr);
    const verdict = jsonLines(old.stdout)[0] as { upToDate: boolean; ageDays: number; maxAgeDays: number };
    assert.deepEqual([verdict.upToDate, verdict.ageDays, verdict.maxAgeDays], [false, 10, 7], "Defender's own 7 days by default");
    const human = await runCli(['status', '--max-age-days', '9'], stale());
    assert.equal(human.code, 6);
    assert.match(human.stdout, /Verdict\s+OUT OF DATE: older than 9 days/);
    const allowed = await runCli(['status', '--max-age-days', '10'], stale());
    assert.equal(allowed.code, 0, 'exactly the allowed age is still up to date');
  });

  test('--version, help and --help print and exit 0', async () => {
    const version = await runCli(['--version'], env('updated'));
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^defender-updater \d+\.\d+\.\d+\n$/);
    for (const args of [['help'], ['--help'], ['update', '-h']]) {
      const run = await runCli(args, env('updated'));
      assert.equal(run.code, 0, args.join(' '));
      assert.match(run.stdout, /^Usage:/);
      assert.match(run.stdout, /6 status: security intelligence older than --max-age-days/);
    }
  });

  test('a mistyped option or command is named, with the likely one, never a parser message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['update', '--jsno'], /^defender-updater: Unknown option --jsno\. Did you mean --json\?$/m],
      [['updat'], /Unknown command "updat"\. Did you mean "update"\?/],
      [['update', '--source', 'mmcp'], /Unknown source "mmcp".*Did you mean "mmpc"\?/],
      [['update', '--source'], /--source needs a value, e\.g\. --source mmpc\./],
      [['status', '--max-age-days', 'week'], /--max-age-days takes a whole number of days/],
      [['status', '--probe-sources'], /--probe-sources only applies to "doctor"/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, env('updated'));
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /ERR_PARSE_ARGS|TypeError|at .*\.js:\d+/);
    }
  });

  test('bad usage exits 2 with the usage text', async () => {
    for (const args of [['update', '--source', 'carrier-pigeon'], ['frobnicate'], [], ['update', '--bogus']]) {
      const run = await runCli(args, env('updated'));
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /Usage:/);
    }
  });

  test('piped human output prints plain phase lines, no terminal codes', async () => {
    const run = await runCli(['update'], env('updated'));
    assert.equal(run.code, 0);
    assert.ok(!run.stdout.includes('\u001b['), 'no escape sequences');
    assert.match(run.stdout, /^Searching for updates/m);
    assert.match(run.stdout, /^Downloading… \(update 1 of 2\)/m);
    assert.match(run.stdout, /^Updated: security intelligence \S+ → \S+\.$/m);
  });
});

test(
  'Ctrl+C cancels the update, closes its handles and exits 5',
  { skip: process.platform === 'win32' ? 'Wine cannot deliver a console Ctrl+C to node.exe from here' : false },
  async () => {
    // A direct download: cancelling it needs no administrator (docs/mpclient.md "Cancel").
    const cli = startCli(['update', '--json', '--source', 'mmpc'], env('slow'));
    while (!cli.peek().includes('DOWNLOAD_PROGRESS')) await new Promise((r) => setTimeout(r, 20));
    cli.interrupt();
    const run = await cli.done;
    assert.equal(run.code, 5, run.stderr);
    assert.equal(jsonLines(run.stdout).at(-1)?.result, 'cancelled');
  },
);

test(
  'Ctrl+C on an update Defender will not cancel says why, and the update goes on to its result',
  { skip: process.platform === 'win32' ? 'Wine cannot deliver a console Ctrl+C to node.exe from here' : false },
  async () => {
    const cli = startCli(['update', '--json', '--source', 'wsus'], env('slow'));
    while (!cli.peek().includes('DOWNLOAD_PROGRESS')) await new Promise((r) => setTimeout(r, 20));
    cli.interrupt();
    const run = await cli.done;
    assert.match(run.stderr, /refused to cancel: .*administrator/);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(jsonLines(run.stdout).at(-1)?.result, 'succeeded');
  },
);

test(
  'MpUpdateStart never returns: the second Ctrl+C ends the process, naming the call, exit 5',
  { skip: process.platform === 'win32' ? 'Wine cannot deliver a console Ctrl+C to node.exe from here' : false },
  async () => {
    const state = `${standin.stateFile}.start-hangs`;
    const cli = startCli(['update'], env('start-hangs', { MPCLIENT_STANDIN_STATE: state }));
    // The stand-in notes the options before it hangs: from then on Defender holds the call.
    while (!existsSync(state) || !lastUpdateOptions(state)) await new Promise((r) => setTimeout(r, 20));
    cli.interrupt();
    while (!cli.peekErr().includes('Cancelling')) await new Promise((r) => setTimeout(r, 20));
    cli.interrupt();
    // A worker thread is still blocked inside the library: Node's own exit would wait for it for ever.
    const run = await cli.done;
    assert.equal(run.code, 5, run.stderr);
    assert.deepEqual(
      run.stderr.split('\n').filter((line) => line.includes('did not return')),
      ['Defender did not return from MpUpdateStart; exiting without waiting for it.'],
    );
  },
);

test('MpHandleClose never returns: 10 s after the update ended the CLI ends itself, naming the call, exit 1', async () => {
  // A fresh state file: the scenario list starts from its first entry.
  const run = await runCli(['update', '--json'], env('close-hangs', { MPCLIENT_STANDIN_STATE: `${standin.stateFile}.close-hangs` }));
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(
    run.stderr.split(/\r?\n/).filter((line) => line.includes('did not return')),
    ['Defender did not return from MpHandleClose; exiting without waiting for it.'],
  );
  const final = jsonLines(run.stdout).at(-1) as { result?: string; error?: { kind: string } };
  assert.deepEqual([final.result, final.error?.kind], ['failed', 'no-answer']);
});

test(
  'a reader that stops after one line (| head -1) ends output quietly; the update still runs to its result',
  { skip: process.platform === 'win32' ? 'node.exe under Wine cannot write to a Unix pipe at all (see scripts/windows/setup.mjs)' : false },
  async () => {
    const child = spawn(process.execPath, [cliPath, 'update', '--json'], {
      env: { ...process.env, ...env('updated') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first line, then close the pipe as `head -1` does.
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('\n')) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 0, "the exit code is the update's own (succeeded)");
    assert.doesNotMatch(stderr, /EPIPE|Error|at .*:\d+:\d+/, 'no stack trace');
  },
);

describe("the real DLL's facts, as a script sees them", () => {
  test('--source mmpc sends 0x8 | 0x3 and every line says updateType "http"', async () => {
    const { run, final, notifications } = await update('updated', ['--source', 'mmpc']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lastUpdateOptions(standin.stateFile), 0x8 | 0x3);
    assert.ok(notifications.length > 0);
    for (const n of notifications) assert.ok(n.updateType === 'http' || n.updateType === null, JSON.stringify(n));
    assert.ok(notifications.some((n) => n.updateType === 'http'));
    assert.deepEqual([final.source, final.updateType], ['mmpc', 'http'], 'the final line says what was asked for and what Defender did');
  });

  test('--source file-share sends 0x20 | 0x3', async () => {
    const { run, final } = await update('updated', ['--source', 'file-share']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lastUpdateOptions(standin.stateFile), 0x20 | 0x3);
    assert.equal(final.updateType, 'unc');
  });

  test('a failure reported only by COMPLETE exits 1 with that code', async () => {
    const { run, final } = await update('complete-failure');
    assert.equal(run.code, 1, run.stderr);
    assert.equal(final.result, 'failed');
    assert.equal(final.hresult, '0x80240022');
  });
});

describe('doctor', () => {
  interface Report {
    library: string;
    version: string | null;
    sharedSignatureRoot: string | null;
    checks: Array<{ name: string; expected: string; actual: string; ok: boolean }>;
    sources?: Record<string, string>;
  }

  test("--json: every check matches the real DLL's answers, exit 0, and no handle is left", async () => {
    const run = await runCli(['doctor', '--json'], env('stalled'));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = jsonLines(run.stdout)[0] as unknown as Report;
    assert.equal(report.library, standin.env.MPCLIENT_PATH);
    // Read from the DLL's version resource on Windows (the stand-in's is 4.18.9999.1); a Linux .so has none.
    assert.equal(report.version, process.platform === 'win32' ? '4.18.9999.1' : null);
    assert.ok(report.checks.length >= 10);
    for (const check of report.checks) assert.ok(check.ok, `${check.name}: expected ${check.expected}, got ${check.actual}`);
    const control = report.checks.find((c) => c.name === 'MpUpdateControl(update handle, ABORT)');
    assert.deepEqual([control?.expected, control?.actual], ['0x80070006', '0x80070006']);
    assert.equal(report.sources, undefined, 'sources only with --probe-sources');
  });

  test('a DLL that takes the update handle in MpUpdateControl is reported, exit 1', async () => {
    standin.apply({ scenario: 'stalled', controlAcceptsUpdateHandle: true });
    const run = await runCli(['doctor', '--json'], { ...standin.env });
    assert.equal(run.code, 1, run.stderr);
    const report = jsonLines(run.stdout)[0] as unknown as Report;
    const differ = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.actual}`);
    // Such a DLL refuses the manager handle before it looks at the control value, so the value-3 check differs too.
    assert.deepEqual(differ, [
      'MpUpdateControl(manager, 3): 0x80070006',
      'MpUpdateControl(update handle, ABORT): 0x00000000',
      'MpUpdateControl(manager, ABORT): 0x80070006',
    ]);
    const human = await runCli(['doctor'], { ...standin.env });
    assert.match(human.stdout, /^DIFF MpUpdateControl\(update handle, ABORT\)/m);
    assert.match(human.stdout, /3 check\(s\) differ from docs\/mpclient\.md/);
  });

  test('--probe-sources reports the update type Defender gives each service bit', async () => {
    standin.apply({ scenario: 'stalled', serviceTypes: '0x10=managed,0x40=unmanaged,0x80=http-srv,0x100=unmanaged-platform' });
    const run = await runCli(['doctor', '--json', '--probe-sources'], { ...standin.env });
    assert.equal(run.code, 0, run.stderr);
    const report = jsonLines(run.stdout)[0] as unknown as Report;
    assert.deepEqual(report.sources, { '0x10': 'managed', '0x40': 'unmanaged', '0x80': 'http_srv', '0x100': 'unmanaged_platform' });
  });

  test('a bit Defender refuses reports its HRESULT', async () => {
    standin.apply({ scenario: 'source-unsupported' });
    const run = await runCli(['doctor', '--json', '--probe-sources'], { ...standin.env });
    const report = jsonLines(run.stdout)[0] as unknown as Report;
    assert.deepEqual(report.sources, { '0x10': '0x80070057', '0x40': '0x80070057', '0x80': '0x80070057', '0x100': '0x80070057' });
  });

  test('without Defender: exit 4', async () => {
    const run = await runCli(['doctor', '--json'], env('manager-open-failure'));
    assert.equal(run.code, 4);
    assert.equal(jsonLines(run.stdout)[0]?.available, false);
  });
});
