/**
 * Browser test harness only: `window.defender` over HTTP. Built from the same createBridgeApi as the preload, so the
 * renderer sees the same object: commands are POST /api/<channel>, events arrive over Server-Sent Events.
 */
import { createBridgeApi, type BridgeTransport } from '../../app/shared/bridge-api';
import type { AppEvent, IpcResult } from '../../app/shared/ipc';
import { BRIDGE_KEY } from '../../app/shared/ipc-channels';

// This file runs in the page but is type-checked with the Node-side project (no DOM lib): declare what it uses.
declare const window: { __harnessFilePaths?: Record<string, string> };
declare const EventSource: new (url: string) => { onmessage: ((message: { data: string }) => void) | null; close(): void };

const transport: BridgeTransport = {
  // A browser never tells a page where a dropped file is; E2E tests say it in window.__harnessFilePaths (name → path),
  // as the preload would learn it from webUtils.getPathForFile.
  pathForFile: (file) => window.__harnessFilePaths?.[file.name] ?? '',
  async invoke(channel, payload) {
    const response = await fetch(`./api/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload }),
    });
    if (!response.ok) throw new Error(`harness: ${channel} answered HTTP ${response.status}`);
    return (await response.json()) as IpcResult<unknown>;
  },
  listen(listener) {
    // The server sends the current state first on every (re)connection, so nothing is lost while connecting.
    const source = new EventSource('./api/events');
    source.onmessage = (message) => listener(JSON.parse(message.data) as AppEvent);
    return () => source.close();
  },
};

Object.defineProperty(window, BRIDGE_KEY, { value: createBridgeApi(transport), enumerable: true });
