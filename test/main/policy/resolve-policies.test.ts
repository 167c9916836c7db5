/** How registry values become policies: machine over user, bad values ignored with a reason an administrator can act on. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LANGUAGES } from '../../../app/shared/app-state';
import { POLICIES, POLICY_LIST, resolvePolicies, type InvalidPolicy, type RawValues } from '../../../app/shared/policy';
import { renderMessage } from '../../../app/shared/messages';
import { UPDATE_SOURCES } from '../../../app/shared/update';
import { readPolicies, readPolicyValues } from '../../../app/main/policy/registry-policy-reader';

const sz = (data: string) => ({ type: 'REG_SZ', data }) as const;
const dword = (data: number) => ({ type: 'REG_DWORD', data }) as const;

/** The CLI's English reason; the window's Message is checked on its own below. */
function withoutMessage({ message: _message, ...rest }: InvalidPolicy): Omit<InvalidPolicy, 'message'> {
  return rest;
}

describe('resolvePolicies', () => {
  test('a machine policy wins over the same user policy; a user policy applies where the machine sets none', () => {
    const machine: RawValues = { UpdateSource: sz('mmpc'), AutoCheckHours: dword(8) };
    const user: RawValues = { UpdateSource: sz('wsus'), Language: sz('ru') };
    const resolved = resolvePolicies(machine, user);
    assert.deepEqual(resolved.values, { UpdateSource: 'mmpc', AutoCheckHours: 8, Language: 'ru' });
    assert.deepEqual(resolved.hives, { UpdateSource: 'HKLM', AutoCheckHours: 'HKLM', Language: 'HKCU' });
    assert.deepEqual(resolved.invalid.map(withoutMessage), []);
  });

  test('nothing set: no policy applies', () => {
    assert.deepEqual(resolvePolicies({}, {}), { values: {}, hives: {}, invalid: [] });
  });

  test('an out-of-range machine value is ignored with a reason naming it, and the user value beneath applies', () => {
    const resolved = resolvePolicies({ AutoCheckHours: dword(48) }, { AutoCheckHours: dword(12) });
    assert.deepEqual(resolved.values, { AutoCheckHours: 12 });
    assert.deepEqual(resolved.hives, { AutoCheckHours: 'HKCU' });
    assert.deepEqual(resolved.invalid.map(withoutMessage), [
      { name: 'AutoCheckHours', hive: 'HKLM', raw: 48, reason: 'AutoCheckHours is 48; allowed: 0 to 24.' },
    ]);
  });

  test('the documented ranges: AutoCheckHours 0 (off) to 24, RestartReminderHours 1 to 168', () => {
    const accepts = (name: 'AutoCheckHours' | 'RestartReminderHours', n: number) => resolvePolicies({ [name]: dword(n) }, {}).values[name] === n;
    assert.deepEqual(
      [0, 1, 24, 25].map((n) => accepts('AutoCheckHours', n)),
      [true, true, true, false],
    );
    assert.deepEqual(
      [0, 1, 168, 169].map((n) => accepts('RestartReminderHours', n)),
      [false, true, true, false],
    );
  });

  test('a value of the wrong registry type is ignored with the type it should have', () => {
    const resolved = resolvePolicies({ AllowCancel: sz('0'), UpdateSource: { type: 'other', typeName: 'REG_MULTI_SZ' } }, {});
    assert.deepEqual(resolved.values, {});
    assert.deepEqual(
      resolved.invalid.map((i) => [i.name, i.raw, i.reason]),
      [
        ['AllowCancel', '0', 'AllowCancel must be a REG_DWORD value, not REG_SZ.'],
        ['UpdateSource', null, 'UpdateSource must be a REG_SZ value, not REG_MULTI_SZ.'],
      ],
    );
  });

  test('0/1 values become off/on; any other number is ignored', () => {
    const resolved = resolvePolicies({ AllowCancel: dword(0), ShowTrayIcon: dword(1), AllowSourceChoice: dword(2) }, {});
    assert.deepEqual(resolved.values, { AllowCancel: false, ShowTrayIcon: true });
    assert.equal(resolved.invalid[0]?.reason, 'AllowSourceChoice is 2; allowed: 0 or 1.');
  });

  test('a choice that is not in the list is ignored with the list of allowed values', () => {
    const resolved = resolvePolicies({}, { UpdateSource: sz('internet') });
    assert.deepEqual(resolved.values, {});
    assert.deepEqual(resolved.invalid.map(withoutMessage), [
      {
        name: 'UpdateSource',
        hive: 'HKCU',
        raw: 'internet',
        reason: 'UpdateSource is "internet"; allowed: default, microsoft-update, wsus, mmpc, file-share.',
      },
    ]);
  });

  test('value names and choices match regardless of case, as Windows treats registry names', () => {
    const resolved = resolvePolicies({ updatesource: sz(' MMPC '), LANGUAGE: sz('En') }, {});
    assert.deepEqual(resolved.values, { UpdateSource: 'mmpc', Language: 'en' });
  });

  test('the file share folder must be a full path (UNC or drive letter)', () => {
    const path = (p: string) => resolvePolicies({ FileSharePath: sz(p) }, {});
    assert.equal(path('\\\\files\\defender\\updates').values.FileSharePath, '\\\\files\\defender\\updates');
    assert.equal(path('D:\\defender').values.FileSharePath, 'D:\\defender');
    assert.match(path('defender').invalid[0]?.reason ?? '', /FileSharePath is "defender"; allowed: a full path/);
    assert.equal(path('  ').invalid[0]?.reason, 'FileSharePath is empty.');
    assert.equal(path('D:\\' + 'x'.repeat(1021)).invalid[0]?.reason, 'FileSharePath is longer than 1023 characters.');
  });

  test('a value under the key that is no policy (a typo) is reported, not silently dropped', () => {
    const resolved = resolvePolicies({ AutoCheckHour: dword(4) }, {});
    assert.deepEqual(resolved.values, {});
    assert.deepEqual(resolved.invalid.map(withoutMessage), [
      { name: 'AutoCheckHour', hive: 'HKLM', raw: 4, reason: '"AutoCheckHour" is not a Defender Updater policy.' },
    ]);
  });
});

