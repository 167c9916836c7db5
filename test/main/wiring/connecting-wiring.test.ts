/**
 * The real main bundle against the recording `electron` module, with a Defender whose MpManagerOpen does not return:
 * the window and the tray still appear at once, saying "Connecting to Defender…", and follow Defender's late answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppState } from '../../../app/shared/app-state';
import type { IpcResult } from '../../../app/shared/ipc';
import { hungStandinCalls, releaseStandinHangs, useStandin } from '../../support/standin';
import * as fakeElectron from './fake-electron';
import { startMainBundle, until } from './main-bundle';

const { recorded } = fakeElectron;
const standin = useStandin({ scenario: 'open-hangs', stepMs: 1 });

test('while MpManagerOpen has not returned, the window and the tray are there and say "Connecting to Defender…"', async () => {
  startMainBundle();
  // Both are there while Defender holds the call (it only returns when this test releases it).
  await until(
    () => hungStandinCalls() === 1 && recorded.windows.length === 1 && recorded.trays.length === 1 && recorded.handlers.size > 0,
    'the window and the tray while MpManagerOpen hangs',
  );
  const window = recorded.windows[0]!;
  await until(() => window.visible, 'the window to show');
  const tray = recorded.trays[0]!;
  await until(() => tray.tooltip !== '', 'the tray tooltip');
  assert.equal(tray.tooltip, 'Defender Updater: Connecting to Defender…');

  const sender = { sender: window.webContents, senderFrame: { url: new URL(`file://${window.loaded}`).href, parent: null } };
  const state = (await recorded.handlers.get('state:get')!(sender)) as IpcResult<AppState>;
  assert.ok(state.ok);
  assert.deepEqual(state.value.availability, { kind: 'connecting', demo: false });

  // Defender answers at last (the stand-in's late answer: the service is off).
  releaseStandinHangs();
  await until(
    () => recorded.sent.some((s) => (s.payload as { type: string; state?: AppState }).state?.availability.kind === 'unavailable'),
    "the window to hear Defender's answer",
  );
  assert.equal(tray.tooltip, 'Defender Updater: Microsoft Defender is not available');

  fakeElectron.app.emit('will-quit', { preventDefault: () => undefined });
  await until(() => recorded.calls.some((c) => c.method === 'quit'), 'quit after cleanup');
  standin.cleanup();
});
