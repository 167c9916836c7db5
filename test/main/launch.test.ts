import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_USER_MODEL_ID } from '../../app/main/app-id';
import { applyLoginItem, launcherPath } from '../../app/main/login-item';
import { claimSingleInstance, handleLaunch, parseLaunchArgs, type LaunchArgs, type SingleInstanceApp } from '../../app/main/single-instance';
import { shutdownExePath } from '../../app/main/reboot';
import { repoRoot } from '../support/paths';
import { createTokenBook, routeActivation, type TokenBook } from '../../app/main/activation';
import { freshnessNotification, notificationContent, reminderNotification, type NotificationSpec } from '../../app/main/notifications';
import { makeRig, settle } from './fakes';

class FakeApp implements SingleInstanceApp {
  quits = 0;
  secondInstance: ((event: unknown, argv: string[], cwd: string) => void) | null = null;
  constructor(private readonly lock: boolean) {}
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  on(_event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown {
    this.secondInstance = listener;
    return this;
  }
  quit(): void {
    this.quits += 1;
  }
}

function launchRig() {
  const rig = makeRig();
  const shown: number[] = [];
  const tokens = createTokenBook(() => `token-${String(Math.random()).slice(2).padEnd(20, '0')}`);
  const run = (args: LaunchArgs) =>
    handleLaunch(args, {
      showWindow: () => shown.push(1),
      startUpdate: () => void rig.controller.startUpdate('command-line'),
      activate: (activation) =>
        routeActivation(tokens.admit(activation), {
          openWindow: () => shown.push(1),
          answerReboot: (answer) => void rig.controller.dispatch('reboot:answer', { answer }),
          startUpdate: () => void rig.controller.startUpdate('notification'),
        }),
    });
  return { rig, shown, run, tokens };
}

/** The URLs the buttons of the toast the app would show now carry. */
function toastButtonUrls(spec: NotificationSpec, tokens: TokenBook): string[] {
  const xml = notificationContent(spec, 'en', true, tokens).toastXml ?? '';
  return [...xml.matchAll(/arguments="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

test('a second launch quits itself and focuses the first one', () => {
  const second = new FakeApp(false);
  assert.equal(
    claimSingleInstance(second, () => assert.fail('the second instance handles nothing')),
    false,
  );
  assert.equal(second.quits, 1);

  const { rig, shown, run } = launchRig();
  const first = new FakeApp(true);
  assert.equal(claimSingleInstance(first, run), true);
  first.secondInstance?.({}, ['C:\\Program Files\\Defender Updater\\Defender Updater.exe'], 'C:\\');
  assert.equal(shown.length, 1);
  assert.equal(rig.engine.starts.length, 0);
});

test('--update on a second launch starts an update in the first, from the command line', () => {
  const { rig, run } = launchRig();
  const first = new FakeApp(true);
  claimSingleInstance(first, run);
  first.secondInstance?.({}, ['Defender Updater.exe', '--allow-file-access-from-files', '--update'], 'C:\\');
  assert.deepEqual(rig.engine.starts, [{ source: 'default', trigger: 'command-line' }]);
});

test('--update on the first launch starts an update; --hidden keeps the window closed', () => {
  const { rig, shown, run } = launchRig();
  run(parseLaunchArgs(['electron.exe', '.', '--hidden', '--update']));
  assert.equal(shown.length, 0);
  assert.equal(rig.engine.starts[0]?.trigger, 'command-line');
});

test('launch flags are matched exactly', () => {
  assert.deepEqual(parseLaunchArgs(['app.exe']), { update: false, hidden: false, demo: false, activation: null });
  assert.deepEqual(parseLaunchArgs(['app.exe', '--demo', '--hidden']), { update: false, hidden: true, demo: true, activation: null });
  assert.deepEqual(parseLaunchArgs(['app.exe', '--updates', 'update', '--update=1']), {
    update: false,
    hidden: false,
    demo: false,
    activation: null,
  });
});

test('Restart now on the toast, clicked while the app runs, restarts through the same flow as the window', async () => {
  const { rig, shown, run, tokens } = launchRig();
  const first = new FakeApp(true);
  claimSingleInstance(first, run);
  await rig.controller.startUpdate('window');
  rig.engine.finish('reboot-required');
  const [restartNow] = toastButtonUrls(reminderNotification('en'), tokens);
  // Windows starts the exe with the URL; the second instance hands its argv to this one.
  first.secondInstance?.({}, ['C:\\Program Files\\Defender Updater\\DefenderUpdater.exe', restartNow!], 'C:\\');
  await settle();
  assert.deepEqual(
    rig.runner.calls.map((c) => c.args.slice(0, 3)),
    [['/r', '/t', '60']],
  );
  assert.equal(rig.controller.getState().reboot.kind, 'restart-scheduled');
  assert.equal(shown.length, 1, 'the window opens on the countdown, with Cancel restart');
  await rig.controller.dispose();
});

test('Later on the toast sets the reminder without opening the window', async () => {
  const { rig, shown, run, tokens } = launchRig();
  await rig.controller.startUpdate('window');
  rig.engine.finish('reboot-required');
  const [, later] = toastButtonUrls(reminderNotification('en'), tokens);
  run(parseLaunchArgs(['DefenderUpdater.exe', later!]));
  await settle();
  const reboot = rig.controller.getState().reboot;
  assert.equal(reboot.kind === 'needed' && reboot.remindAt, rig.scheduler.now() + 4 * 3_600_000);
  assert.equal(shown.length, 0);
  assert.equal(rig.runner.calls.length, 0);
  await rig.controller.dispose();
});

test('Update now on the freshness toast starts an update, marked as from a notification', async () => {
  const { rig, run, tokens } = launchRig();
  const [updateNow] = toastButtonUrls(freshnessNotification({ kind: 'old', days: 12 }, 'en'), tokens);
  run(parseLaunchArgs(['DefenderUpdater.exe', updateNow!]));
  await settle();
  assert.deepEqual(rig.engine.starts, [{ source: 'default', trigger: 'notification' }]);
  await rig.controller.dispose();
});

test('a forged or stale defender-updater: URL only opens the window; it never restarts the computer', async () => {
  const { rig, shown, run } = launchRig();
  await rig.controller.startUpdate('window');
  rig.engine.finish('reboot-required');
  for (const url of [
    'defender-updater://reboot/restart-now',
    'defender-updater://reboot/restart-now?token=guessedguessedguessed',
    'DEFENDER-UPDATER://update/now?token=from-another-run-0000',
  ])
    run(parseLaunchArgs(['DefenderUpdater.exe', url]));
  await settle();
  assert.equal(rig.runner.calls.length, 0);
  assert.equal(rig.engine.starts.length, 1, 'only the update the test started');
  assert.equal(shown.length, 3);
  await rig.controller.dispose();
});

const TEMP = 'C:\\Users\\u\\AppData\\Local\\Temp';
/** Where a machine's files are, for the login item: only these exist. */
const onMachine =
  (...files: string[]) =>
  (path: string) =>
    files.includes(path);

test('start at login registers the app with --hidden, and turning it off unregisters it', () => {
  const calls: unknown[] = [];
  const app = { setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[]; path?: string }) => calls.push(settings) };
  const exe = 'C:\\Program Files\\Defender Updater\\Defender Updater.exe';
  const facts = { execPath: exe, env: {}, tempDir: TEMP, fileExists: onMachine(exe) };
  assert.equal(applyLoginItem(app, { ...facts, enabled: true, platform: 'win32' }), true);
  assert.equal(applyLoginItem(app, { ...facts, enabled: false, platform: 'win32' }), true);
  assert.deepEqual(calls, [
    { openAtLogin: true, path: exe, args: ['--hidden'] },
    { openAtLogin: false, path: exe, args: ['--hidden'] },
  ]);
  assert.equal(applyLoginItem(app, { ...facts, execPath: '/usr/bin/x', enabled: true, platform: 'linux' }), false);
  assert.equal(calls.length, 2);
});

test('the portable build registers the real exe at login, not its temporary extracted copy', () => {
  // What electron-builder's portable launcher sets (templates/nsis/portable.nsi) before it runs the extracted app.
  const extracted = `${TEMP}\\nsq2B3C.tmp\\app\\Defender Updater.exe`;
  const real = 'D:\\Tools\\DefenderUpdater-portable.exe';
  const env = { PORTABLE_EXECUTABLE_FILE: real, PORTABLE_EXECUTABLE_DIR: 'D:\\Tools', PORTABLE_EXECUTABLE_APP_FILENAME: 'Defender Updater' };
  assert.equal(launcherPath({ execPath: extracted, env, tempDir: TEMP, fileExists: onMachine(real, extracted) }), real);
  assert.equal(launcherPath({ execPath: extracted, env: {}, tempDir: TEMP, fileExists: onMachine(real, extracted) }), extracted);
});

test('PORTABLE_EXECUTABLE_FILE is ignored unless this really is the portable build and it names an exe that exists', () => {
  const installed = 'C:\\Users\\u\\AppData\\Local\\Programs\\defender-updater\\Defender Updater.exe';
  const extracted = `${TEMP}\\nsq2B3C.tmp\\app\\Defender Updater.exe`;
  const real = 'D:\\Tools\\DefenderUpdater-portable.exe';
  const portableEnv = { PORTABLE_EXECUTABLE_FILE: real, PORTABLE_EXECUTABLE_DIR: 'D:\\Tools' };
  const cases: Array<[string, string, Record<string, string>, string[]]> = [
    ['an installed app started with the variables set', installed, portableEnv, [real, installed]],
    [
      'a file that is not an .exe',
      extracted,
      { PORTABLE_EXECUTABLE_FILE: 'D:\\Tools\\run.bat', PORTABLE_EXECUTABLE_DIR: 'D:\\Tools' },
      ['D:\\Tools\\run.bat'],
    ],
    ['an exe that does not exist', extracted, portableEnv, []],
    ['a file outside the folder the launcher named', extracted, { ...portableEnv, PORTABLE_EXECUTABLE_DIR: 'E:\\Other' }, [real]],
    ['a relative path', extracted, { PORTABLE_EXECUTABLE_FILE: 'DefenderUpdater.exe', PORTABLE_EXECUTABLE_DIR: '.' }, ['DefenderUpdater.exe']],
    [
      'an exe inside the temp folder',
      extracted,
      { PORTABLE_EXECUTABLE_FILE: `${TEMP}\\x\\evil.exe`, PORTABLE_EXECUTABLE_DIR: `${TEMP}\\x` },
      [`${TEMP}\\x\\evil.exe`],
    ],
  ];
  for (const [name, execPath, env, existing] of cases) {
    assert.equal(launcherPath({ execPath, env, tempDir: TEMP, fileExists: onMachine(execPath, ...existing) }), execPath, name);
  }
});

test('the notification identity equals the appId in electron-builder.yml', () => {
  const yml = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
  const appId = /^appId:\s*(\S+)\s*$/m.exec(yml)?.[1];
  assert.equal(appId, APP_USER_MODEL_ID);
});

test('shutdown.exe is taken from System32 as Windows reports it, not from PATH or the environment', () => {
  const planted = { SystemRoot: 'C:\\Users\\u\\Downloads\\fake' };
  const windows = () => 'D:\\Windows\\system32';
  assert.equal(shutdownExePath({ systemDirectory: windows, env: planted, trustEnvironment: false }), 'D:\\Windows\\system32\\shutdown.exe');
  assert.equal(shutdownExePath({ systemDirectory: windows, env: planted, trustEnvironment: true }), 'D:\\Windows\\system32\\shutdown.exe');
  const unknown = () => null;
  assert.equal(
    shutdownExePath({ systemDirectory: unknown, env: planted, trustEnvironment: false }),
    'C:\\Windows\\System32\\shutdown.exe',
    'a packaged app never takes %SystemRoot% from whoever started it',
  );
  assert.equal(
    shutdownExePath({ systemDirectory: unknown, env: { SystemRoot: 'D:\\Windows\\' }, trustEnvironment: true }),
    'D:\\Windows\\System32\\shutdown.exe',
  );
  assert.equal(shutdownExePath({ systemDirectory: unknown, env: {}, trustEnvironment: true }), 'C:\\Windows\\System32\\shutdown.exe');
});
