import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import { createSettingsStore } from '../../app/main/settings-store';
import { createHistoryStore } from '../../app/main/history-store';
import { createWindowStateStore, DEFAULT_WINDOW_STATE } from '../../app/main/window-state';
import { csvField, historyEntryFor, historyToCsv, historyToJson } from '../../app/main/history-format';
import { message, renderMessage, verbatim } from '../../app/shared/messages';
import { historyEntry, makeRig } from './fakes';

const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'du-shell-'));

test('first start without a settings file uses the defaults quietly', () => {
  const store = createSettingsStore({ dir: tempDir(), now: () => NOW });
  assert.deepEqual(store.load(), { value: DEFAULT_SETTINGS, notice: null });
});

test('settings survive a restart of the app', async () => {
  const dir = tempDir();
  const store = createSettingsStore({ dir: join(dir, 'not-yet-created') });
  const changed = { ...DEFAULT_SETTINGS, autoCheckHours: 24 as const, language: 'ru' as const, startAtLogin: true };
  await store.save(changed);
  assert.deepEqual(createSettingsStore({ dir: join(dir, 'not-yet-created') }).load(), { value: changed, notice: null });
});

test('the last of several quick saves is what is kept', async () => {
  const dir = tempDir();
  const store = createSettingsStore({ dir });
  void store.save({ ...DEFAULT_SETTINGS, autoCheckHours: 4 });
  void store.save({ ...DEFAULT_SETTINGS, autoCheckHours: 8 });
  await store.save({ ...DEFAULT_SETTINGS, autoCheckHours: 24 });
  assert.equal(store.load().value.autoCheckHours, 24);
  assert.deepEqual(readdirSync(dir), ['settings.json'], 'no temporary files left behind');
});

test('a corrupt settings file is moved aside and defaults are used with a notice', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'settings.json'), '{"source": "wsus", "autoCheck');
  const loaded = createSettingsStore({ dir, now: () => NOW }).load();
  assert.deepEqual(loaded.value, DEFAULT_SETTINGS);
  assert.equal(loaded.notice?.key, 'settings-reset');
  assert.equal(loaded.notice?.level, 'warning');
  const aside = 'settings.json.corrupt-2025-01-15T09-00-00-000Z';
  assert.deepEqual(readdirSync(dir), [aside]);
  assert.equal(readFileSync(join(dir, aside), 'utf8'), '{"source": "wsus", "autoCheck', 'the old file is kept as it was');
  assert.match(loaded.notice?.detail ?? '', new RegExp(aside.replace(/\./g, '\\.')));
});

test('a settings file that is not a JSON object is moved aside and defaults are used', () => {
  for (const text of ['[]', 'null', '"text"', '42']) {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), text);
    const loaded = createSettingsStore({ dir, now: () => NOW }).load();
    assert.deepEqual(loaded.value, DEFAULT_SETTINGS, text);
    assert.equal(loaded.notice?.key, 'settings-reset', text);
    assert.deepEqual(readdirSync(dir), ['settings.json.corrupt-2025-01-15T09-00-00-000Z'], text);
  }
});

test('one value the app does not offer resets that setting only, and start-at-login survives', () => {
  for (const [bad, key] of [
    ['"language":"fr"', 'language'],
    ['"autoCheckHours":12', 'autoCheckHours'],
    ['"notifications":"yes"', 'notifications'],
  ] as const) {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), `{"startAtLogin":true,"source":"wsus",${bad}}`);
    const loaded = createSettingsStore({ dir, now: () => NOW }).load();
    assert.deepEqual(loaded.value, { ...DEFAULT_SETTINGS, startAtLogin: true, source: 'wsus' }, bad);
    assert.equal(loaded.notice?.key, 'settings-reset');
    assert.match(loaded.notice?.detail ?? '', new RegExp(`${key} had values`), 'the notice names the setting');
    assert.deepEqual(readdirSync(dir), ['settings.json'], 'the file stays; the next save rewrites it');
  }
});

test('settings from another version: missing keys take defaults, unknown keys are dropped', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'ru', theme: 'dark' }));
  const loaded = createSettingsStore({ dir }).load();
  assert.deepEqual(loaded, { value: { ...DEFAULT_SETTINGS, language: 'ru' }, notice: null });
});

