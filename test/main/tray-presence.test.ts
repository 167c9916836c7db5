/** ShowTrayIcon and AllowCancel in the shell: the tray icon comes and goes with the policy, and closing then quits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { createMainWindowManager } from '../../app/main/main-window';
import { createTrayPresence } from '../../app/main/tray-presence';
import { trayMenuTemplate, type TrayShell } from '../../app/main/tray';
import type { AppState } from '../../app/shared/app-state';
import { resolvePolicies, type RawValues } from '../../app/shared/policy';
import type { PolicyPort } from '../../app/main/ports';
import { FakeWindow } from './electron-fakes';
import { FakeScheduler, makeRig } from './fakes';

const dword = (data: number) => ({ type: 'REG_DWORD', data }) as const;

/** The registry's machine policy key, as the test sets it. */
class MachinePolicies implements PolicyPort {
  constructor(public values: RawValues = {}) {}
  read() {
    return { policies: resolvePolicies(this.values, {}), problem: null };
  }
}

class RecordingTrayShell implements TrayShell {
  readonly states: AppState[] = [];
  disposed = false;
  update(state: AppState): void {
    this.states.push(state);
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** The controller on fakes, the presence over it, and a window manager that asks the presence how to close. */
function shell(policies: MachinePolicies) {
  const rig = makeRig({ policies });
  const trays: RecordingTrayShell[] = [];
  let quits = 0;
  const presence = createTrayPresence({
    createTray: () => {
      const tray = new RecordingTrayShell();
      trays.push(tray);
      return tray;
    },
    quit: () => (quits += 1),
    state: () => rig.controller.getState(),
  });
  rig.controller.subscribe((event) => event.type === 'state' && presence.update(event.state));
  const windows: FakeWindow[] = [];
  const manager = createMainWindowManager({
    create: (options) => {
      const w = new FakeWindow(options);
      windows.push(w);
      return w;
    },
    preloadPath: '/app/out/preload/index.js',
    indexHtml: '/app/out/renderer/index.html',
    iconPath: '/app/assets/icon.png',
    title: 'Defender Updater',
    store: { load: () => ({ bounds: null, maximized: false }), save: () => Promise.resolve() },
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1040 }],
    isQuitting: () => false,
    hideOnClose: () => presence.closeHidesWindow(),
    scheduler: new FakeScheduler(),
  });
  /** The user closes the window; Electron then reports that every window is closed, if it really closed. */
  const closeWindow = (): boolean => {
    const hidden = windows.at(-1)!.clickClose();
    if (!hidden) presence.allWindowsClosed();
    return hidden;
  };
  return { rig, presence, trays, manager, closeWindow, quits: () => quits };
}

test('without the policy the app lives in the tray: closing the window hides it and nothing quits', async () => {
  const s = shell(new MachinePolicies());
  assert.equal(s.trays.length, 1);
  s.manager.open();
  assert.equal(s.closeWindow(), true);
  assert.equal(s.quits(), 0);
  assert.equal(s.presence.canStartHidden(), true);
  await s.rig.controller.dispose();
});

test('ShowTrayIcon=0: no tray icon, closing the window quits the app, and a start in the tray opens the window', async () => {
  const s = shell(new MachinePolicies({ ShowTrayIcon: dword(0) }));
  assert.equal(s.trays.length, 0, 'no icon was ever made');
  assert.equal(s.presence.canStartHidden(), false);
  s.manager.open();
  assert.equal(s.closeWindow(), false, 'the window really closes');
  assert.equal(s.quits(), 1);
  await s.rig.controller.dispose();
});

test('ShowTrayIcon set while the app runs takes the icon away on the next focus, and cleared gives it back', async () => {
  const policies = new MachinePolicies();
  const s = shell(policies);
  policies.values = { ShowTrayIcon: dword(0) };
  s.rig.controller.rereadPolicies();
  s.rig.scheduler.advance(16);
  assert.equal(s.trays[0]?.disposed, true);
  assert.equal(s.presence.closeHidesWindow(), false);
  policies.values = {};
  s.rig.controller.rereadPolicies();
  s.rig.scheduler.advance(16);
  assert.equal(s.trays.length, 2);
  assert.equal(s.trays[1]?.disposed, false);
  assert.equal(s.presence.closeHidesWindow(), true);
  await s.rig.controller.dispose();
});

