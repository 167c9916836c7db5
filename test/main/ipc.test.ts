import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS, EVENT_CHANNEL } from '../../app/shared/ipc-channels';
import type { AppEvent, IpcResult } from '../../app/shared/ipc';
import { IDLE_SNAPSHOT } from '../../app/shared/update';
import { broadcast, registerIpc, type SenderEvent } from '../../app/main/ipc';
import { FakeFrame, FakeIpcMain, FakeWindow } from './electron-fakes';
import { makeRig, settle } from './fakes';

const APP_URL = 'file:///app/out/renderer/index.html';

function setup() {
  const rig = makeRig();
  const ipcMain = new FakeIpcMain();
  const win = new FakeWindow({}, APP_URL);
  const windows = [win];
  const unregister = registerIpc({ ipcMain, controller: rig.controller, windows: () => windows, appUrl: APP_URL });
  const fromApp: SenderEvent = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  return { rig, ipcMain, win, windows, unregister, fromApp };
}

test('every command of the contract has exactly one handler, registered from the channel map', () => {
  const { ipcMain } = setup();
  assert.deepEqual([...ipcMain.handlers.keys()].sort(), Object.values(API_METHODS).sort());
});

test('the app window gets answers to its commands', async () => {
  const { ipcMain, fromApp } = setup();
  const reply = (await ipcMain.invoke(fromApp, 'update:start', { source: 'default' })) as IpcResult<unknown>;
  assert.deepEqual(reply, { ok: true, value: { runId: 1, joined: false } });
  const withHash = { ...fromApp, senderFrame: new FakeFrame(APP_URL + '#/history') };
  assert.equal(((await ipcMain.invoke(withHash, 'state:get', undefined)) as IpcResult<unknown>).ok, true, 'an in-page route is still the app');
});

test('a foreign sender is refused on every channel and nothing happens', async () => {
  const { rig, ipcMain, win } = setup();
  await settle();
  const stranger = new FakeWindow({}, APP_URL);
  const foreign: [string, SenderEvent][] = [
    ['a subframe of our window', { sender: win.webContents, senderFrame: new FakeFrame(APP_URL, win.webContents.mainFrame) }],
    ['a remote page in our window', { sender: win.webContents, senderFrame: new FakeFrame('https://evil.example/index.html') }],
    ['another local file', { sender: win.webContents, senderFrame: new FakeFrame('file:///app/out/renderer/other.html') }],
    ['a file on another host', { sender: win.webContents, senderFrame: new FakeFrame('file://attacker/share/out/renderer/index.html') }],
    ['a data: URL', { sender: win.webContents, senderFrame: new FakeFrame('data:text/html,<script>1</script>') }],
    ['a frame that is gone', { sender: win.webContents, senderFrame: null }],
    ['a window that is not ours', { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame }],
  ];
  const before = structuredClone(rig.controller.getState());
  for (const [why, event] of foreign) {
    for (const channel of Object.values(API_METHODS)) {
      const reply = (await ipcMain.invoke(event, channel, channel === 'settings:set' ? { notifications: false } : undefined)) as IpcResult<unknown>;
      assert.equal(reply.ok, false, `${why} on ${channel}`);
      assert.equal(reply.ok ? '' : reply.error.code, 'forbidden-sender', `${why} on ${channel}`);
      assert.ok(!reply.ok && reply.error.message.startsWith(`${channel}: `));
    }
  }
  assert.deepEqual(rig.controller.getState(), before);
  assert.equal(rig.engine.starts.length, 0);
  assert.equal(rig.settings.saved.length, 0);
  assert.deepEqual(rig.clipboard.texts, [], 'nothing was copied for a stranger');
});

test('malformed payloads over IPC are answered with typed errors, and the next good command still works', async () => {
  const { ipcMain, fromApp, rig } = setup();
  const bad: [string, unknown[]][] = [
    ['settings:set', [{ autoCheckHours: 3 }]],
    ['settings:set', [JSON.parse('{"__proto__":{"x":1}}')]],
    ['history:export', [{ format: 'csv' }, 'C:\\evil.csv']],
    ['update:start', [{ source: 'default' }, { trigger: 'command-line' }]],
    ['reboot:answer', [null]],
    ['notice:dismiss', [['id']]],
    ['diagnostics:copy', [{ text: 'from the page' }]],
  ];
  for (const [channel, args] of bad) {
    const reply = (await ipcMain.invoke(fromApp, channel, ...args)) as IpcResult<unknown>;
    assert.equal(reply.ok ? '' : reply.error.code, 'invalid-payload', `${channel} ${JSON.stringify(args)}`);
  }
  assert.equal(rig.engine.starts.length, 0);
  assert.equal(((await ipcMain.invoke(fromApp, 'settings:get')) as IpcResult<unknown>).ok, true);
});

test('events reach every open window on the event channel, and closed windows are skipped', async () => {
  const { rig, windows, win } = setup();
  const second = new FakeWindow({}, APP_URL);
  const closed = new FakeWindow({}, APP_URL);
  closed.destroyed = true;
  windows.push(second, closed);
  await rig.controller.startUpdate('window');
  rig.engine.finish('up-to-date');
  for (const w of [win, second]) {
    assert.ok(w.webContents.sent.length > 0);
    assert.ok(w.webContents.sent.every((m) => m.channel === EVENT_CHANNEL));
    const events = w.webContents.sent.map((m) => m.args[0] as AppEvent);
    assert.equal(events.at(-1)?.type, 'finished');
    assert.ok(
      w.webContents.sent.every((m) => m.args.length === 1),
      'only the event itself is sent',
    );
  }
  assert.equal(closed.webContents.sent.length, 0);
});

test('a window that breaks while receiving does not stop the others', () => {
  const win = new FakeWindow({});
  win.webContents.send = () => {
    throw new Error('Render frame was disposed');
  };
  const other = new FakeWindow({});
  broadcast([win, other], { type: 'progress', update: IDLE_SNAPSHOT, records: [], omitted: 0 });
  assert.equal(other.webContents.sent.length, 1);
});

test('unregistering removes every handler and stops the events', async () => {
  const { ipcMain, unregister, rig, win } = setup();
  unregister();
  assert.equal(ipcMain.handlers.size, 0);
  await rig.controller.dispatch('settings:set', { language: 'en' });
  rig.scheduler.advance(100);
  assert.equal(win.webContents.sent.length, 0);
});
