/**
 * Events written through advapi32 for real (run under Wine with the Windows node.exe).
 *
 * Wine keeps no event log: its RegisterEventSourceW returns a fixed handle, and its ReportEventW returns TRUE and prints
 * what it received on its debug channels (a `fixme:advapi` line with the handle, type, category, event ID, string count
 * and data size; then each string on the `eventlog` channel, as `err:` for an error, `warn:` for a warning and `trace:`
 * otherwise). So this checks the return values the app sees, and, from Wine's own output, the arguments as the native
 * functions received them. That output goes to the Unix stderr, which scripts/windows/setup.mjs names in
 * DU_WINE_STDERR; a child node.exe with WINEDEBUG=+eventlog writes the events, so its lines are the only new ones.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEventLogWriter, type EventWriteResult } from '../../app/main/event-log/event-log-writer';
import { EVENT_SOURCE, eventForOutcome, eventForUnavailable, type EventRecord } from '../../app/main/event-log/event-record';
import { verbatim } from '../../app/shared/messages';
import type { UpdateOutcome, UpdateResult } from '../../app/shared/update';

function outcome(result: UpdateResult, text: string): UpdateOutcome {
  return {
    runId: 1,
    result,
    source: 'mmpc',
    trigger: 'cli',
    startedAt: Date.UTC(2026, 10, 24, 9, 0, 0),
    endedAt: Date.UTC(2026, 10, 24, 9, 1, 0),
    hresult: result === 'failed' ? 0x80070005 : 0,
    message: verbatim(text),
    error: null,
    versionsBefore: null,
    versionsAfter: null,
    updateType: 'http',
    sharedSignatureRoot: null,
  };
}

const RECORDS: EventRecord[] = [
  eventForOutcome(outcome('succeeded', 'Обновлено.'), { appVersion: '0.1.0' }),
  eventForOutcome(outcome('failed', 'Access is denied.'), { appVersion: '0.1.0' }),
  eventForOutcome(outcome('cancelled', 'Cancelled "by the user" \\ here.'), { appVersion: '0.1.0' }),
  eventForUnavailable(
    { kind: 'unavailable', reason: 'not-installed', message: verbatim('Not found.'), demo: false },
    { source: 'default', trigger: 'cli' },
    { appVersion: '0.1.0' },
  ),
];

const CHILD_FLAG = 'DU_EVENT_LOG_CHILD';

if (process.env[CHILD_FLAG]) {
  // The child: write every record in order and print what the writer said.
  void (async () => {
    const writer = createEventLogWriter({ log: (m) => console.error(m) });
    const results: EventWriteResult[] = [];
    for (const record of RECORDS) results.push(await writer.write(record));
    console.log(JSON.stringify(results));
  })();
} else {
  test('each event is written to the Application log with its ID, level and key=value text', () => {
    assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
    const stderr = process.env.DU_WINE_STDERR;
    assert.ok(stderr, 'DU_WINE_STDERR names the file Wine writes its debug output to (scripts/windows/setup.mjs)');
    const offset = statSync(stderr).size;

    const dir = mkdtempSync(join(tmpdir(), 'du-eventlog-'));
    const out = openSync(join(dir, 'stdout.txt'), 'w');
    let results: EventWriteResult[];
    try {
      const child = spawnSync(process.execPath, [__filename], {
        env: { ...process.env, [CHILD_FLAG]: '1', WINEDEBUG: '+eventlog' },
        stdio: ['ignore', out, 'ignore'],
        timeout: 60_000,
      });
      closeSync(out);
      assert.equal(child.status, 0, 'the writing process exits cleanly');
      results = JSON.parse(readFileSync(join(dir, 'stdout.txt'), 'utf8')) as EventWriteResult[];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // RegisterEventSourceW, ReportEventW and DeregisterEventSource all returned success, for every record.
    assert.deepEqual(
      results,
      RECORDS.map(() => ({ written: true })),
    );

    const wine = readFileSync(stderr).subarray(offset).toString('utf8').split('\n');
    const registered = wine.filter((l) => /:advapi:RegisterEventSourceW /.test(l));
    assert.deepEqual(
      registered.map((l) => /RegisterEventSourceW \(\(null\),L"([^"]*)"\)/.exec(l)?.[1]),
      RECORDS.map(() => EVENT_SOURCE),
      'the local machine (NULL server) and the source "Defender Updater", once per event',
    );

    const reported = wine.filter((l) => /:advapi:ReportEventW /.test(l));
    const calls = reported.map((line) => {
      const args = /ReportEventW \(([^)]*)\)/.exec(line)?.[1]?.split(',') ?? [];
      return {
        handle: args[0],
        type: Number(args[1]),
        category: Number(args[2]),
        id: Number(args[3]),
        sid: Number(`0x${args[4]}`),
        strings: Number(args[5]),
        dataSize: Number(args[6]),
      };
    });
    const TYPES = { error: 0x0001, warning: 0x0002, information: 0x0004 };
    assert.deepEqual(
      calls.map(({ handle: _handle, ...rest }) => rest),
      RECORDS.map((r) => ({ type: TYPES[r.level], category: 0, id: r.id, sid: 0, strings: 1, dataSize: 0 })),
    );

    // Each record's text on the eventlog channel, in the class Wine picks from the type. Wine shortens a long string
    // (about 300 characters, then `...`), so a shortened one must be the start of the text.
    const CLASSES = { error: 'err', warning: 'warn', information: 'trace' };
    const texts = wine
      .filter((l) => /:eventlog:ReportEventW /.test(l))
      .map((l) => /:(\w+):eventlog:ReportEventW (L".*")(\.\.\.)?$/.exec(l))
      .map((m) => ({ level: m?.[1], text: decodeWineString(m?.[2] ?? ''), shortened: Boolean(m?.[3]) }));
    assert.equal(texts.length, RECORDS.length);
    RECORDS.forEach((record, i) => {
      const seen = texts[i]!;
      assert.equal(seen.level, CLASSES[record.level], `event ${record.id} class`);
      if (seen.shortened) {
        assert.ok(seen.text.length >= 200 && record.text.startsWith(seen.text), `event ${record.id}: ${JSON.stringify(seen.text)}`);
      } else assert.equal(seen.text, record.text);
    });

    const deregistered = wine.filter((l) => /:advapi:DeregisterEventSource /.test(l)).map((l) => /\(([0-9A-F]+)\)/i.exec(l)?.[1]);
    assert.deepEqual(
      deregistered,
      calls.map((c) => c.handle),
      'every handle is closed',
    );
  });
}

/** Reverses Wine's debugstr_w: L"…" with \n, \r, \t, \\, \" and \XXXX (hex) escapes. */
function decodeWineString(literal: string): string {
  return literal
    .replace(/^L"|"$/g, '')
    .replace(/\\(n|r|t|\\|"|[0-9a-f]{4})/gi, (_, code: string) =>
      code === 'n' ? '\n' : code === 'r' ? '\r' : code === 't' ? '\t' : code.length === 4 ? String.fromCharCode(parseInt(code, 16)) : code,
    );
}
