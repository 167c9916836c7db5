import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS } from '../../app/shared/ipc-channels';
import { makeRig, settle } from './fakes';

const huge = 'x'.repeat(1_000_000);
const polluting = (json: string): unknown => JSON.parse(json) as unknown;

/** [channel, payload, why it is wrong] */
const malformed: [string, unknown, string][] = [
  ['state:get', {}, 'takes no payload'],
  ['state:get', null, 'null'],
  ['state:get', [], 'array'],
  ['update:start', { source: 'the-internet' }, 'unknown source'],
  ['update:start', { source: 7 }, 'wrong type'],
  ['update:start', { source: 'default', trigger: 'tray' }, 'extra key: the window cannot claim another trigger'],
  ['update:start', null, 'null'],
  ['update:start', 'default', 'string instead of object'],
  ['update:start', ['default'], 'array'],
  ['update:start', { source: huge }, 'huge string'],
  ['update:start', polluting('{"__proto__":{"polluted":true}}'), '__proto__ key'],
  ['update:start', polluting('{"constructor":{"prototype":{"polluted":true}}}'), 'constructor key'],
  ['update:cancel', { force: true }, 'takes no payload'],
  ['reboot:answer', undefined, 'missing'],
  ['reboot:answer', {}, 'no answer'],
  ['reboot:answer', { answer: 'restart-immediately' }, 'unknown answer'],
  ['reboot:answer', { answer: 'restart-now', delay: 0 }, 'extra key'],
  ['reboot:answer', { answer: 'later', hours: -1 }, 'negative delay'],
  ['reboot:answer', { answer: 'later', hours: Number.POSITIVE_INFINITY }, 'infinite delay'],
  ['reboot:answer', { answer: 'later', hours: Number.NaN }, 'NaN'],
  ['reboot:answer', { answer: 'later', hours: '4' }, 'number as string'],
  ['reboot:answer', polluting('{"answer":"later","__proto__":{"hours":1}}'), '__proto__ key'],
  ['settings:get', 1, 'takes no payload'],
  ['settings:set', undefined, 'missing'],
  ['settings:set', { autoCheckHours: 5 }, 'interval not offered'],
  ['settings:set', { autoCheckHours: '4' }, 'number as string'],
  ['settings:set', { language: 'fr' }, 'language not offered'],
  ['settings:set', { notifications: 'yes' }, 'string for boolean'],
  ['settings:set', { startAtLogin: 1 }, 'number for boolean'],
  ['settings:set', { rebootReminderHours: 10_000 }, 'too long'],
  ['settings:set', { theme: 'dark' }, 'unknown setting'],
  ['settings:set', polluting('{"__proto__":{"isAdmin":true}}'), '__proto__ key'],
  ['settings:set', polluting('{"constructor":{"prototype":{"isAdmin":true}}}'), 'constructor key'],
  ['settings:set', [], 'array'],
  ['settings:set', null, 'null'],
  ['settings:set', { language: huge }, 'huge string'],
  ['history:get', { result: 'exploded' }, 'unknown result'],
  ['history:get', { limit: 10 }, 'unknown key'],
  ['history:export', { format: 'xlsx' }, 'unknown format'],
  ['history:export', { format: 'csv', path: 'C:\\Windows\\System32\\evil.dll' }, 'the renderer may not choose the path'],
  ['history:export', undefined, 'missing'],
  ['notice:dismiss', { id: '' }, 'empty id'],
  ['notice:dismiss', { id: huge }, 'huge string'],
  ['notice:dismiss', { id: 5 }, 'number id'],
  ['notice:dismiss', 'settings-reset-1', 'bare string'],
  ['diagnostics:copy', {}, 'takes no payload'],
  ['diagnostics:copy', { text: 'written by the page' }, 'the renderer may not choose the text'],
  ['diagnostics:copy', 'text', 'bare string'],
  ['diagnostics:copy', null, 'null'],
  ['app:restart-elevated', {}, 'takes no payload'],
  ['app:restart-elevated', { args: ['--evil'] }, 'the renderer may not choose the arguments'],
  ['availability:recheck', { path: 'C:\\evil.dll' }, 'the renderer may not choose the library'],
  ['shell:open-windows-security', { url: 'https://evil.example/' }, 'the renderer may not choose the URI'],
  ['shell:open-windows-security', 'windowsdefender://threat', 'bare string'],
  ['history:open-export', undefined, 'missing'],
  ['history:open-export', { how: 'file' }, 'no path'],
  ['history:open-export', { path: '', how: 'file' }, 'empty path'],
  ['history:open-export', { path: 'C:\\x.csv', how: 'run' }, 'unknown way to open'],
  ['history:open-export', { path: huge, how: 'file' }, 'huge path'],
  ['history:open-export', { path: 'C:\\x.csv', how: 'file', verb: 'runas' }, 'extra key'],
  ['update:package', undefined, 'missing'],
  ['update:package', { file: '' }, 'empty path'],
  ['update:package', { file: 'C:\\mpam-fe.exe\u0000.txt' }, 'NUL in the path'],
  ['update:package', { file: 'x'.repeat(32_768) }, 'longer than any Windows path'],
  ['update:package', { file: 'C:\\mpam-fe.exe', source: 'mmpc' }, 'extra key'],
  ['update:package', { file: ['C:\\a.exe'] }, 'array for path'],
  ['update:choose-package', { file: 'C:\\mpam-fe.exe' }, 'the renderer may not choose the file: the dialog does'],
  ['update:repair', undefined, 'missing'],
  ['update:repair', { all: 'yes' }, 'string for boolean'],
  ['update:repair', { all: false, args: ['-Engine'] }, 'the renderer may not choose arguments'],
  ['link:open', { link: 'https://evil.example/' }, 'an address instead of a name'],
  ['link:open', { link: 'package-download', url: 'https://evil.example/' }, 'extra key'],
  ['link:open', 'package-download', 'bare string'],
  ['settings:set', { sharePath: 42 }, 'number for a path'],
  ['settings:set', { sharePath: '\\\\srv\\share\u0000' }, 'NUL in the path'],
];