test('an ignored value’s reason reads in the window’s language, with the same words the CLI prints in English', () => {
  const [ignored] = resolvePolicies({ AutoCheckHours: dword(48) }, {}).invalid;
  assert.ok(ignored);
  assert.equal(renderMessage('en', ignored.message), ignored.reason);
  assert.equal(renderMessage('ru', ignored.message), 'AutoCheckHours равно 48; допустимо: от 0 до 24.');
});

describe('the policy table', () => {
  test('has the issue’s eight policies, each named after its registry value', () => {
    assert.deepEqual(
      POLICY_LIST.map((p) => [p.name, p.type]),
      [
        ['UpdateSource', 'REG_SZ'],
        ['FileSharePath', 'REG_SZ'],
        ['AutoCheckHours', 'REG_DWORD'],
        ['AllowCancel', 'REG_DWORD'],
        ['AllowSourceChoice', 'REG_DWORD'],
        ['ShowTrayIcon', 'REG_DWORD'],
        ['RestartReminderHours', 'REG_DWORD'],
        ['Language', 'REG_SZ'],
      ],
    );
  });

  test('offers exactly the sources and languages the app itself knows', () => {
    assert.deepEqual(POLICIES.UpdateSource.kind === 'choice' && POLICIES.UpdateSource.choices.map((c) => c.value), [...UPDATE_SOURCES]);
    assert.deepEqual(POLICIES.Language.kind === 'choice' && POLICIES.Language.choices.map((c) => c.value), [...LANGUAGES]);
  });

  test('every policy has an English and a Russian name, explanation and label', () => {
    for (const policy of POLICY_LIST) {
      for (const language of ['en', 'ru'] as const) {
        const text = policy.text[language];
        assert.ok(text.displayName && text.explanation && text.label, `${policy.name} ${language}`);
      }
      assert.notEqual(policy.text.en.explanation, policy.text.ru.explanation, `${policy.name} is not translated`);
    }
  });
});

test('off Windows the registry reader reads nothing', () => {
  assert.notEqual(process.platform, 'win32', 'this file runs on Linux');
  assert.deepEqual(readPolicyValues('HKLM'), {});
  assert.deepEqual(readPolicies(), { values: {}, hives: {}, invalid: [] });
});
