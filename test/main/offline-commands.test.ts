/** The window's offline commands on the controller: a package, the Open dialog, repair, the share folder, the link. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Settings } from '../../app/shared/app-state';
import type { IpcResult } from '../../app/shared/ipc';
import { message, verbatim } from '../../app/shared/messages';
import { FakeEngine, makeRig, settle } from './fakes';

const textRefusal = {
  kind: 'offline-input',
  hresult: 0x800700c1,
  message: message('package.notAProgram', { file: 'C:\\notes.txt', why: message('package.why.noMz') }),
} as const;

test('a dropped package is checked, then installed through MpCmdRun as a file-share update from the window', async () => {
  const rig = makeRig();
  const reply = await rig.controller.dispatch('update:package', { file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' });
  assert.deepEqual(reply, { ok: true, value: { runId: 1, joined: false } });
  assert.deepEqual(rig.engine.checked, [{ kind: 'package', file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' }]);
  assert.deepEqual(rig.engine.starts, [
    { source: 'file-share', trigger: 'window', offline: { kind: 'package', file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' } },
  ]);
  assert.deepEqual(rig.controller.getState().update.offline, { kind: 'package', file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' });
  await rig.controller.dispose();
});

test('a text file is refused as bad input with the reason, and nothing starts', async () => {
  const rig = makeRig();
  rig.engine.offlineAnswer = () => ({ ok: false, refusal: textRefusal });
  const reply = await rig.controller.dispatch('update:package', { file: 'C:\\notes.txt' });
  assert.deepEqual(reply, {
    ok: false,
    error: { code: 'invalid-input', message: 'C:\\notes.txt is not a Windows program (it does not start with "MZ").' },
  });
  assert.deepEqual(rig.engine.starts, []);
  assert.equal(rig.history.saved.length, 0, 'a refusal is not an update: no history line');
  await rig.controller.dispose();
});

test('no MpCmdRun.exe is Defender missing a part: refused as unavailable, with the sentence', async () => {
  const rig = makeRig();
  const places = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18\\MpCmdRun.exe';
  const refusal = { kind: 'tool-missing', hresult: 0x80070002, message: message('mpcmdrun.notFoundIn', { places }) } as const;
  rig.engine.offlineAnswer = () => ({ ok: false, refusal });
  const reply = await rig.controller.dispatch('update:repair', { all: false });
  const sentence = `MpCmdRun.exe was not found next to MpClient.dll (looked in: ${places}).`;
  assert.deepEqual(reply, { ok: false, error: { code: 'unavailable', message: sentence } });
  await rig.controller.dispose();
});

test('a package or a repair asked for while an update runs is refused as busy, not quietly joined', async () => {
  const rig = makeRig();
  await rig.controller.dispatch('update:start', undefined);
  for (const [channel, payload] of [
    ['update:package', { file: 'C:\\mpam-fe.exe' }],
    ['update:repair', { all: false }],
    ['update:choose-package', undefined],
  ] as const) {
    const reply = await rig.controller.dispatch(channel, payload);
    assert.equal(reply.ok ? 'ok' : reply.error.code, 'busy', channel);
  }
  assert.equal(rig.packageDialog.opened, 0, 'no dialog opens for a file that could not be used now');
  assert.equal(rig.engine.starts.length, 1);
  await rig.controller.dispose();
});

test('Update from file: the chosen package starts; a closed dialog starts nothing', async () => {
  const rig = makeRig();
  assert.deepEqual(await rig.controller.dispatch('update:choose-package', undefined), { ok: true, value: { kind: 'cancelled' } });
  rig.packageDialog.answer = 'D:\\mpam-fe.exe';
  assert.deepEqual(await rig.controller.dispatch('update:choose-package', undefined), {
    ok: true,
    value: { kind: 'started', start: { runId: 1, joined: false } },
  });
  assert.deepEqual(rig.engine.starts[0]?.offline, { kind: 'package', file: 'D:\\mpam-fe.exe' });
  await rig.controller.dispose();
});

test('Repair runs the removal, then an update from the chosen source', async () => {
  const rig = makeRig({ initialSettings: { source: 'mmpc' } });
  await rig.controller.dispatch('update:repair', { all: true });
  assert.deepEqual(rig.engine.starts, [{ source: 'mmpc', trigger: 'window', offline: { kind: 'repair', all: true } }]);
  await rig.controller.dispose();
});

test('a finished MpCmdRun update is recorded in history with via mpcmdrun', async () => {
  const rig = makeRig();
  await rig.controller.dispatch('update:package', { file: 'C:\\mpam-fe.exe' });
  rig.engine.finish('succeeded', { via: 'mpcmdrun', offline: { kind: 'package', file: 'C:\\mpam-fe.exe' } });
  await settle();
  assert.equal(rig.history.saved.at(-1)?.at(-1)?.via, 'mpcmdrun');
  await rig.controller.dispose();
});

test('the share folder is checked when saved and kept as MpCmdRun needs it; a bad one is refused and not saved', async () => {
  const rig = makeRig({ initialSettings: { source: 'file-share' } });
  rig.engine.offlineAnswer = (job) =>
    job.kind === 'folder' && job.path.endsWith('x64')
      ? { ok: true, job: { kind: 'folder', path: '\\\\srv\\upd' } }
      : {
          ok: false,
          refusal: {
            kind: 'offline-input',
            hresult: 0x80070002,
            message: message('share.noPackage', { folder: job.kind === 'folder' ? job.path : '', layout: 'x64\\mpam-fe.exe' }),
          },
        };
  const saved = (await rig.controller.dispatch('settings:set', { sharePath: '\\\\srv\\upd\\x64' })) as IpcResult<Settings>;
  assert.equal(saved.ok && saved.value.sharePath, '\\\\srv\\upd');
  const refused = await rig.controller.dispatch('settings:set', { sharePath: 'C:\\Empty' });
  assert.deepEqual(refused, { ok: false, error: { code: 'invalid-input', message: 'C:\\Empty does not hold x64\\mpam-fe.exe.' } });
  assert.equal(rig.controller.getState().settings.sharePath, '\\\\srv\\upd');
  const cleared = (await rig.controller.dispatch('settings:set', { sharePath: '' })) as IpcResult<Settings>;
  assert.equal(cleared.ok && cleared.value.sharePath, '', 'clearing needs no check');
  assert.equal(rig.engine.checked.length, 2);
  await rig.controller.dispose();
});

test('with a share folder set, the file-share source updates through MpCmdRun from it, from every trigger', async () => {
  const rig = makeRig({ initialSettings: { source: 'file-share', sharePath: '\\\\srv\\upd' } });
  await rig.controller.startUpdate('schedule');
  rig.engine.finish('succeeded');
  await rig.controller.dispatch('update:start', { source: 'mmpc' });
  assert.deepEqual(
    rig.engine.starts.map((s) => [s.source, s.offline ?? null]),
    [
      ['file-share', { kind: 'folder', path: '\\\\srv\\upd' }],
      ['mmpc', null],
    ],
  );
  await rig.controller.dispose();
});

test('without a share folder, file-share stays the MpClient route', async () => {
  const rig = makeRig({ initialSettings: { source: 'file-share' } });
  await rig.controller.dispatch('update:start', undefined);
  assert.deepEqual(rig.engine.starts, [{ source: 'file-share', trigger: 'window' }]);
  await rig.controller.dispose();
});

test('the download page is opened by name; the window cannot send an address', async () => {
  const rig = makeRig();
  assert.deepEqual(await rig.controller.dispatch('link:open', { link: 'package-download' }), { ok: true, value: null });
  assert.deepEqual(rig.links.opened, ['package-download']);
  const forged = await rig.controller.dispatch('link:open', { link: 'https://evil.example/' });
  assert.equal(forged.ok ? 'ok' : forged.error.code, 'invalid-payload');
  assert.deepEqual(rig.links.opened, ['package-download']);
  await rig.controller.dispose();
});

test('without Defender, the offline commands say so', async () => {
  const rig = makeRig({ engine: new FakeEngine({ kind: 'unavailable', reason: 'not-windows', message: verbatim('Not Windows.'), demo: false }) });
  const reply = await rig.controller.dispatch('update:repair', { all: false });
  assert.deepEqual(reply, { ok: false, error: { code: 'unavailable', message: 'Not Windows.' } });
  await rig.controller.dispose();
});
