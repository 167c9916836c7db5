import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMainWindowManager, taskbarProgress } from '../../app/main/main-window';
import { visibleBounds, type WindowState, type WindowStateStore } from '../../app/main/window-state';
import { IDLE_SNAPSHOT } from '../../app/shared/update';
import { FakeWindow } from './electron-fakes';
import { FakeScheduler } from './fakes';

class MemoryWindowState implements WindowStateStore {
  readonly saved: WindowState[] = [];
  constructor(private state: WindowState = { bounds: null, maximized: false }) {}
  load(): WindowState {
    return this.state;
  }
  save(state: WindowState): Promise<void> {
    this.saved.push(state);
    this.state = state;
    return Promise.resolve();
  }
}

function setup(state?: WindowState) {
  const created: FakeWindow[] = [];
  const store = new MemoryWindowState(state);
  const scheduler = new FakeScheduler();
  let quitting = false;
  const manager = createMainWindowManager({
    create: (options) => {
      const w = new FakeWindow(options);
      created.push(w);
      return w;
    },
    preloadPath: '/app/out/preload/index.js',
    indexHtml: '/app/out/renderer/index.html',
    iconPath: '/app/assets/icon.png',
    title: 'Defender Updater',
    store,
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1040 }],
    isQuitting: () => quitting,
    scheduler,
  });
  return { manager, created, store, scheduler, quit: () => (quitting = true) };
}

test('the window is created locked down: isolated, sandboxed, no Node, no webview, our preload', () => {
  const { manager, created } = setup();
  manager.open();
  const prefs = created[0]?.options.webPreferences;
  assert.equal(prefs?.contextIsolation, true);
  assert.equal(prefs?.sandbox, true);
  assert.equal(prefs?.nodeIntegration, false);
  assert.equal(prefs?.nodeIntegrationInWorker, false);
  assert.equal(prefs?.nodeIntegrationInSubFrames, false);
  assert.equal(prefs?.webviewTag, false);
  assert.equal(prefs?.webSecurity, true);
  assert.equal(prefs?.allowRunningInsecureContent, false);
  assert.equal(prefs?.preload, '/app/out/preload/index.js');
  assert.deepEqual(created[0]?.loaded, ['/app/out/renderer/index.html']);
});

test('the window stays hidden until its first paint is ready, then shows and takes focus', () => {
  const { manager, created } = setup();
  manager.open();
  const w = created[0]!;
  assert.equal(w.options.show, false);
  assert.deepEqual(w.calls, []);
  w.fire('ready-to-show');
  assert.deepEqual(w.calls, ['show', 'focus']);
});

test('started hidden (login start), no window exists until the tray opens one', () => {
  const { manager, created } = setup();
  assert.equal(manager.current(), null);
  assert.equal(created.length, 0);
  manager.open();
  assert.equal(created.length, 1);
});

test('closing the window hides it to the tray; Open brings the same window back', () => {
  const { manager, created } = setup();
  manager.open();
  const w = created[0]!;
  w.fire('ready-to-show');
  assert.equal(w.clickClose(), true, 'the close was turned into a hide');
  assert.equal(w.visible, false);
  assert.equal(w.destroyed, false);
  w.minimized = true;
  manager.open();
  assert.equal(created.length, 1, 'no second window');
  assert.deepEqual(w.calls.slice(-3), ['restore', 'show', 'focus']);
});

test('after Quit, closing really closes, and a later Open makes a new window', () => {
  const { manager, created, quit } = setup();
  manager.open();
  quit();
  assert.equal(created[0]!.clickClose(), false);
  assert.equal(manager.current(), null);
  manager.open();
  assert.equal(created.length, 2);
});

test('size and position are remembered and restored, maximized too', () => {
  const first = setup();
  first.manager.open();
  const w = first.created[0]!;
  w.fire('ready-to-show');
  w.bounds = { x: 100, y: 80, width: 1000, height: 700 };
  w.fire('move');
  w.fire('resize');
  assert.equal(first.store.saved.length, 0, 'not written while the window is still moving');
  first.scheduler.advance(500);
  assert.equal(first.store.saved.length, 1);
  w.maximized = true;
  w.clickClose();
  assert.deepEqual(first.store.saved.at(-1), { bounds: { x: 100, y: 80, width: 1000, height: 700 }, maximized: true });

  const second = setup(first.store.saved.at(-1));
  second.manager.open();
  const options = second.created[0]!.options;
  assert.deepEqual([options.x, options.y, options.width, options.height], [100, 80, 1000, 700]);
  second.created[0]!.fire('ready-to-show');
  assert.ok(second.created[0]!.calls.includes('maximize'));
});

test('a position on a monitor that is gone is not used', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  assert.equal(visibleBounds({ x: 3000, y: 100, width: 800, height: 600 }, screens), null);
  assert.equal(visibleBounds({ x: 100, y: -500, width: 800, height: 600 }, screens), null);
  assert.deepEqual(visibleBounds({ x: -50, y: 10, width: 800, height: 600 }, screens), { x: -50, y: 10, width: 800, height: 600 });
  const { manager, created } = setup({ bounds: { x: 5000, y: 5000, width: 800, height: 600 }, maximized: false });
  manager.open();
  assert.equal(created[0]!.options.x, undefined, 'Electron centres it instead');
});

test('the taskbar button shows the update progress and clears when it ends', () => {
  const { manager, created } = setup();
  manager.open();
  const w = created[0]!;
  manager.setProgress({ ...IDLE_SNAPSHOT, phase: 'searching', percent: null });
  manager.setProgress({ ...IDLE_SNAPSHOT, phase: 'downloading', percent: 50 });
  manager.setProgress({ ...IDLE_SNAPSHOT, phase: 'downloading', percent: 50 });
  manager.setProgress({ ...IDLE_SNAPSHOT, phase: 'succeeded' });
  assert.deepEqual(w.progress, [
    { value: 2, mode: 'indeterminate' },
    { value: 0.5, mode: 'normal' },
    { value: -1, mode: 'none' },
  ]);
  assert.deepEqual(taskbarProgress({ ...IDLE_SNAPSHOT, phase: 'failed' }), { value: 1, mode: 'error' });
  assert.deepEqual(taskbarProgress({ ...IDLE_SNAPSHOT, phase: 'downloading', percent: 30, stalled: true }), { value: 0.3, mode: 'paused' });
});
