import { describe, expect, it } from 'vitest';
import { adviceFor, ADVICE_TABLE } from '../../app/renderer/src/advice';
import { DICTIONARIES } from '../../app/renderer/src/i18n';
import { failure } from './fixtures';

/** The codes people actually hit, from the issue; each must have its own cause and next step. */
const CODES = [
  0x80072ee7, 0x80072efd, 0x80072ee2, 0x8024402c, 0x80240022, 0x80070005, 0x80070422, 0x80070652, 0x8050a004, 0x80501004, 0x800106ba, 0x80070057,
  0x80244022, 0x8007051a, 0x80070643,
];
/** The rest of the ERROR_MP_BADDB_* family: the same trouble as 0x8050A004, so the same advice. */
const BAD_DATABASE_FAMILY = [0x8050a001, 0x8050a002, 0x8050a003, 0x8050a005];

describe('error advice', () => {
  it.each(CODES.map((c) => [c.toString(16).toUpperCase(), c]))('0x%s has a specific cause and next step in every language', (_, code) => {
    const advice = adviceFor(failure(code));
    expect(advice.id).not.toBe('unknown');
    for (const dict of Object.values(DICTIONARIES)) {
      expect(dict[advice.cause]).toBeTruthy();
      expect(dict[advice.step]).toBeTruthy();
    }
  });

  it('every table row is one of the codes above (one module, no stray rows)', () => {
    expect([...ADVICE_TABLE.keys()].sort()).toEqual([...CODES, ...BAD_DATABASE_FAMILY].sort());
  });

  it('gives each code its own advice', () => {
    expect(new Set(CODES.map((c) => adviceFor(failure(c)).id)).size).toBe(CODES.length);
  });

  it('offers direct download from Microsoft for network failures', () => {
    expect(adviceFor(failure(0x80072ee7)).retrySource).toBe('mmpc');
    expect(adviceFor(failure(0x8024402c, '', { source: 'wsus' })).retrySource).toBe('mmpc');
  });

  it('does not offer the source that just failed, nor a source change where it cannot help', () => {
    expect(adviceFor(failure(0x80072ee7, '', { source: 'mmpc' })).retrySource).toBeNull();
    expect(adviceFor(failure(0x80070005)).retrySource).toBeNull();
    expect(adviceFor(failure(0x80070652)).retrySource).toBeNull();
  });

  it('an unsupported source offers the default source', () => {
    const advice = adviceFor(failure(0x80070057, '', { kind: 'source-unsupported', source: 'file-share' }));
    expect(advice.id).toBe('invalidArg');
    expect(advice.retrySource).toBe('default');
  });

  it('an unknown code gets general advice, and the update that never ended its own', () => {
    expect(adviceFor(failure(0x80004005)).id).toBe('unknown');
    expect(adviceFor(failure(0x80004005, '', { kind: 'no-result' })).id).toBe('noResult');
  });

  it('offers Repair for broken definitions at once: 0x8007051A and the whole bad-database family', () => {
    for (const code of [0x8007051a, 0x8050a004, ...BAD_DATABASE_FAMILY]) expect(adviceFor(failure(code)).repair, code.toString(16)).toBe(true);
    expect(adviceFor(failure(0x8050a003)).id).toBe('badDatabase');
    for (const code of [0x80072ee7, 0x80070005, 0x80004005]) expect(adviceFor(failure(code)).repair).toBe(false);
  });

  it('offers Repair for 0x80070643 only once it has failed that way twice in a row', () => {
    expect(adviceFor(failure(0x80070643)).repair).toBe(false);
    expect(adviceFor(failure(0x80070643), { sameFailuresInARow: 1 }).repair).toBe(false);
    expect(adviceFor(failure(0x80070643), { sameFailuresInARow: 2 }).repair).toBe(true);
  });

  it("the app's own refusals of an offline update are explained by what went wrong, not by their code", () => {
    expect(adviceFor(failure(0x80070002, '', { kind: 'offline-input', source: 'file-share' })).id).toBe('offlineInput');
    const missing = adviceFor(failure(0x80070002, '', { kind: 'tool-missing', source: 'file-share' }));
    expect([missing.id, missing.retrySource]).toEqual(['toolMissing', 'default']);
  });

  it('accepts a signed HRESULT as koffi may hand it over', () => {
    expect(adviceFor({ kind: 'update-failed', hresult: 0x80070005 | 0, source: 'default' }).id).toBe('accessDenied');
  });
});
