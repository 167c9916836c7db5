/**
 * Builds the `window.defender` API object from a transport. The preload passes an ipcRenderer transport; the browser
 * test harness passes an HTTP one. Same object either way, so the renderer cannot tell them apart.
 */
import { API_METHODS, type ApiMethod, type CommandChannel } from './ipc-channels';
import type { AppEvent, DefenderApi, DroppedFile, IpcResult } from './ipc';
import { fail, messageOf } from './ipc-result';

export interface BridgeTransport {
  invoke(channel: CommandChannel, payload: unknown): Promise<IpcResult<unknown>>;
  /** The file-system path of a dropped file; '' when it has none (a File built in script). May throw on a non-File. */
  pathForFile(file: DroppedFile): string;
  /** Delivers each event payload (never a transport-specific event object); returns the unsubscribe function. */
  listen(listener: (event: AppEvent) => void): () => void;
}

export function createBridgeApi(transport: BridgeTransport): DefenderApi {
  const api: Record<string, unknown> = {};
  const invoke = (channel: CommandChannel, request: unknown) =>
    transport.invoke(channel, request).catch((error: unknown) => fail('failed', messageOf(error)));
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    const channel = API_METHODS[method];
    api[method] = (request?: unknown) => invoke(channel, request);
  }
  api.updateFromDroppedFile = (file: DroppedFile) => {
    let path = '';
    try {
      path = transport.pathForFile(file);
    } catch {
      // not a File at all
    }
    return path
      ? invoke('update:package', { file: path })
      : Promise.resolve(fail('invalid-input', 'What was dropped is not a file on this computer.'));
  };
  api.onEvent = (listener: (event: AppEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    return transport.listen(listener);
  };
  return Object.freeze(api) as DefenderApi;
}
