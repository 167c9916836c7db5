/**
 * The real main bundle, started in Node against a recording `electron` module (Electron cannot be downloaded here):
 * app/main/index.ts only wires, and this proves the wiring holds together — IPC handlers for the whole contract, a
 * locked-down window on our page, a tray, and an update that runs from the window's IPC call to its notification.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_METHODS } from '../../../app/shared/ipc-channels';
import type { AppState } from '../../../app/shared/app-state';
import type { IpcResult } from '../../../app/shared/ipc';
import { repoRoot } from '../../support/paths';
import { useStandin } from '../../support/standin';
import * as fakeElectron from './fake-electron';
import { until } from '../../support/until';
import { startMainBundle } from './main-bundle';

const { recorded } = fakeElectron;
const standin = useStandin({ scenario: 'updated', stepMs: 1 });

test('the main process starts, wires every IPC command and runs an update from the window to the tray', async () => {
  startMainBundle();
  await until(() => recorded.handlers.size === Object.keys(API_METHODS).length && recorded.windows.length === 1, 'IPC handlers and the window');

  assert.deepEqual([...recorded.handlers.keys()].sort(), Object.values(API_METHODS).sort());
  assert.ok(recorded.calls.some((c) => c.method === 'enableSandbox'));
  assert.ok(recorded.calls.some((c) => c.method === 'setPermissionRequestHandler'));

  const window = recorded.windows[0]!;
  const prefs = window.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.ok(existsSync(String(prefs.preload)), 'the preload path points at the built preload');
  assert.equal(window.loaded, join(repoRoot, 'out', 'renderer', 'index.html'));
  await until(() => window.visible, 'the window to show when ready');

  assert.equal(fakeElectron.powerMonitor.listenerCount('resume'), 1, 'waking up re-plans the schedule and looks at freshness');
  assert.equal(fakeElectron.app.listenerCount('browser-window-focus'), 1, 'policies are read again when the window comes to the front');

  const tray = recorded.trays[0]!;
  assert.ok(existsSync(tray.image), `tray icon ${tray.image}`);

  // The renderer's first call, from our page's main frame.
  const sender = { sender: window.webContents, senderFrame: { url: new URL(`file://${window.loaded}`).href, parent: null } };
  // The engine opens in the background (the window never waits for Defender): "connecting" first, then available.
  const availability = async () => (await recorded.handlers.get('state:get')!(sender)) as IpcResult<AppState>;
  let state = await availability();
  const waitingSince = Date.now();
  while (state.ok && state.value.availability.kind === 'connecting' && Date.now() - waitingSince < 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    state = await availability();
  }
  assert.ok(state.ok);
  assert.equal(state.value.availability.kind, 'available', JSON.stringify(state.value.availability));

  // A foreign frame is refused at the door.
  const foreign = (await recorded.handlers.get('update:start')!({
    ...sender,
    senderFrame: { url: 'https://evil.example/', parent: null },
  })) as IpcResult<unknown>;
  assert.equal(foreign.ok, false);

  const started = (await recorded.handlers.get('update:start')!(sender, {})) as IpcResult<{ runId: number }>;
  assert.ok(started.ok, JSON.stringify(started));
  await until(() => recorded.calls.some((c) => c.target === 'Notification' && c.method === 'show'), 'the end-of-update notification');
  const events = recorded.sent.map((s) => s.payload as { type: string; state?: AppState });
  assert.ok(events.some((e) => e.type === 'finished'));
  assert.ok(
    events.some((e) => e.type === 'state' && e.state?.update.phase === 'succeeded'),
    'the window was told the update succeeded',
  );
  assert.match(tray.image, /succeeded\.png$/, 'the tray shows the result');
  assert.ok(
    recorded.calls.some((c) => c.method === 'setProgressBar'),
    'the taskbar showed progress',
  );

  // The download link reaches Electron's shell with Microsoft's page; Update from file opens Electron's Open dialog.
  assert.deepEqual(await recorded.handlers.get('link:open')!(sender, { link: 'package-download' }), { ok: true, value: null });
  assert.deepEqual(
    recorded.calls.filter((c) => c.target === 'shell').map((c) => c.args),
    [['https://www.microsoft.com/en-us/wdsi/defenderupdates']],
  );
  assert.deepEqual(await recorded.handlers.get('update:choose-package')!(sender), { ok: true, value: { kind: 'cancelled' } });
  assert.ok(recorded.calls.some((c) => c.target === 'dialog' && c.method === 'showOpenDialog'));

  fakeElectron.app.emit('will-quit', { preventDefault: () => undefined });
  await until(() => recorded.calls.some((c) => c.method === 'quit'), 'quit after cleanup');
  standin.cleanup();
});
