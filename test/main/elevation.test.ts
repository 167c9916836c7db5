/** Restart as administrator: the UAC launch of the app's own executable, and the single-instance handover. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createElevatedRelauncher,
  DECLINED_EXIT_CODE,
  encodeCommand,
  powershellExePath,
  processIsElevated,
  quoteWindowsArg,
  relaunchScript,
  type ElevationStatus,
} from '../../app/main/elevation';
import { RecordingRunner } from './fakes';

const EXE = "C:\\Users\\O'Brien\\AppData\\Local\\Programs\\Defender Updater\\DefenderUpdater.exe";

function relauncherRig(status: ElevationStatus = 'standard', args: string[] = ['--update']) {
  const runner = new RecordingRunner();
  const lock: string[] = [];
  let lockFree = true;
  const relauncher = createElevatedRelauncher({
    status: () => status,
    runner,
    powershellPath: powershellExePath({ SystemRoot: 'C:\\Windows' }),
    executable: EXE,
    args,
    lock: {
      release: () => lock.push('release'),
      reacquire: () => {
        lock.push('reacquire');
        return lockFree;
      },
    },
  });
  return { runner, lock, relauncher, takeLock: () => (lockFree = false) };
}

/** The script PowerShell was given, decoded from -EncodedCommand. */
function sentScript(runner: RecordingRunner): string {
  const args = runner.calls[0]?.args ?? [];
  return Buffer.from(args[args.indexOf('-EncodedCommand') + 1] ?? '', 'base64').toString('utf16le');
}

test('it starts the app’s own executable with RunAs and --update, through Windows PowerShell in System32', async () => {
  const { runner, relauncher, lock } = relauncherRig();
  assert.equal(await relauncher.relaunchElevated(), 'started');
  assert.equal(runner.calls[0]?.file, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  assert.deepEqual(runner.calls[0]?.args.slice(0, 6), ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
  const script = sentScript(runner);
  assert.match(
    script,
    /Start-Process -FilePath 'C:\\Users\\O''Brien\\AppData\\Local\\Programs\\Defender Updater\\DefenderUpdater\.exe' -ArgumentList '--update' -Verb RunAs/,
  );
  assert.deepEqual(lock, ['release'], 'the lock is free before the elevated app looks for it, and stays free');
});

test('a declined prompt (ERROR_CANCELLED, 1223) is "declined", and the lock is taken back', async () => {
  const { runner, relauncher, lock } = relauncherRig();
  runner.result = { code: DECLINED_EXIT_CODE, stdout: '', stderr: '', error: null };
  assert.equal(await relauncher.relaunchElevated(), 'declined');
  assert.match(sentScript(runner), /NativeErrorCode -eq 1223\) \{ exit 3 \}/);
  assert.deepEqual(lock, ['release', 'reacquire']);
});

test('any other failure is an error with PowerShell’s own words, and the lock is taken back', async () => {
  const { runner, relauncher, lock } = relauncherRig();
  runner.result = { code: 1, stdout: '', stderr: 'This command cannot be run because the file cannot be found.\r\n', error: null };
  await assert.rejects(relauncher.relaunchElevated(), /file cannot be found/);
  runner.result = { code: null, stdout: '', stderr: '', error: 'spawn powershell.exe ENOENT' };
  await assert.rejects(relauncher.relaunchElevated(), /ENOENT/);
  assert.deepEqual(lock, ['release', 'reacquire', 'release', 'reacquire']);
});

test('one prompt at a time: a double click asks Windows once', async () => {
  const { runner, relauncher } = relauncherRig();
  const [a, b] = await Promise.all([relauncher.relaunchElevated(), relauncher.relaunchElevated()]);
  assert.deepEqual([a, b], ['started', 'started']);
  assert.equal(runner.calls.length, 1);
});

test('nothing is launched where it cannot help: already elevated, or not Windows', async () => {
  for (const status of ['elevated', 'unsupported'] as const) {
    const { runner, relauncher, lock } = relauncherRig(status);
    await assert.rejects(relauncher.relaunchElevated());
    assert.equal(runner.calls.length, 0);
    assert.deepEqual(lock, []);
  }
});

test('a development run passes its app folder first, quoted as Windows reads arguments back', () => {
  const script = relaunchScript('C:\\node_modules\\electron\\dist\\electron.exe', ['C:\\src\\defender updater', '--update']);
  assert.match(script, /-ArgumentList '"C:\\src\\defender updater" --update'/);
  assert.equal(quoteWindowsArg('--update'), '--update');
  assert.equal(quoteWindowsArg('C:\\a b\\'), '"C:\\a b\\\\"', 'a trailing backslash is doubled before the closing quote');
  assert.equal(quoteWindowsArg('say "hi"'), '"say \\"hi\\""');
  assert.equal(quoteWindowsArg(''), '""');
  assert.equal(Buffer.from(encodeCommand('é'), 'base64').toString('utf16le'), 'é', '-EncodedCommand is UTF-16LE Base64');
});

test('elevation is read from IsUserAnAdmin; a failure reads as not elevated', () => {
  assert.equal(
    processIsElevated(() => ({ func: () => () => 1 })),
    true,
  );
  assert.equal(
    processIsElevated(() => ({ func: () => () => 0 })),
    false,
  );
  assert.equal(
    processIsElevated(() => {
      throw new Error('shell32.dll: cannot open shared object file');
    }),
    false,
  );
});
