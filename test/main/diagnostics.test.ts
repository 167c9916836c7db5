import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, NO_POLICY, type AppState } from '../../app/shared/app-state';
import { IDLE_SNAPSHOT, type DefenderVersions } from '../../app/shared/update';
import { message, verbatim } from '../../app/shared/messages';
import { diagnosticsText, DIAGNOSTICS_FORMAT } from '../../app/main/diagnostics';
import { historyEntry } from './fakes';

const NOW = Date.UTC(2025, 0, 15, 9, 30, 0);

const VERSIONS: DefenderVersions = {
  product: { version: '4.18.24090.11', updatedAt: '2025-01-10T07:00:00.000Z' },
  service: { version: '4.18.24090.12', updatedAt: null },
  engine: { version: '1.1.24090.11', updatedAt: '2025-01-12T07:00:00.000Z' },
  antivirus: { version: '1.421.1234.0', updatedAt: '2025-01-15T08:00:00.000Z' },
  antispyware: {
    version: '1.421.1235.0',
    updatedAt: '2025-01-15T08:00:01.000Z',
  },
  nisEngine: { version: '1.1.24090.4', updatedAt: '2025-01-11T07:00:00.000Z' },
  nisSignature: {
    version: '1.421.1236.0',
    updatedAt: '2025-01-15T08:00:02.000Z',
  },
};

function state(over: Partial<AppState> = {}): AppState {
  return {
    appVersion: '0.1.0',
    platform: 'win32',
    availability: {
      kind: 'available',
      libraryPath: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpClient.dll',
      demo: false,
    },
    versions: VERSIONS,
    update: { ...IDLE_SNAPSHOT },
    lastOutcome: null,
    reboot: { kind: 'none' },
    schedule: { lastCheckAt: null, nextCheckAt: null },
    elevation: 'standard',
    policy: NO_POLICY,
    settings: {
      ...DEFAULT_SETTINGS,
      source: 'mmpc',
      autoCheckHours: 8,
      language: 'ru',
    },
    notices: [
      {
        id: 'n1',
        level: 'warning',
        key: 'export-failed',
        detail: 'D:\\private\\history.csv: disk full',
      },
    ],
    ...over,
  };
}

const lines = (text: string) => text.split('\n');

test('diagnostics name the app version, platform, where Defender was loaded from and when they were made', () => {
  const text = diagnosticsText(state(), [], NOW);
  assert.equal(lines(text)[0], DIAGNOSTICS_FORMAT);
  assert.ok(lines(text).includes('Generated: 2025-01-15T09:30:00.000Z'));
  assert.ok(lines(text).includes('App version: 0.1.0'));
  assert.ok(lines(text).includes('Platform: win32'));
  assert.ok(lines(text).includes('Availability: available'));
  assert.ok(lines(text).includes('Library: C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpClient.dll'));
  assert.ok(lines(text).includes('Demo: no'));
  assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
});

test('every Defender component is listed with its version and update time, or "unknown"', () => {
  const text = diagnosticsText(state(), [], NOW);
  const expected: [string, string][] = [
    ['Platform (product):', '4.18.24090.11, updated 2025-01-10T07:00:00.000Z'],
    ['Service:', '4.18.24090.12, updated unknown'],
    ['Engine:', '1.1.24090.11, updated 2025-01-12T07:00:00.000Z'],
    ['Security intelligence (antivirus):', '1.421.1234.0, updated 2025-01-15T08:00:00.000Z'],
    ['Antispyware signatures:', '1.421.1235.0, updated 2025-01-15T08:00:01.000Z'],
    ['Network inspection engine:', '1.1.24090.4, updated 2025-01-11T07:00:00.000Z'],
    ['Network inspection signatures:', '1.421.1236.0, updated 2025-01-15T08:00:02.000Z'],
  ];
  const start = lines(text).indexOf('Defender versions:');
  assert.ok(start > 0);
  const listed = lines(text).slice(start + 1, start + 1 + expected.length);
  expected.forEach(([label, value], i) => {
    const line = listed[i]!;
    assert.ok(line.startsWith(`  ${label} `) && line.endsWith(` ${value}`), `${label} ${value} in ${JSON.stringify(line)}`);
    assert.equal(line.slice(2 + label.length, line.length - value.length).trim(), '');
  });
  // Aligned, so a person can scan the column.
  assert.equal(new Set(listed.map((line, i) => line.lastIndexOf(expected[i]![1]))).size, 1);
});

