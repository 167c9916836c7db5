/** The window's helpful actions, in main: Restart as administrator, Check again, Open Windows Security, open an export. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from '../../app/shared/messages';
import { FakeEngine, makeRig, settle } from './fakes';

test('Restart as administrator answers "started", then quits this app so the elevated one takes over', async () => {
  const rig = makeRig();
  const reply = await rig.controller.dispatch('app:restart-elevated', undefined);
  assert.deepEqual(reply, { ok: true, value: { kind: 'started' } });
  assert.equal(rig.elevation.prompts, 1);
  assert.equal(rig.quits, 0, 'the window gets its answer first');
  rig.scheduler.advance(0);
  assert.equal(rig.quits, 1);
  await rig.controller.dispose();
});

test('a declined UAC prompt keeps this app running and says so', async () => {
  const rig = makeRig();
  rig.elevation.answer = 'declined';
  assert.deepEqual(await rig.controller.dispatch('app:restart-elevated', undefined), { ok: true, value: { kind: 'declined' } });
  rig.scheduler.advance(1000);
  assert.equal(rig.quits, 0);
  await rig.controller.dispose();
});

test('Restart as administrator is refused, in the window’s language, where it cannot help', async () => {
  const rig = makeRig({ initialSettings: { language: 'ru' } });
  rig.elevation.current = 'elevated';
  const already = await rig.controller.dispatch('app:restart-elevated', undefined);
  assert.match(already.ok ? '' : already.error.message, /^Перезапуск от имени администратора возможен только/);
  rig.elevation.current = 'standard';
  await rig.controller.startUpdate('window');
  const running = await rig.controller.dispatch('app:restart-elevated', undefined);
  assert.deepEqual(running, { ok: false, error: { code: 'failed', message: 'Идёт обновление; повторите, когда оно закончится.' } });
  assert.equal(rig.elevation.prompts, 0, 'a running update is never ended by the button meant to help it');
  rig.elevation.answer = new Error('PowerShell exited with 1');
  rig.engine.finish('failed');
  const failed = await rig.controller.dispatch('app:restart-elevated', undefined);
  assert.deepEqual(failed, { ok: false, error: { code: 'failed', message: 'PowerShell exited with 1' } });
  assert.equal(rig.quits, 0);
  await rig.controller.dispose();
});

test('the state says whether Restart as administrator can help', async () => {
  const rig = makeRig();
  assert.equal(rig.controller.getState().elevation, 'standard');
  rig.elevation.current = 'elevated';
  assert.equal(rig.controller.getState().elevation, 'elevated');
  const bare = makeRig({ elevation: undefined });
  assert.equal(bare.controller.getState().elevation, 'unsupported');
  await rig.controller.dispose();
  await bare.controller.dispose();
});

test('Check again looks for Defender anew; once found, the window is told and the versions are read', async () => {
  const engine = new FakeEngine({
    kind: 'unavailable',
    reason: 'manager-open-failed',
    message: message('unavailable.message.openFailed', { hex: '0x800106BA' }),
    demo: false,
  });
  const rig = makeRig({ engine });
  const still = await rig.controller.dispatch('availability:recheck', undefined);
  assert.equal(still.ok && (still.value as { kind: string }).kind, 'unavailable');
  engine.recheckFinds = { kind: 'available', libraryPath: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18\\MpClient.dll', demo: false };
  const found = await rig.controller.dispatch('availability:recheck', undefined);
  assert.equal(found.ok && (found.value as { kind: string }).kind, 'available');
  assert.equal(engine.rechecks, 2);
  rig.scheduler.advance(16);
  await settle();
  const last = rig.events.filter((e) => e.type === 'state').at(-1);
  assert.equal(last?.type === 'state' && last.state.availability.kind, 'available', 'a state event tells the window');
  assert.ok(rig.controller.getState().versions, 'versions are read once Defender is there');
  assert.equal((await rig.controller.dispatch('update:start', undefined)).ok, true, 'and Update works without restarting the app');
  await rig.controller.dispose();
});

test('Open Windows Security goes through the guarded shell', async () => {
  const rig = makeRig();
  assert.deepEqual(await rig.controller.dispatch('shell:open-windows-security', undefined), { ok: true, value: null });
  assert.deepEqual(rig.shell.opened, ['windowsdefender://threat']);
  await rig.controller.dispose();
});

test('Open file and Show in folder open only the file the last export wrote', async () => {
  const rig = makeRig();
  const before = await rig.controller.dispatch('history:open-export', { path: '/tmp/export/history.csv', how: 'file' });
  assert.equal(before.ok, false, 'nothing was exported yet');
  await rig.controller.dispatch('history:export', { format: 'csv' });
  assert.deepEqual(await rig.controller.dispatch('history:open-export', { path: '/tmp/export/history.csv', how: 'file' }), { ok: true, value: null });
  assert.deepEqual(await rig.controller.dispatch('history:open-export', { path: '/tmp/export/history.csv', how: 'folder' }), {
    ok: true,
    value: null,
  });
  const other = await rig.controller.dispatch('history:open-export', { path: 'C:\\Windows\\System32\\calc.exe', how: 'file' });
  assert.deepEqual(other, { ok: false, error: { code: 'failed', message: 'Only the file the last export wrote can be opened from here.' } });
  assert.deepEqual(rig.shell.opened, ['open /tmp/export/history.csv', 'show /tmp/export/history.csv']);
  await rig.controller.dispose();
});