test('a corrupt settings file shows a notice in the window at start', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'settings.json'), '\u0000\u0000garbage');
  const rig = makeRig({ settings: createSettingsStore({ dir }), history: createHistoryStore({ dir }) });
  const state = rig.controller.getState();
  assert.deepEqual(state.settings, DEFAULT_SETTINGS);
  assert.deepEqual(
    state.notices.map((n) => n.key),
    ['settings-reset'],
  );
  void rig.controller.dispose();
});

test('history survives a restart and keeps the last 500 results', async () => {
  const dir = tempDir();
  const store = createHistoryStore({ dir });
  await store.save(Array.from({ length: 600 }, (_, i) => historyEntry(i + 1)));
  const loaded = createHistoryStore({ dir }).load();
  assert.equal(loaded.notice, null);
  assert.equal(loaded.value.length, 500);
  assert.equal(loaded.value[0]?.runId, 101);
});

test('a corrupt history file is moved aside and history starts empty with a notice', () => {
  for (const text of ['not json', '{"version":2,"entries":[]}', '{"entries":[]}', '{"version":1,"entries":{}}']) {
    const dir = tempDir();
    writeFileSync(join(dir, 'history.json'), text);
    const loaded = createHistoryStore({ dir, now: () => NOW }).load();
    assert.deepEqual(loaded.value, [], text);
    assert.equal(loaded.notice?.key, 'history-reset', text);
    assert.deepEqual(readdirSync(dir), ['history.json.corrupt-2025-01-15T09-00-00-000Z']);
  }
});

test('an unreadable history entry is left out and the rest kept, with a notice', () => {
  const dir = tempDir();
  const good = [historyEntry(1), historyEntry(2)];
  writeFileSync(join(dir, 'history.json'), JSON.stringify({ version: 1, entries: [good[0], { runId: 'one' }, good[1]] }));
  const loaded = createHistoryStore({ dir, now: () => NOW }).load();
  assert.deepEqual(loaded.value, good);
  assert.equal(loaded.notice?.key, 'history-reset');
  assert.match(loaded.notice?.detail ?? '', /1 unreadable entry was left out/);
  assert.deepEqual(readdirSync(dir), ['history.json']);
});

test('CSV export quotes commas, quotes and line breaks as RFC 4180 says', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(null), '');
  const csv = historyToCsv([historyEntry(1, { message: verbatim('Access is denied, "really"\r\nsecond line'), versionAfter: null })], 'en');
  assert.equal(
    csv,
    '\ufefftime,trigger,source,result,hresult,message,versionBefore,versionAfter\r\n' +
      '2025-01-01T00:01:00.000Z,window,default,succeeded,0x00000000,"Access is denied, ""really""\r\nsecond line",1.400.0.0,\r\n',
  );
});

test('CSV export never hands a spreadsheet a formula: a field starting with = + - @ tab or CR gets a leading quote', () => {
  assert.equal(csvField('=HYPERLINK("http://evil.test","click")'), `"'=HYPERLINK(""http://evil.test"",""click"")"`);
  assert.equal(csvField('+1+2'), "'+1+2");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\t=1'), "'\t=1");
  assert.equal(csvField('\r=1'), `"'\r=1"`);
  assert.equal(csvField('a=b, c-d'), '"a=b, c-d"', 'only the first character matters');
  const csv = historyToCsv([historyEntry(1, { message: verbatim('=cmd|" /C calc"!A0') })], 'en');
  assert.match(csv, /,"'=cmd\|"" \/C calc""!A0",/);
});

