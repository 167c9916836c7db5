/** What a collector reads from the Application log for each finished update (the pure part; Wine checks the calls). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { message, verbatim } from '../../../app/shared/messages';
import type { DefenderVersions, UpdateOutcome } from '../../../app/shared/update';
import { EVENT_IDS, EVENT_LEVELS, eventForOutcome, eventForUnavailable } from '../../../app/main/event-log/event-record';
import { createEventLogWriter } from '../../../app/main/event-log/event-log-writer';

function versions(antivirus: string, engine: string): DefenderVersions {
  const v = (version: string) => ({ version, updatedAt: null });
  return {
    product: v('4.18.25010.11'),
    service: v('4.18.25010.11'),
    engine: v(engine),
    antivirus: v(antivirus),
    antispyware: v(antivirus),
    nisEngine: v('1.1.25010.4'),
    nisSignature: v('1.425.10.0'),
  };
}

function outcome(overrides: Partial<UpdateOutcome> = {}): UpdateOutcome {
  return {
    runId: 7,
    result: 'succeeded',
    source: 'mmpc',
    trigger: 'schedule',
    startedAt: Date.UTC(2026, 10, 24, 9, 0, 0),
    endedAt: Date.UTC(2026, 10, 24, 9, 0, 42),
    hresult: 0,
    message: message('outcome.message.succeeded'),
    error: null,
    versionsBefore: versions('1.425.10.0', '1.1.25010.4'),
    versionsAfter: versions('1.425.12.0', '1.1.25010.5'),
    updateType: 'http',
    sharedSignatureRoot: null,
    ...overrides,
  };
}

/** How a collector reads the text: one `key=value` per line, split at the first `=`. */
function parse(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split('\r\n').map((line) => {
      const at = line.indexOf('=');
      assert.ok(at > 0, `not a key=value line: ${JSON.stringify(line)}`);
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}

describe('event IDs and levels', () => {
  test('are the documented ones: 1000 succeeded … 1005 Defender not available', () => {
    assert.deepEqual(EVENT_IDS, { succeeded: 1000, 'up-to-date': 1001, failed: 1002, 'reboot-required': 1003, cancelled: 1004, unavailable: 1005 });
  });

  test('failures are errors, a needed restart and a cancel are warnings, success is information', () => {
    assert.deepEqual(EVENT_LEVELS, {
      succeeded: 'information',
      'up-to-date': 'information',
      failed: 'error',
      'reboot-required': 'warning',
      cancelled: 'warning',
      unavailable: 'error',
    });
  });
});

describe('eventForOutcome', () => {
  test('a success carries the result, HRESULT, source, update type and versions before and after', () => {
    const event = eventForOutcome(outcome(), { appVersion: '0.1.0' });
    assert.equal(event.id, 1000);
    assert.equal(event.level, 'information');
    assert.deepEqual(parse(event.text), {
      result: 'succeeded',
      hresult: '0x00000000',
      message: 'Security intelligence was updated.',
      source: 'mmpc',
      updateType: 'http',
      versionBefore: '1.425.10.0',
      versionAfter: '1.425.12.0',
      engineBefore: '1.1.25010.4',
      engineAfter: '1.1.25010.5',
      errorKind: '',
      sharedSignatureRoot: '',
      trigger: 'schedule',
      runId: '7',
      startedAt: '2026-11-24T09:00:00.000Z',
      endedAt: '2026-11-24T09:00:42.000Z',
      appVersion: '0.1.0',
    });
  });

  test('a failure is event 1002 with the HRESULT in hex and the kind of error', () => {
    const failed = outcome({
      result: 'failed',
      hresult: 0x80070005,
      message: verbatim('Access is denied.'),
      error: {
        kind: 'update-failed',
        hresult: 0x80070005,
        hex: '0x80070005',
        message: verbatim('Access is denied.'),
        source: 'wsus',
        updateType: 'managed',
      },
      source: 'wsus',
      updateType: 'http-srv',
      versionsAfter: null,
    });
    const event = eventForOutcome(failed, { appVersion: '0.1.0' });
    assert.equal(event.id, 1002);
    assert.equal(event.level, 'error');
    const fields = parse(event.text);
    assert.equal(fields.hresult, '0x80070005');
    assert.equal(fields.errorKind, 'update-failed');
    assert.equal(fields.updateType, 'http_srv', 'the same spelling as the CLI’s JSON');
    assert.equal(fields.versionAfter, '', 'an unknown value is an empty value, the key is still there');
  });

  test('a message with line breaks stays on its own line, so no line can pose as another key', () => {
    const event = eventForOutcome(outcome({ result: 'cancelled', message: verbatim('Cancelled.\r\nresult=succeeded') }), { appVersion: '0.1.0' });
    assert.equal(event.id, 1004);
    assert.equal(parse(event.text).result, 'cancelled');
    assert.equal(parse(event.text).message, 'Cancelled. result=succeeded');
  });

  test('up to date and restart required: 1001 and 1003, with the shared signature folder when Defender named one', () => {
    const upToDate = eventForOutcome(outcome({ result: 'up-to-date', hresult: 1, sharedSignatureRoot: '\\\\files\\sigs' }), { appVersion: '0.1.0' });
    assert.equal(upToDate.id, 1001);
    assert.equal(parse(upToDate.text).sharedSignatureRoot, '\\\\files\\sigs');
    const reboot = eventForOutcome(outcome({ result: 'reboot-required' }), { appVersion: '0.1.0' });
    assert.deepEqual([reboot.id, reboot.level], [1003, 'warning']);
  });
});

test('Defender not available: event 1005, an error, with the reason and the source that was asked for', () => {
  const event = eventForUnavailable(
    { kind: 'unavailable', reason: 'not-installed', message: verbatim('Microsoft Defender was not found.'), demo: false },
    { source: 'default', trigger: 'command-line' },
    { appVersion: '0.1.0' },
  );
  assert.deepEqual([event.id, event.level], [1005, 'error']);
  assert.deepEqual(parse(event.text), {
    result: 'unavailable',
    reason: 'not-installed',
    message: 'Microsoft Defender was not found.',
    source: 'default',
    trigger: 'command-line',
    appVersion: '0.1.0',
  });
});

test('off Windows no event is written, and saying so is a result, not an error', async () => {
  assert.notEqual(process.platform, 'win32', 'this file runs on Linux');
  const logged: string[] = [];
  const writer = createEventLogWriter({ log: (m) => logged.push(m) });
  const result = await writer.write(eventForOutcome(outcome(), { appVersion: '0.1.0' }));
  assert.deepEqual(result, { written: false, reason: 'the Windows Event Log exists only on Windows' });
  assert.deepEqual(logged, [], 'nothing to complain about on Linux');
});
