/**
 * A recording stand-in for the `electron` module, so the real main bundle (out/main/index.js) can be started in Node:
 * Electron itself cannot be downloaded here. Every object records what it was asked; nothing is simulated beyond
 * what the wiring needs to get going.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Recorded {
  calls: Array<{ target: string; method: string; args: unknown[] }>;
  handlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  windows: FakeBrowserWindow[];
  trays: FakeTray[];
  sent: Array<{ channel: string; payload: unknown }>;
  ready: () => void;
}

export const recorded: Recorded = { calls: [], handlers: new Map(), windows: [], trays: [], sent: [], ready: () => undefined };
const record = (target: string, method: string, args: unknown[]) => recorded.calls.push({ target, method, args });

const userData = mkdtempSync(join(tmpdir(), 'du-wiring-'));
let readyResolve!: () => void;
const whenReady = new Promise<void>((resolve) => (readyResolve = resolve));
recorded.ready = () => readyResolve();

class FakeApp extends EventEmitter {
  isPackaged = false;
  setAppUserModelId = (id: string) => record('app', 'setAppUserModelId', [id]);
  enableSandbox = () => record('app', 'enableSandbox', []);
  setPath = (name: string, path: string) => record('app', 'setPath', [name, path]);
  getPath = (name: string) => (name === 'userData' ? userData : join(userData, name));
  getAppPath = () => process.env.DU_APP_ROOT ?? process.cwd();
  getVersion = () => '0.1.0';
  getLocale = () => 'en-US';
  requestSingleInstanceLock = () => true;
  releaseSingleInstanceLock = () => record('app', 'releaseSingleInstanceLock', []);
  setAsDefaultProtocolClient = (scheme: string) => Boolean(record('app', 'setAsDefaultProtocolClient', [scheme]));
  whenReady = () => whenReady;
  quit = () => record('app', 'quit', []);
  setLoginItemSettings = (settings: unknown) => record('app', 'setLoginItemSettings', [settings]);
}
export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  send = (channel: string, payload: unknown) => recorded.sent.push({ channel, payload });
  isDestroyed = () => false;
  setWindowOpenHandler = (handler: unknown) => record('webContents', 'setWindowOpenHandler', [handler]);
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows = () => recorded.windows;
  webContents = new FakeWebContents();
  loaded: string | null = null;
  visible = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile = (path: string) => {
    this.loaded = path;
    queueMicrotask(() => this.emit('ready-to-show'));
    return Promise.resolve();
  };
  show = () => (this.visible = true);
  hide = () => (this.visible = false);
  focus = () => undefined;
  restore = () => undefined;
  maximize = () => undefined;
  isMinimized = () => false;
  isMaximized = () => false;
  isDestroyed = () => false;
  getNormalBounds = () => ({ x: 10, y: 10, width: 960, height: 680 });
  setProgressBar = (value: number, options: unknown) => record('window', 'setProgressBar', [value, options]);
}
export { FakeBrowserWindow as BrowserWindow };

export class FakeTray extends EventEmitter {
  image: string;
  tooltip = '';
  menu: unknown = null;
  constructor(image: string) {
    super();
    this.image = image;
    recorded.trays.push(this);
  }
  setImage = (image: string) => (this.image = image);
  setToolTip = (text: string) => (this.tooltip = text);
  setContextMenu = (menu: unknown) => (this.menu = menu);
  destroy = () => undefined;
}
export { FakeTray as Tray };

export const shell = {
  openExternal: (url: string) => Promise.resolve(void record('shell', 'openExternal', [url])),
  openPath: (path: string) => {
    record('shell', 'openPath', [path]);
    return Promise.resolve('');
  },
  showItemInFolder: (path: string) => record('shell', 'showItemInFolder', [path]),
  readShortcutLink: (path: string) => {
    record('shell', 'readShortcutLink', [path]);
    throw new Error('no shortcut');
  },
};

/** Sleep and wake-up; a test can emit 'resume'. */
export const powerMonitor = new EventEmitter();

export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };
export class Notification extends EventEmitter {
  static isSupported = () => true;
  constructor(readonly content: unknown) {
    super();
    record('Notification', 'new', [content]);
  }
  show = () => record('Notification', 'show', [this.content]);
}
export const ipcMain = {
  handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<unknown>) => recorded.handlers.set(channel, listener),
  removeHandler: (channel: string) => recorded.handlers.delete(channel),
};
export const dialog = {
  showSaveDialog: () => Promise.resolve({ canceled: true }),
  showOpenDialog: (options: unknown) =>
    Promise.resolve(void record('dialog', 'showOpenDialog', [options])).then(() => ({ canceled: true, filePaths: [] })),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const clipboard = { writeText: (text: string) => Promise.resolve(void record('clipboard', 'writeText', [text])) };
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: unknown) => record('session', 'setPermissionRequestHandler', [h]),
    setPermissionCheckHandler: (h: unknown) => record('session', 'setPermissionCheckHandler', [h]),
    webRequest: {
      onHeadersReceived: (l: unknown) => record('session', 'onHeadersReceived', [l]),
      onBeforeRequest: (f: unknown, l: unknown) => record('session', 'onBeforeRequest', [f, l]),
    },
  },
};
