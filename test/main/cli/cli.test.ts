/** `defender-updater` as a person or a script runs it: output, JSON lines and exit codes, per scenario. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { jsonLines, runCli, startCli } from '../../support/cli';
import { useStandin } from '../../support/standin';

const standin = useStandin();
after(() => standin.cleanup());

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
    const { run, final } = await update('source-unsupported', ['--source', 'mmpc']);
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
    const status = jsonLines(run.stdout)[0] as { versions: { antivirus: { version: string; updatedAt: string } }; signatureAgeDays: number };
    assert.match(status.versions.antivirus.version, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(Number.isInteger(status.signatureAgeDays) && status.signatureAgeDays >= 0);
    const human = await runCli(['status'], env('updated'));
    assert.match(human.stdout, /Security intelligence\s+\d+\.\d+\.\d+\.\d+/);
    assert.match(human.stdout, /Last updated\s+\S+ \(\d+ days? ago\)/);
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
    assert.match(run.stdout, /^Downloading \(update 1 of 2\)/m);
    assert.match(run.stdout, /^Updated: security intelligence \S+ → \S+\.$/m);
  });
});

test(
  'Ctrl+C cancels the update, closes its handles and exits 5',
  { skip: process.platform === 'win32' ? 'Wine cannot deliver a console Ctrl+C to node.exe from here' : false },
  async () => {
    const cli = startCli(['update', '--json'], env('slow'));
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
