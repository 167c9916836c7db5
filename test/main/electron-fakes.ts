/** Stand-ins for the Electron objects the shell's modules are given. Each records what it was asked to do. */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { FrameLike, IpcMainLike, SenderEvent } from '../../app/main/ipc';
import type { ProgressBar, WindowLike } from '../../app/main/main-window';
import type { PreventableEvent } from '../../app/main/ports';
import type { Rect } from '../../app/main/window-state';

type Listener = (...args: never[]) => unknown;

/** A minimal event emitter that lets a test fire an event by name. */
export class Emitter {
  private listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: SenderEvent, ...args: unknown[]) => Promise<unknown>>();
  readonly removed: string[] = [];
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.removed.push(channel);
    this.handlers.delete(channel);
  }
  /** What a renderer's ipcRenderer.invoke(channel, ...args) would get back. */
  invoke(event: SenderEvent, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler(event, ...args);
  }
}

export class FakeFrame implements FrameLike {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  constructor(public mainFrame: FakeFrame) {}
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeWindow extends Emitter implements WindowLike {
  readonly calls: string[] = [];
  readonly progress: { value: number; mode: ProgressBar['mode'] | undefined }[] = [];
  readonly loaded: string[] = [];
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  bounds: Rect = { x: 10, y: 20, width: 960, height: 680 };
  readonly webContents: FakeWebContents;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    appUrl = 'file:///app/out/renderer/index.html',
  ) {
    super();
    this.webContents = new FakeWebContents(new FakeFrame(appUrl));
  }
  loadFile(path: string): Promise<void> {
    this.loaded.push(path);
    return Promise.resolve();
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }
  focus(): void {
    this.calls.push('focus');
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  maximize(): void {
    this.calls.push('maximize');
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setProgressBar(value: number, options?: { mode: ProgressBar['mode'] }): void {
    this.progress.push({ value, mode: options?.mode });
  }
  /** What a click on the window's X does; returns whether the close was prevented. */
  clickClose(): boolean {
    let prevented = false;
    const event: PreventableEvent = {
      preventDefault: () => {
        prevented = true;
      },
    };
    this.fire('close', event);
    if (!prevented) {
      this.destroyed = true;
      this.fire('closed');
    }
    return prevented;
  }
}
