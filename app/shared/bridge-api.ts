/**
 * Builds the `window.defender` API object from a transport. The preload passes an ipcRenderer transport; the browser
 * test harness passes an HTTP one. Same object either way, so the renderer cannot tell them apart.
 */
import { API_METHODS, type ApiMethod, type CommandChannel } from './ipc-channels';
import type { AppEvent, DefenderApi, IpcResult } from './ipc';
import { fail, messageOf } from './ipc-result';

export interface BridgeTransport {
  invoke(channel: CommandChannel, payload: unknown): Promise<IpcResult<unknown>>;
  /** Delivers each event payload (never a transport-specific event object); returns the unsubscribe function. */
  listen(listener: (event: AppEvent) => void): () => void;
}

export function createBridgeApi(transport: BridgeTransport): DefenderApi {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    const channel = API_METHODS[method];
    api[method] = (request?: unknown) => transport.invoke(channel, request).catch((error: unknown) => fail('failed', messageOf(error)));
  }
  api.onEvent = (listener: (event: AppEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    return transport.listen(listener);
  };
  return Object.freeze(api) as DefenderApi;
}
