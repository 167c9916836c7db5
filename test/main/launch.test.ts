import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_USER_MODEL_ID } from '../../app/main/app-id';
import { applyLoginItem } from '../../app/main/login-item';
import { claimSingleInstance, handleLaunch, parseLaunchArgs, type LaunchArgs, type SingleInstanceApp } from '../../app/main/single-instance';
import { shutdownExePath } from '../../app/main/reboot';
import { repoRoot } from '../support/paths';
import { makeRig } from './fakes';

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
  const run = (args: LaunchArgs) =>
    handleLaunch(args, { showWindow: () => shown.push(1), startUpdate: () => void rig.controller.startUpdate('command-line') });
  return { rig, shown, run };
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
  assert.deepEqual(parseLaunchArgs(['app.exe']), { update: false, hidden: false, demo: false });
  assert.deepEqual(parseLaunchArgs(['app.exe', '--demo', '--hidden']), { update: false, hidden: true, demo: true });
  assert.deepEqual(parseLaunchArgs(['app.exe', '--updates', 'update', '--update=1']), { update: false, hidden: false, demo: false });
});

test('start at login registers the app with --hidden, and turning it off unregisters it', () => {
  const calls: unknown[] = [];
  const app = { setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[]; path?: string }) => calls.push(settings) };
  const exe = 'C:\\Program Files\\Defender Updater\\Defender Updater.exe';
  assert.equal(applyLoginItem(app, { enabled: true, platform: 'win32', execPath: exe }), true);
  assert.equal(applyLoginItem(app, { enabled: false, platform: 'win32', execPath: exe }), true);
  assert.deepEqual(calls, [
    { openAtLogin: true, path: exe, args: ['--hidden'] },
    { openAtLogin: false, path: exe, args: ['--hidden'] },
  ]);
  assert.equal(applyLoginItem(app, { enabled: true, platform: 'linux', execPath: '/usr/bin/x' }), false);
  assert.equal(calls.length, 2);
});

test('the portable build registers the real exe at login, not its temporary extracted copy', () => {
  const calls: Array<{ path?: string }> = [];
  const app = { setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[]; path?: string }) => calls.push(settings) };
  const temp = 'C:\\Users\\u\\AppData\\Local\\Temp\\2b3c\\Defender Updater.exe';
  const real = 'D:\\Tools\\DefenderUpdater-portable.exe';
  applyLoginItem(app, { enabled: true, platform: 'win32', execPath: temp, env: { PORTABLE_EXECUTABLE_FILE: real } });
  applyLoginItem(app, { enabled: true, platform: 'win32', execPath: temp, env: {} });
  assert.deepEqual(
    calls.map((c) => c.path),
    [real, temp],
  );
});

test('the notification identity equals the appId in electron-builder.yml', () => {
  const yml = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
  const appId = /^appId:\s*(\S+)\s*$/m.exec(yml)?.[1];
  assert.equal(appId, APP_USER_MODEL_ID);
});

test('shutdown.exe is taken from System32, not from PATH', () => {
  assert.equal(shutdownExePath({ SystemRoot: 'D:\\Windows\\' }), 'D:\\Windows\\System32\\shutdown.exe');
  assert.equal(shutdownExePath({}), 'C:\\Windows\\System32\\shutdown.exe');
});
