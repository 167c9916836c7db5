/**
 * The main window: created hidden and shown when ready, closed = hidden to the tray (unless quitting, or there is no
 * tray), size and position remembered, taskbar progress while updating. Electron's BrowserWindow is passed in as a factory.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { UpdateSnapshot } from '../shared/update';
import { isActivePhase } from '../shared/update';
import type { PreventableEvent, Scheduler, TimerHandle } from './ports';
import { visibleBounds, type Rect, type WindowState, type WindowStateStore } from './window-state';

export const DEFAULT_SIZE = { width: 960, height: 680 };
export const MIN_SIZE = { width: 640, height: 480 };

/** Locked down: the renderer only gets the preload's bridge. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click would open links in a new window; window.open is denied anyway, this removes the path entirely.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function mainWindowOptions(options: {
  preloadPath: string;
  iconPath: string;
  title: string;
  bounds: Rect | null;
}): BrowserWindowConstructorOptions {
  return {
    ...(options.bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: options.title,
    icon: options.iconPath,
    autoHideMenuBar: true,
    backgroundColor: '#1f1f1f',
    webPreferences: secureWebPreferences(options.preloadPath),
  };
}

export interface ProgressBar {
  value: number;
  mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused';
}

/** Taskbar progress for the update: the percent while it runs, red when it failed, nothing otherwise. */
export function taskbarProgress(snapshot: UpdateSnapshot): ProgressBar {
  if (isActivePhase(snapshot.phase)) {
    if (snapshot.stalled) return { value: Math.max(0.01, (snapshot.percent ?? 0) / 100), mode: 'paused' };
    return snapshot.percent === null
      ? { value: 2, mode: 'indeterminate' }
      : { value: Math.min(1, Math.max(0.01, snapshot.percent / 100)), mode: 'normal' };
  }
  if (snapshot.phase === 'failed') return { value: 1, mode: 'error' };
  return { value: -1, mode: 'none' };
}

/** The parts of BrowserWindow this module uses. */
export interface WindowLike {
  loadFile(path: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  setProgressBar(progress: number, options?: { mode: ProgressBar['mode'] }): void;
  on(event: 'ready-to-show' | 'closed' | 'resize' | 'move' | 'hide', listener: () => void): unknown;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
}

export interface MainWindowManager<W extends WindowLike> {
  /** Creates the window if needed and brings it to the front (once its first paint is ready). */
  open(): void;
  /** The window, if one exists. */
  current(): W | null;
  setProgress(snapshot: UpdateSnapshot): void;
}

export function createMainWindowManager<W extends WindowLike>(options: {
  create: (options: BrowserWindowConstructorOptions) => W;
  preloadPath: string;
  indexHtml: string;
  iconPath: string;
  title: string;
  store: WindowStateStore;
  /** Work areas of the displays now attached (screen.getAllDisplays()). */
  workAreas: () => Rect[];
  /** True once the user chose Quit: then close really closes. */
  isQuitting: () => boolean;
  /** False when the app has no tray icon to live on in (tray-presence.ts): then close really closes. */
  hideOnClose?: () => boolean;
  scheduler: Scheduler;
}): MainWindowManager<W> {
  let win: W | null = null;
  let ready = false;
  let showWhenReady = false;
  let saveTimer: TimerHandle | null = null;
  let lastProgress = '';

  const saveNow = (w: W): void => {
    if (saveTimer !== null) options.scheduler.clearTimeout(saveTimer);
    saveTimer = null;
    if (w.isDestroyed()) return;
    const state: WindowState = { bounds: w.getNormalBounds(), maximized: w.isMaximized() };
    options.store.save(state).catch(() => undefined);
  };
  // Moving a window fires dozens of events a second; write once it settles.
  const saveSoon = (w: W): void => {
    if (saveTimer !== null) options.scheduler.clearTimeout(saveTimer);
    saveTimer = options.scheduler.setTimeout(() => saveNow(w), 500);
  };
  const reveal = (w: W): void => {
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };

  function create(): W {
    const saved = options.store.load();
    const w = options.create(
      mainWindowOptions({
        preloadPath: options.preloadPath,
        iconPath: options.iconPath,
        title: options.title,
        bounds: visibleBounds(saved.bounds, options.workAreas()),
      }),
    );
    ready = false;
    lastProgress = '';
    w.on('ready-to-show', () => {
      ready = true;
      if (saved.maximized) w.maximize();
      if (showWhenReady) reveal(w);
    });
    w.on('resize', () => saveSoon(w));
    w.on('move', () => saveSoon(w));
    w.on('close', (event) => {
      saveNow(w);
      if (options.isQuitting() || options.hideOnClose?.() === false) return;
      event.preventDefault();
      w.hide();
    });
    w.on('closed', () => {
      if (saveTimer !== null) options.scheduler.clearTimeout(saveTimer);
      saveTimer = null;
      if (win === w) win = null;
    });
    void w.loadFile(options.indexHtml).catch(() => undefined);
    return w;
  }

  return {
    open() {
      if (!win || win.isDestroyed()) win = create();
      showWhenReady = true;
      if (ready) reveal(win);
    },
    current: () => (win && !win.isDestroyed() ? win : null),
    setProgress(snapshot) {
      if (!win || win.isDestroyed()) return;
      const bar = taskbarProgress(snapshot);
      const key = `${bar.value}/${bar.mode}`;
      if (key === lastProgress) return;
      lastProgress = key;
      win.setProgressBar(bar.value, { mode: bar.mode });
    },
  };
}
