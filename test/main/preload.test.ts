import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBridgeApi } from '../../app/shared/bridge-api';
import { API_METHODS, EVENT_CHANNEL } from '../../app/shared/ipc-channels';
import type { AppEvent } from '../../app/shared/ipc';
import { IDLE_SNAPSHOT } from '../../app/shared/update';
import { createIpcTransport, type IpcRendererLike, type WebUtilsLike } from '../../app/preload/ipc-transport';

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** webUtils for files built in script: Electron answers '' for a File with no file behind it. */
const noFiles: WebUtilsLike = { getPathForFile: () => '' };

class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly listeners: { channel: string; listener: RendererListener }[] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve({ ok: true, value: channel });
  }
  on(channel: string, listener: RendererListener): unknown {
    this.listeners.push({ channel, listener });
    return this;
  }
  removeListener(channel: string, listener: RendererListener): unknown {
    const i = this.listeners.findIndex((l) => l.channel === channel && l.listener === listener);
    if (i >= 0) this.listeners.splice(i, 1);
    return this;
  }
  emit(payload: unknown): void {
    const ipcRendererEvent = { sender: 'the ipcRenderer itself', senderId: 0, ports: [] };
    for (const { channel, listener } of [...this.listeners]) if (channel === EVENT_CHANNEL) listener(ipcRendererEvent, payload);
  }
}

test('the bridge offers exactly the contract’s methods plus onEvent and updateFromDroppedFile', () => {
  const api = createBridgeApi(createIpcTransport(new FakeIpcRenderer(), noFiles));
  assert.deepEqual(Object.keys(api).sort(), [...Object.keys(API_METHODS), 'onEvent', 'updateFromDroppedFile'].sort());
  // Spelled out, so a method added to or dropped from the contract is a deliberate change here too.
  assert.deepEqual(Object.keys(api).sort(), [
    'answerReboot',
    'cancelUpdate',
    'chooseUpdatePackage',
    'copyDiagnostics',
    'dismissNotice',
    'exportHistory',
    'getHistory',
    'getSettings',
    'getState',
    'onEvent',
    'openExport',
    'openLink',
    'openWindowsSecurity',
    'recheckAvailability',
    'repair',
    'restartElevated',
    'setSettings',
    'startUpdate',
    'updateFromDroppedFile',
    'updateFromPackage',
  ]);
  assert.ok(Object.isFrozen(api));
});

test('each bridge method invokes its channel with the one request argument', async () => {
  const ipc = new FakeIpcRenderer();
  const api = createBridgeApi(createIpcTransport(ipc, noFiles));
  assert.deepEqual(await api.startUpdate({ source: 'mmpc' }), { ok: true, value: 'update:start' });
  await api.getState();
  await api.copyDiagnostics();
  assert.deepEqual(ipc.invoked, [
    { channel: 'update:start', args: [{ source: 'mmpc' }] },
    { channel: 'state:get', args: [undefined] },
    { channel: 'diagnostics:copy', args: [undefined] },
  ]);
});

test('event listeners get the event only, never the IpcRendererEvent, and can unsubscribe', () => {
  const ipc = new FakeIpcRenderer();
  const api = createBridgeApi(createIpcTransport(ipc, noFiles));
  const received: unknown[][] = [];
  const unsubscribe = api.onEvent((...args: unknown[]) => received.push(args));
  const event: AppEvent = { type: 'progress', update: IDLE_SNAPSHOT, records: [], omitted: 0 };
  ipc.emit(event);
  assert.deepEqual(received, [[event]]);
  unsubscribe();
  unsubscribe();
  ipc.emit(event);
  assert.equal(received.length, 1);
  assert.equal(ipc.listeners.length, 0);
});

test('a broken IPC call becomes a failed result, not a rejected promise', async () => {
  const ipc = new FakeIpcRenderer();
  ipc.invoke = () => Promise.reject(new Error("No handler registered for 'state:get'"));
  const api = createBridgeApi(createIpcTransport(ipc, noFiles));
  assert.deepEqual(await api.getState(), { ok: false, error: { code: 'failed', message: "No handler registered for 'state:get'" } });
});

test('a dropped file goes to main as its path, read in the preload; the page never sees it', async () => {
  const ipc = new FakeIpcRenderer();
  const paths = new Map<object, string>();
  const dropped = { name: 'mpam-fe.exe' };
  paths.set(dropped, 'C:\\Users\\me\\Downloads\\mpam-fe.exe');
  const api = createBridgeApi(createIpcTransport(ipc, { getPathForFile: (file) => paths.get(file) ?? '' }));
  const result = await api.updateFromDroppedFile(dropped);
  assert.deepEqual(result, { ok: true, value: 'update:package' }, 'the answer carries no path back');
  assert.deepEqual(ipc.invoked, [{ channel: 'update:package', args: [{ file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' }] }]);
});

test('a drop with no file behind it (text, a File built in script) is refused without asking main', async () => {
  const ipc = new FakeIpcRenderer();
  const throwing: WebUtilsLike = {
    getPathForFile: () => {
      throw new TypeError('not a File');
    },
  };
  for (const webUtils of [noFiles, throwing]) {
    const api = createBridgeApi(createIpcTransport(ipc, webUtils));
    const result = await api.updateFromDroppedFile({ name: 'notes.txt' });
    assert.equal(result.ok ? 'ok' : result.error.code, 'invalid-input');
  }
  assert.deepEqual(ipc.invoked, []);
});
