import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { createTrayShell, trayIconState, trayTooltip, type TrayLike } from '../../app/main/tray';
import { resolveLanguage, verbatim } from '../../app/shared/messages';
import { registerIpc } from '../../app/main/ipc';
import type { AppState } from '../../app/shared/app-state';
import { FakeIpcMain, FakeWindow } from './electron-fakes';
import { FakeEngine, makeRig, type Rig } from './fakes';

type Template = MenuItemConstructorOptions[];

class FakeTray implements TrayLike<Template> {
  readonly images: string[] = [];
  readonly tooltips: string[] = [];
  readonly menus: Template[] = [];
  clickListeners: (() => void)[] = [];
  destroyed = false;
  setImage(image: string): void {
    this.images.push(image);
  }
  setToolTip(toolTip: string): void {
    this.tooltips.push(toolTip);
  }
  setContextMenu(menu: Template | null): void {
    if (menu) this.menus.push(menu);
  }
  on(_event: 'click', listener: () => void): unknown {
    this.clickListeners.push(listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get menu(): Template {
    return this.menus.at(-1) ?? [];
  }
  item(id: string): MenuItemConstructorOptions | undefined {
    return this.menu.find((item) => item.id === id);
  }
  click(id: string): void {
    const item = this.item(id);
    if (!item?.click) throw new Error(`no clickable ${id}`);
    (item.click as () => void)();
  }
}

function trayRig(rig: Rig = makeRig()) {
  const tray = new FakeTray();
  const opened: number[] = [];
  let quits = 0;
  const shell = createTrayShell({
    tray,
    buildMenu: (template) => template,
    assetsDir: '/app/assets',
    language: () => resolveLanguage(rig.controller.getState().settings.language, 'en-US'),
    actions: {
      startUpdate: () => void rig.controller.startUpdate('tray'),
      cancelUpdate: () => void rig.controller.cancelUpdate(),
      open: () => opened.push(1),
      quit: () => (quits += 1),
    },
  });
  rig.controller.subscribe((event) => event.type === 'state' && shell.update(event.state));
  shell.update(rig.controller.getState());
  return { rig, tray, shell, opened, quits: () => quits };
}

test('the tray and the window start one single update', async () => {
  const { rig, tray } = trayRig();
  const ipcMain = new FakeIpcMain();
  const win = new FakeWindow({}, 'file:///app/index.html');
  registerIpc({ ipcMain, controller: rig.controller, windows: () => [win], appUrl: 'file:///app/index.html' });
  const fromWindow = await ipcMain.invoke({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, 'update:start', undefined);
  tray.click('update');
  await rig.controller.startUpdate('tray');
  assert.deepEqual(fromWindow, { ok: true, value: { runId: 1, joined: false } });
  assert.deepEqual(
    rig.engine.starts.map((s) => s.trigger),
    ['window', 'tray', 'tray'],
  );
  assert.equal(rig.controller.getState().update.runId, 1, 'still the first and only run');
});

test('the tray icon follows the update: idle, updating, succeeded, failed, reboot', async () => {
  const { rig, tray } = trayRig();
  assert.equal(tray.images.at(-1), '/app/assets/tray/idle.png');
  await rig.controller.startUpdate('tray');
  rig.scheduler.advance(16);
  assert.equal(tray.images.at(-1), '/app/assets/tray/updating.png');
  rig.engine.finish('succeeded');
  assert.equal(tray.images.at(-1), '/app/assets/tray/succeeded.png');
  await rig.controller.startUpdate('tray');
  rig.engine.finish('failed');
  assert.equal(tray.images.at(-1), '/app/assets/tray/failed.png');
  await rig.controller.startUpdate('tray');
  rig.engine.finish('reboot-required');
  assert.equal(tray.images.at(-1), '/app/assets/tray/reboot.png');
  await rig.controller.dispatch('reboot:answer', { answer: 'later' });
  rig.scheduler.advance(16);
  assert.equal(trayIconState(rig.controller.getState()), 'reboot', 'Later keeps the reboot icon');
});

test('while updating the tooltip shows the phase and percent, and the menu offers Cancel', async () => {
  const { rig, tray } = trayRig();
  assert.equal(tray.item('cancel'), undefined);
  await rig.controller.startUpdate('tray');
  rig.engine.progress(42);
  rig.scheduler.advance(16);
  assert.equal(tray.tooltips.at(-1), 'Defender Updater: Downloading… 42%');
  assert.equal(tray.item('update')?.enabled, false);
  tray.click('cancel');
  assert.equal(rig.engine.cancels, 1);
  rig.engine.finish('cancelled');
  assert.equal(tray.item('cancel'), undefined);
  assert.equal(tray.item('update')?.enabled, true);
});

test('the menu shows the last result with its time, and Open and Quit work', async () => {
  const { rig, tray, opened, quits } = trayRig();
  assert.equal(tray.item('last-result')?.label, 'No update yet');
  await rig.controller.startUpdate('tray');
  rig.engine.finish('up-to-date');
  const label = tray.item('last-result')?.label ?? '';
  assert.match(label, /^Already up to date · \d{1,2}\/1[45]\/25, \d{1,2}:\d{2}\s?[AP]M$/);
  assert.equal(tray.item('last-result')?.enabled, false);
  tray.click('open');
  tray.clickListeners.forEach((l) => l());
  assert.equal(opened.length, 2, 'menu Open and a left click both open the window');
  tray.click('quit');
  assert.equal(quits(), 1);
});

test('the tray speaks Russian when the language setting says so', async () => {
  const { rig, tray } = trayRig();
  await rig.controller.dispatch('settings:set', { language: 'ru' });
  rig.scheduler.advance(16);
  assert.equal(tray.item('update')?.label, 'Обновить аналитику безопасности');
  assert.equal(tray.item('quit')?.label, 'Выход');
  assert.equal(tray.tooltips.at(-1), 'Defender Updater: Обновлений ещё не было');
});

test('the tooltip fits the 127 characters Windows shows (NOTIFYICONDATA szTip) in every state and language', async () => {
  const { rig, tray } = trayRig();
  for (const language of ['en', 'ru'] as const) {
    await rig.controller.dispatch('settings:set', { language });
    for (const result of ['succeeded', 'up-to-date', 'failed', 'cancelled', 'reboot-required'] as const) {
      await rig.controller.startUpdate('tray');
      rig.engine.progress(100);
      rig.scheduler.advance(16);
      rig.engine.finish(result);
      rig.scheduler.advance(16);
    }
  }
  // A scheduled restart outranks every result, so it comes last, in both languages.
  await rig.controller.dispatch('reboot:answer', { answer: 'restart-now' });
  for (const language of ['en', 'ru'] as const) {
    await rig.controller.dispatch('settings:set', { language });
    rig.scheduler.advance(16);
  }
  assert.ok(tray.tooltips.length > 10, tray.tooltips.join('\n'));
  const long = tray.tooltips.filter((tip) => tip.length > 127);
  assert.deepEqual(long, []);
});

test('without Defender the tray cannot start an update and says why', () => {
  const rig = makeRig({ engine: new FakeEngine({ kind: 'unavailable', reason: 'not-windows', message: verbatim('no'), demo: false }) });
  const { tray } = trayRig(rig);
  assert.equal(tray.item('update')?.enabled, false);
  assert.equal(tray.tooltips.at(-1), 'Defender Updater: Microsoft Defender is not available');
});

test('a progress storm does not rebuild the tray menu for every percent', async () => {
  const { rig, tray } = trayRig();
  await rig.controller.startUpdate('tray');
  for (let i = 0; i < 1000; i++) {
    rig.engine.progress(i % 100);
    rig.scheduler.advance(1);
  }
  assert.ok(tray.menus.length <= 3, `${tray.menus.length} menus built`);
  assert.ok(tray.images.length <= 2);
});

test('in demo mode the tooltip says Demo', () => {
  const state: AppState = { ...makeRig({ engine: new FakeEngine({ kind: 'available', libraryPath: 'x', demo: true }) }).controller.getState() };
  assert.match(trayTooltip(state, 'en'), /^Defender Updater \(Demo\): /);
});
