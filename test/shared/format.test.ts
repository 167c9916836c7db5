/** How codes, versions and ages are written for people. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHresult, isFailure, parseHresult } from '../../app/shared/hresult';
import { ageInDays, filetimeToIso, formatComponentVersion, isoToFiletime } from '../../app/shared/versions';

test('HRESULTs print as unsigned hex, whatever sign the FFI gave them', () => {
  assert.equal(formatHresult(-2147024891), '0x80070005');
  assert.equal(formatHresult(0x80072ee7), '0x80072EE7');
  assert.equal(formatHresult(1), '0x00000001');
  assert.equal(isFailure(-2147024891), true);
  assert.equal(isFailure(1), false);
  assert.equal(parseHresult('0x80070005'), 0x80070005);
  assert.equal(parseHresult('-2147024891'), 0x80070005);
  assert.equal(parseHresult('0x1FFFFFFFF'), null);
});

test('a version ULONGLONG reads as major.minor.build.revision, major in the top WORD', () => {
  assert.equal(formatComponentVersion((1n << 48n) | (421n << 32n) | (1700n << 16n) | 3n), '1.421.1700.3');
  assert.equal(formatComponentVersion(0n), '0.0.0.0');
});

test('FILETIME converts to ISO time; zero is "never"', () => {
  const iso = '2026-11-20T08:30:00.000Z';
  assert.equal(filetimeToIso(isoToFiletime(iso)), iso);
  assert.equal(filetimeToIso(0n), null);
  assert.equal(filetimeToIso(0xffffffffffffffffn), null);
});

test('an impossible age is unknown, never a number', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  assert.equal(ageInDays('2026-11-21T11:00:00Z', now), 3);
  assert.equal(ageInDays(null, now), null);
  assert.equal(ageInDays('2030-01-01T00:00:00Z', now), null, 'in the future');
  assert.equal(ageInDays('2026-11-24T12:00:05Z', now), 0, 'a few seconds ahead, right after an update, is today');
  assert.equal(ageInDays('1601-01-01T00:00:00Z', now), null, '4,294,967,295-day ages do not show');
});