test('without Defender the block says why, and that no versions were read', () => {
  const text = diagnosticsText(
    state({
      availability: {
        kind: 'unavailable',
        reason: 'load-failed',
        message: verbatim('MpClient.dll could not be loaded:\r\nThe specified module could not be found.'),
        demo: false,
      },
      versions: null,
    }),
    [],
    NOW,
  );
  assert.ok(lines(text).includes('Availability: unavailable (load-failed)'));
  assert.ok(
    lines(text).includes('Reason: MpClient.dll could not be loaded: The specified module could not be found.'),
    'the reason stays on one line',
  );
  assert.ok(lines(text).includes('Defender versions: not read'));
  assert.ok(lines(text).includes('History: none'));
  assert.ok(!text.includes('Library:'));
});

test('sentences are in English for support, whatever language the window speaks', () => {
  const text = diagnosticsText(
    state({ availability: { kind: 'unavailable', reason: 'not-windows', message: message('unavailable.message.notWindows'), demo: false } }),
    [historyEntry(1, { message: message('outcome.message.succeeded') })],
    NOW,
  );
  assert.equal(state().settings.language, 'ru');
  assert.ok(lines(text).includes('Reason: Microsoft Defender is only available on Windows.'), text);
  assert.match(text, /\| Security intelligence was updated\.$/m);
});

test('every setting is listed with its current value', () => {
  const text = diagnosticsText(state(), [], NOW);
  const start = lines(text).indexOf('Settings:');
  assert.deepEqual(lines(text).slice(start + 1, start + 8), [
    '  source: mmpc',
    '  autoCheckHours: 8',
    '  startAtLogin: false',
    '  notifications: true',
    '  language: ru',
    '  rebootReminderHours: 4',
    '  watchFreshness: true',
  ]);
});

test('history gives the 20 newest results, newest first, with time, trigger, source, result, code, message and versions', () => {
  const history = Array.from({ length: 25 }, (_, i) => historyEntry(i + 1));
  history[24] = historyEntry(25, {
    trigger: 'schedule',
    source: 'mmpc',
    result: 'failed',
    hresult: '0x80072EE7',
    message: verbatim('The server name or address\ncould not be resolved.'),
    versionBefore: '1.400.0.0',
    versionAfter: null,
  });
  const text = diagnosticsText(state(), history, NOW);
  const start = lines(text).indexOf('History, newest first (20 of 25):');
  assert.ok(start > 0, text);
  assert.equal(lines(text)[start + 1], '  time | trigger | source | result | hresult | versions | message');
  const rows = lines(text)
    .slice(start + 2)
    .filter((line) => line !== '');
  assert.equal(rows.length, 20, 'not more than 20');
  assert.equal(
    rows[0],
    `  ${history[24].time} | schedule | mmpc | failed | 0x80072EE7 | 1.400.0.0 -> - | The server name or address could not be resolved.`,
  );
  assert.equal(
    rows[1],
    `  ${history[23]!.time} | window | default | succeeded | 0x00000000 | 1.400.0.0 -> 1.401.0.0 | Security intelligence was updated.`,
  );
  assert.ok(rows[19]!.startsWith(`  ${history[5]!.time} |`), 'the oldest line shown is the 20th newest');
  for (const old of history.slice(0, 5)) assert.ok(!text.includes(old.time), `${old.time} is older than the 20 newest`);
});

test('nothing beyond what is listed: notices, the update in progress and the last outcome stay out', () => {
  const text = diagnosticsText(
    state({
      update: { ...IDLE_SNAPSHOT, runId: 3, phase: 'downloading', percent: 42 },
      reboot: { kind: 'needed', since: 1, remindAt: null },
    }),
    [],
    NOW,
  );
  assert.ok(!text.includes('private'), 'a notice’s detail (a path) is not copied');
  assert.ok(!text.includes('downloading'));
  assert.ok(!/reboot|restart/i.test(text.replace('rebootReminderHours', '')));
});

test('the same input gives the same text', () => {
  const history = [historyEntry(1), historyEntry(2)];
  assert.equal(diagnosticsText(state(), history, NOW), diagnosticsText(structuredClone(state()), structuredClone(history), NOW));
});