test('with no tray and AllowCancel=0, closing during an update quits only once the update has ended', async () => {
  const s = shell(new MachinePolicies({ ShowTrayIcon: dword(0), AllowCancel: dword(0) }));
  s.manager.open();
  await s.rig.controller.startUpdate('window');
  s.rig.scheduler.advance(16);
  s.closeWindow();
  assert.equal(s.quits(), 0, 'quitting now would end an update that may not be cancelled');
  s.rig.engine.finish('succeeded');
  s.rig.scheduler.advance(16);
  assert.equal(s.quits(), 1);
  await s.rig.controller.dispose();
});

test('AllowCancel=0: the tray’s Cancel item is greyed and says the organisation manages it', async () => {
  const rig = makeRig({ policies: new MachinePolicies({ AllowCancel: dword(0) }) });
  await rig.controller.startUpdate('tray');
  const actions = { startUpdate: () => undefined, cancelUpdate: () => undefined, open: () => undefined, quit: () => undefined };
  const cancel = (state: AppState, lang: 'en' | 'ru'): MenuItemConstructorOptions | undefined =>
    trayMenuTemplate(state, lang, actions).find((item) => item.id === 'cancel');
  assert.deepEqual(
    [cancel(rig.controller.getState(), 'en')?.label, cancel(rig.controller.getState(), 'en')?.enabled],
    ['Cancel (managed by your organization)', false],
  );
  assert.equal(cancel(rig.controller.getState(), 'ru')?.label, 'Отменить (управляется вашей организацией)');
  const free = makeRig();
  await free.controller.startUpdate('tray');
  assert.equal(cancel(free.controller.getState(), 'en')?.enabled, true);
  await rig.controller.dispose();
  await free.controller.dispose();
});

test('AllowCancel=0: Quit from the tray during an update says it waits, and quits once the update has ended', async () => {
  const s = shell(new MachinePolicies({ AllowCancel: dword(0) }));
  await s.rig.controller.startUpdate('tray');
  s.rig.scheduler.advance(16);
  const actions = { startUpdate: () => undefined, cancelUpdate: () => undefined, open: () => undefined, quit: () => s.presence.requestQuit() };
  const quitItem = () => trayMenuTemplate(s.rig.controller.getState(), 'en', actions).find((item) => item.id === 'quit');
  assert.equal(quitItem()?.label, 'Quit when the update has ended');
  (quitItem()?.click as () => void)();
  assert.equal(s.quits(), 0, 'quitting now would end an update that may not be cancelled');
  assert.equal(s.rig.engine.cancels, 0);
  s.rig.engine.finish('succeeded');
  s.rig.scheduler.advance(16);
  assert.equal(s.quits(), 1);
  assert.equal(quitItem()?.label, 'Quit');
  await s.rig.controller.dispose();
});

test('a quit that waited for the update is off once the window opens again', async () => {
  const s = shell(new MachinePolicies({ ShowTrayIcon: dword(0), AllowCancel: dword(0) }));
  s.manager.open();
  await s.rig.controller.startUpdate('window');
  s.rig.scheduler.advance(16);
  s.closeWindow();
  s.presence.windowOpened(); // a second launch, a notification or the taskbar brings the window back
  s.manager.open();
  s.rig.engine.finish('succeeded');
  s.rig.scheduler.advance(16);
  assert.equal(s.quits(), 0, 'the window the user opened stays');
  await s.rig.controller.dispose();
});

test('without AllowCancel=0, Quit from the tray quits at once, also during an update', async () => {
  const s = shell(new MachinePolicies());
  await s.rig.controller.startUpdate('tray');
  s.rig.scheduler.advance(16);
  s.presence.requestQuit();
  assert.equal(s.quits(), 1);
  await s.rig.controller.dispose();
});