test('CSV export starts with a UTF-8 byte-order mark, so Excel reads Cyrillic messages as written', async () => {
  const rig = makeRig({ initialHistory: [historyEntry(1, { message: verbatim('Отказано в доступе.') })] });
  const reply = await rig.controller.dispatch('history:export', { format: 'csv' });
  assert.equal(reply.ok, true);
  const written = rig.exporter.written[0]?.contents ?? '';
  assert.ok(written.startsWith('\ufefftime,'), 'one BOM, then the header');
  assert.equal(Buffer.from(written, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
  assert.match(written, /Отказано в доступе\./);
  await rig.controller.dispose();
});

test('an export speaks the window’s language: CSV and JSON messages in Russian when Russian is chosen', () => {
  const entries = [historyEntry(1)];
  assert.match(historyToCsv(entries, 'ru'), /,Аналитика безопасности обновлена\.,/);
  const parsed = JSON.parse(historyToJson(entries, 'ru')) as { entries: { message: string; messageKey: string }[] };
  assert.deepEqual([parsed.entries[0]?.message, parsed.entries[0]?.messageKey], ['Аналитика безопасности обновлена.', 'outcome.message.succeeded']);
});

test('JSON export holds every history field, the message as text and as its key', () => {
  const entries = [historyEntry(1), historyEntry(2, { result: 'failed', hresult: '0x80070005', message: verbatim('Access is denied.') })];
  const parsed = JSON.parse(historyToJson(entries, 'en')) as { format: string; version: number; entries: unknown };
  assert.equal(parsed.format, 'defender-updater-history');
  assert.deepEqual(
    parsed.entries,
    entries.map((e) => ({ ...e, message: renderMessage('en', e.message), messageKey: e.message.key })),
  );
});

test('history stores which sentence it was and its values, not English text, so it reads in the language chosen later', async () => {
  const dir = tempDir();
  const rig = makeRig();
  await rig.controller.startUpdate('window');
  const outcome = rig.engine.finish('up-to-date', {
    sharedSignatureRoot: 'D:\\Sigs',
    message: message('outcome.message.sharedRoot', { path: 'D:\\Sigs' }),
  });
  await createHistoryStore({ dir }).save([historyEntryFor(outcome)]);
  const file = readFileSync(join(dir, 'history.json'), 'utf8');
  assert.ok(!file.includes('shared folder'), file);
  const [entry] = createHistoryStore({ dir }).load().value;
  assert.equal(
    renderMessage('ru', entry!.message),
    'Этот компьютер получает аналитику безопасности из общей папки, заданной вашей организацией (D:\\Sigs); обновляется она там.',
  );
  void rig.controller.dispose();
});

test('a history file an older version wrote with English sentences is read: its own sentences get their keys back', () => {
  const dir = tempDir();
  const old = (runId: number, text: string) => ({ ...historyEntry(runId), message: text });
  const entries = [
    old(1, 'Security intelligence was updated.'),
    old(2, 'The update ended without reporting a result.'),
    old(3, 'Error 0x8024402C'),
    old(4, 'This PC takes its security intelligence from a shared folder set by your organization (\\\\fs\\sigs); it is updated there.'),
    old(5, 'Access is denied.'),
    { ...historyEntry(6), message: { key: 'a.key.from.a.newer.version' } },
  ];
  writeFileSync(join(dir, 'history.json'), JSON.stringify({ version: 1, entries }));
  const loaded = createHistoryStore({ dir, now: () => NOW }).load();
  assert.equal(loaded.notice, null, 'nothing was lost');
  assert.deepEqual(
    loaded.value.map((e) => e.message),
    [
      message('outcome.message.succeeded'),
      message('error.message.noResult'),
      message('error.message.code', { hex: '0x8024402C' }),
      message('outcome.message.sharedRoot', { path: '\\\\fs\\sigs' }),
      verbatim('Access is denied.'),
      verbatim(''),
    ],
  );
  assert.equal(renderMessage('ru', loaded.value[0]!.message), 'Аналитика безопасности обновлена.');
});

test('the window size and position are kept on disk, and a bad file only costs the saved position', async () => {
  const dir = tempDir();
  const state = { bounds: { x: 120, y: 80, width: 1000, height: 700 }, maximized: true };
  await createWindowStateStore({ dir }).save(state);
  assert.deepEqual(createWindowStateStore({ dir }).load(), state, 'restored after a restart');
  writeFileSync(join(dir, 'window-state.json'), '{"bounds":{"x":"left"}}');
  assert.deepEqual(createWindowStateStore({ dir, now: () => NOW }).load(), DEFAULT_WINDOW_STATE);
  assert.ok(readdirSync(dir).includes('window-state.json.corrupt-2025-01-15T09-00-00-000Z'), 'the bad file is kept aside');
});