const unknownChannels: unknown[] = [
  'update:start ',
  'UPDATE:START',
  'app:event',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  huge,
  42,
  null,
  undefined,
  {},
  Symbol('x'),
];

test('malformed payloads on every command are refused with a typed error naming the channel, and change nothing', async () => {
  const rig = makeRig();
  await settle();
  const before = structuredClone(rig.controller.getState());
  for (const [channel, payload, why] of malformed) {
    const reply = await rig.controller.dispatch(channel, payload);
    assert.equal(reply.ok, false, `${channel} accepted ${why}`);
    if (reply.ok) continue;
    assert.equal(reply.error.code, 'invalid-payload', `${channel} (${why}): ${reply.error.message}`);
    assert.ok(reply.error.message.startsWith(`${channel}: `), `message names the channel: ${reply.error.message}`);
    assert.ok(reply.error.message.length <= 400, `message stays short for ${why}`);
  }
  assert.deepEqual(rig.controller.getState(), before);
  assert.equal(rig.engine.starts.length, 0);
  assert.equal(rig.engine.cancels, 0);
  assert.equal(rig.settings.saved.length, 0);
  assert.equal(rig.runner.calls.length, 0);
  assert.equal(rig.exporter.asked.length, 0);
  assert.deepEqual(rig.clipboard.texts, []);
  assert.deepEqual(rig.shell.opened, []);
  assert.equal(rig.elevation.prompts, 0);
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  assert.equal((Object.prototype as Record<string, unknown>).isAdmin, undefined);
  await rig.controller.dispose();
});

test('a wrong value says which field is wrong', async () => {
  const rig = makeRig();
  const reply = await rig.controller.dispatch('settings:set', { autoCheckHours: 5 });
  assert.equal(reply.ok, false);
  assert.match(reply.ok ? '' : reply.error.message, /^settings:set: autoCheckHours: /);
  const extra = await rig.controller.dispatch('settings:set', { theme: 'dark' });
  assert.match(extra.ok ? '' : extra.error.message, /theme/);
  await rig.controller.dispose();
});

test('unknown channels are refused without crashing', async () => {
  const rig = makeRig();
  await settle();
  const before = structuredClone(rig.controller.getState());
  for (const channel of unknownChannels) {
    const reply = await rig.controller.dispatch(channel as string, undefined);
    assert.equal(reply.ok, false);
    if (!reply.ok) {
      assert.equal(reply.error.code, 'invalid-payload');
      assert.match(reply.error.message, /^unknown channel /);
      assert.ok(reply.error.message.length <= 400);
    }
  }
  assert.deepEqual(rig.controller.getState(), before);
  await rig.controller.dispose();
});

test('every channel of the contract has a working command', async () => {
  const rig = makeRig();
  const valid: Record<string, unknown> = {
    'state:get': undefined,
    'update:start': { source: 'default' },
    'update:cancel': undefined,
    'reboot:answer': { answer: 'later' },
    'settings:get': undefined,
    'settings:set': { notifications: false },
    'history:get': undefined,
    'history:export': { format: 'json' },
    'notice:dismiss': { id: 'nothing-to-dismiss' },
    'diagnostics:copy': undefined,
    'availability:recheck': undefined,
    'shell:open-windows-security': undefined,
    // The file the export above wrote (RecordingExporter's answer).
    'history:open-export': { path: '/tmp/export/history.csv', how: 'folder' },
    'app:restart-elevated': undefined,
    'update:package': { file: 'C:\\Users\\me\\Downloads\\mpam-fe.exe' },
    'update:choose-package': undefined,
    'update:repair': { all: false },
    'link:open': { link: 'package-download' },
  };
  assert.deepEqual(Object.keys(valid).sort(), Object.values(API_METHODS).sort());
  for (const [channel, payload] of Object.entries(valid)) {
    const reply = await rig.controller.dispatch(channel, payload);
    // reboot:answer "later" without a needed restart is a clear refusal, not a validation error.
    if (channel === 'reboot:answer') assert.deepEqual(reply.ok ? null : reply.error.code, 'failed');
    else assert.equal(reply.ok, true, `${channel}: ${reply.ok ? '' : reply.error.message}`);
    // One update at a time: let each one end, so the next command is not refused as busy.
    if (rig.engine.running) rig.engine.finish('succeeded');
  }
  await rig.controller.dispose();
});

test('a command that throws inside is answered with a failed error, not a crash', async () => {
  const rig = makeRig();
  rig.engine.start = () => {
    throw new Error('koffi exploded');
  };
  const reply = await rig.controller.dispatch('update:start', undefined);
  assert.deepEqual(reply, { ok: false, error: { code: 'failed', message: 'koffi exploded' } });
  await rig.controller.dispose();
});
