/**
 * The one store for every file the app keeps, on real files in temp folders: a read that fails never loses data,
 * text from Windows tools is read in its own encoding, a damaged file is explained in words, and what interrupted
 * writes left behind is tidied. Read errors are injected through the store's fs port, as Windows gives them while an
 * antivirus or a backup holds a file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, type HistoryEntry, type Settings } from '../../app/shared/app-state';
import { createHistoryStore } from '../../app/main/history-store';
import { nodeStoreFs, type StoreFs } from '../../app/main/json-store';
import { createSettingsStore } from '../../app/main/settings-store';
import { historyEntry, makeRig } from './fakes';

const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'du-store-'));

/** The real file system, except that reads fail with `code` while `failing` says so (or for the next `times` reads). */
function flakyFs(code: string, times = Infinity) {
  const fs = {
    failing: true,
    left: times,
    pauses: [] as number[],
    port: {
      ...nodeStoreFs,
      readFile(path: string) {
        if (fs.failing && fs.left > 0) {
          fs.left -= 1;
          throw Object.assign(new Error(`${code}: resource busy or locked, open '${path}'`), { code });
        }
        return nodeStoreFs.readFile(path);
      },
      pause: (ms: number) => void fs.pauses.push(ms),
    } satisfies StoreFs,
  };
  return fs;
}

function historyFile(dir: string, entries: HistoryEntry[]): string {
  const path = join(dir, 'history.json');
  writeFileSync(path, JSON.stringify({ version: 1, entries }, null, 2));
  return path;
}

const thirty = Array.from({ length: 30 }, (_, i) => historyEntry(i + 1));

test('a history file another program holds for a moment (EBUSY) is read after a short retry: nothing lost, nothing said', () => {
  const dir = tempDir();
  historyFile(dir, thirty);
  const fs = flakyFs('EBUSY', 2);
  const loaded = createHistoryStore({ dir, fs: fs.port }).load();
  assert.equal(loaded.value.length, 30);
  assert.equal(loaded.notice, null);
  assert.deepEqual(fs.pauses, [25, 50], 'a short backoff between the attempts');
});

test('30 entries never become 1: an unreadable history file is not written over, and the new entry joins the 30 once it can be read', async () => {
  const dir = tempDir();
  const path = historyFile(dir, thirty);
  const before = readFileSync(path, 'utf8');
  const fs = flakyFs('EPERM');
  const history = createHistoryStore({ dir, fs: fs.port, now: () => NOW });
  const rig = makeRig({ history });
  const notice = rig.controller.getState().notices[0];
  assert.equal(notice?.key, 'history-unreadable');
  assert.match(notice?.detail ?? '', /^history\.json could not be read: access to it was refused.*\(EPERM\)$/);

  await rig.controller.startUpdate('window');
  rig.engine.finish('succeeded', { runId: 31, endedAt: NOW });
  const shown = await rig.controller.dispatch('history:get', undefined);
  await rig.controller.dispose(); // waits for the write
  assert.equal(readFileSync(path, 'utf8'), before, 'the file is exactly as it was');
  const kept = shown.ok ? (shown.value as HistoryEntry[]) : [];
  assert.deepEqual(
    kept.map((entry) => entry.runId),
    [31],
    'the new entry is kept in memory',
  );

  // Later the antivirus lets go: the next save reads the file first and adds what was kept to it.
  fs.failing = false;
  await history.save([...kept, historyEntry(32)]);
  assert.deepEqual(
    createHistoryStore({ dir })
      .load()
      .value.map((entry) => entry.runId),
    Array.from({ length: 32 }, (_, i) => i + 1),
    'the 30 from the file, then the 2 kept in memory',
  );
  await history.save([...kept, historyEntry(32), historyEntry(33)]);
  assert.equal(createHistoryStore({ dir }).load().value.length, 33, 'and every later save adds to them, each entry once');
});

test('unreadable settings: the defaults stand in, a change is kept, and the file later keeps its own values plus the change', async () => {
  const dir = tempDir();
  const path = join(dir, 'settings.json');
  const saved: Settings = { ...DEFAULT_SETTINGS, startAtLogin: true, language: 'ru' };
  writeFileSync(path, JSON.stringify(saved));
  const fs = flakyFs('EACCES');
  const store = createSettingsStore({ dir, fs: fs.port, now: () => NOW });
  const loaded = store.load();
  assert.deepEqual(loaded.value, DEFAULT_SETTINGS);
  assert.equal(loaded.notice?.key, 'settings-unreadable');
  await store.save({ ...DEFAULT_SETTINGS, autoCheckHours: 24 });
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), saved, 'not written over while it cannot be read');
  fs.failing = false;
  await store.save({ ...DEFAULT_SETTINGS, autoCheckHours: 24, notifications: false });
  assert.deepEqual(createSettingsStore({ dir }).load().value, { ...saved, autoCheckHours: 24, notifications: false });
  assert.deepEqual(readdirSync(dir), ['settings.json']);
});

test('settings written by Notepad or PowerShell 5 (UTF-8 with a BOM, UTF-16 LE or BE) are read as written', () => {
  const settings: Settings = { ...DEFAULT_SETTINGS, source: 'wsus', language: 'ru', rebootReminderHours: 8 };
  const json = JSON.stringify(settings, null, 2);
  const le = Buffer.from(json, 'utf16le');
  const be = Buffer.from(le).swap16();
  const files: Record<string, Buffer> = {
    'UTF-8 with BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
    'UTF-16 LE with BOM (Out-File)': Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
    'UTF-16 BE with BOM': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    'UTF-16 LE without BOM': le,
    'UTF-16 BE without BOM': be,
  };
  for (const [name, bytes] of Object.entries(files)) {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), bytes);
    assert.deepEqual(createSettingsStore({ dir, now: () => NOW }).load(), { value: settings, notice: null }, name);
    assert.deepEqual(readdirSync(dir), ['settings.json'], `${name}: not moved aside`);
  }
});

test("a damaged file's notice says in plain words what was wrong, never the parser's own message", () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['empty', '', /the file is empty/],
    ['cut off while written', '{"source": "wsus", "autoCheck', /stops before it is complete/],
    ['a stray comma', '{\n  "source": "wsus",\n}', /not valid JSON \(a mistake on line 3\)/],
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10, 0x80, 0x00]), /binary data, not text/],
    ['not an object', '[1, 2]', /its content is not what this version expects/],
  ];
  for (const [name, contents, expected] of cases) {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), contents);
    const detail = createSettingsStore({ dir, now: () => NOW }).load().notice?.detail ?? '';
    assert.match(detail, expected, name);
    assert.match(detail, /^settings\.json could not be used: .*The old file was kept as .*settings\.json\.corrupt-/, name);
    assert.doesNotMatch(detail, /Unexpected|Unterminated|position \d|SyntaxError|JSON at/, `${name}: ${detail}`);
  }
});

test('temporary files of interrupted writes are removed at start; the file and moved-aside copies stay', () => {
  const dir = tempDir();
  historyFile(dir, thirty);
  for (const name of ['history.json.2716423915', 'history.json.17', 'history.json.corrupt-2025-01-15T09-00-00-000Z', 'settings.json.3301']) {
    writeFileSync(join(dir, name), '{"version":1,"entr');
  }
  assert.equal(createHistoryStore({ dir }).load().value.length, 30);
  assert.deepEqual(readdirSync(dir).sort(), ['history.json', 'history.json.corrupt-2025-01-15T09-00-00-000Z', 'settings.json.3301']);
});
