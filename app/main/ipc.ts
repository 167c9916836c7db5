/**
 * The IPC door: one `ipcMain.handle` per command channel of the contract, each refusing senders that are not our
 * own window's main frame showing our page, then handing the payload to the controller (which checks it). Events go
 * to every window on the one event channel.
 */
import { API_METHODS, EVENT_CHANNEL } from '../shared/ipc-channels';
import type { AppEvent, IpcResult } from '../shared/ipc';
import { fail } from '../shared/ipc-result';
import type { AppController } from './app-controller';
import { isAppUrl } from './security';

/** The parts of WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export interface SenderEvent {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface ContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface AppWindowLike<C extends ContentsLike = ContentsLike> {
  readonly webContents: C;
  isDestroyed(): boolean;
}

/** Why a sender is refused, or null when it is our window's main frame on our page. */
export function senderProblem(event: SenderEvent, windows: readonly AppWindowLike[], appUrl: string): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a subframe may not call the app';
  if (!windows.some((w) => !w.isDestroyed() && w.webContents === event.sender)) return 'the sender is not an app window';
  if (!isAppUrl(frame.url, appUrl)) return 'the sending page is not the app';
  return null;
}

export function registerIpc(options: {
  ipcMain: IpcMainLike;
  controller: AppController;
  /** The app's windows now (BrowserWindow.getAllWindows()). */
  windows: () => readonly AppWindowLike[];
  /** file:// URL of out/renderer/index.html. */
  appUrl: string;
}): () => void {
  const { ipcMain, controller } = options;
  const channels = Object.values(API_METHODS);
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, ...args): Promise<IpcResult<unknown>> => {
      const problem = senderProblem(event, options.windows(), options.appUrl);
      if (problem) return fail('forbidden-sender', `${channel}: ${problem}`);
      if (args.length > 1) return fail('invalid-payload', `${channel}: expected at most one argument, got ${args.length}`);
      return controller.dispatch(channel, args[0]);
    });
  }
  const unsubscribe = controller.subscribe((event) => broadcast(options.windows(), event));
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Sends one event to every live window. */
export function broadcast(windows: readonly AppWindowLike[], event: AppEvent): void {
  for (const w of windows) {
    if (w.isDestroyed() || w.webContents.isDestroyed()) continue;
    try {
      w.webContents.send(EVENT_CHANNEL, event);
    } catch {
      // A window closing mid-send is not an error worth stopping the others for.
    }
  }
}
