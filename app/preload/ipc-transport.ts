/** The preload's transport for createBridgeApi: ipcRenderer, with Electron's event object never passed on. */
import type { BridgeTransport } from '../shared/bridge-api';
import { EVENT_CHANNEL } from '../shared/ipc-channels';
import type { AppEvent, IpcResult } from '../shared/ipc';

/** The parts of ipcRenderer the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createIpcTransport(ipcRenderer: IpcRendererLike): BridgeTransport {
  return {
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcResult<unknown>>,
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
