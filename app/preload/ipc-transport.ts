/** The preload's transport for createBridgeApi: ipcRenderer, with Electron's event object never passed on. */
import type { BridgeTransport } from '../shared/bridge-api';
import { EVENT_CHANNEL } from '../shared/ipc-channels';
import type { AppEvent, DroppedFile, IpcResult } from '../shared/ipc';

/** The parts of ipcRenderer the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Electron's webUtils, which a sandboxed preload may use: the path of a File the user dropped or picked. */
export interface WebUtilsLike {
  getPathForFile(file: DroppedFile): string;
}

export function createIpcTransport(ipcRenderer: IpcRendererLike, webUtils: WebUtilsLike): BridgeTransport {
  return {
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcResult<unknown>>,
    // Since Electron 32 a File has no `path`; only the preload can ask, and the path goes to main, not the page.
    pathForFile: (file) => webUtils.getPathForFile(file),
    listen(listener) {
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload as AppEvent);
      ipcRenderer.on(EVENT_CHANNEL, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
      };
    },
  };
}
