/**
 * Policies read from the real registry through advapi32 (run under Wine with the Windows node.exe): values written with
 * `reg add`, as Group Policy would write them, under HKLM and HKCU.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { readPolicies, readPolicyValues } from '../../app/main/policy/registry-policy-reader';
import { message } from '../../app/shared/messages';
import { POLICY_REGISTRY_KEY } from '../../app/shared/policy';
import { forgetKey, reg } from '../support/wine-registry';

const MACHINE = `HKLM\\${POLICY_REGISTRY_KEY}`;
const USER = `HKCU\\${POLICY_REGISTRY_KEY}`;

function set(key: string, name: string, type: string, data: string): void {
  reg('add', key, '/v', name, '/t', type, '/d', data);
}

function clear(): void {
  for (const key of [MACHINE, USER]) forgetKey(key);
}

beforeEach(() => {
  assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
  clear();
});
after(clear);

test('no policy key: nothing is read and no policy applies', () => {
  assert.deepEqual(readPolicyValues('HKLM'), {});
  assert.deepEqual(readPolicyValues('HKCU'), {});
  assert.deepEqual(readPolicies(), { values: {}, hives: {}, invalid: [] });
});

test('REG_SZ and REG_DWORD values under HKLM are read with their types', () => {
  set(MACHINE, 'UpdateSource', 'REG_SZ', 'mmpc');
  set(MACHINE, 'AutoCheckHours', 'REG_DWORD', '8');
  set(MACHINE, 'FileSharePath', 'REG_SZ', '\\\\files\\defender');
  assert.deepEqual(readPolicyValues('HKLM'), {
    UpdateSource: { type: 'REG_SZ', data: 'mmpc' },
    AutoCheckHours: { type: 'REG_DWORD', data: 8 },
    FileSharePath: { type: 'REG_SZ', data: '\\\\files\\defender' },
  });
  assert.deepEqual(readPolicies().values, { UpdateSource: 'mmpc', FileSharePath: '\\\\files\\defender', AutoCheckHours: 8 });
});

test('HKCU policies apply when the machine sets none', () => {
  set(USER, 'Language', 'REG_SZ', 'ru');
  set(USER, 'ShowTrayIcon', 'REG_DWORD', '0');
  const resolved = readPolicies();
  assert.deepEqual(resolved.values, { ShowTrayIcon: false, Language: 'ru' });
  assert.deepEqual(resolved.hives, { ShowTrayIcon: 'HKCU', Language: 'HKCU' });
});

test('a machine policy wins over the same user policy', () => {
  set(MACHINE, 'UpdateSource', 'REG_SZ', 'mmpc');
  set(USER, 'UpdateSource', 'REG_SZ', 'wsus');
  set(USER, 'AllowCancel', 'REG_DWORD', '0');
  const resolved = readPolicies();
  assert.deepEqual(resolved.values, { UpdateSource: 'mmpc', AllowCancel: false });
  assert.deepEqual(resolved.hives, { UpdateSource: 'HKLM', AllowCancel: 'HKCU' });
  assert.deepEqual(resolved.invalid, []);
});

test('an out-of-range machine value is ignored with its reason, and the user value applies', () => {
  set(MACHINE, 'RestartReminderHours', 'REG_DWORD', '500');
  set(USER, 'RestartReminderHours', 'REG_DWORD', '12');
  const resolved = readPolicies();
  assert.deepEqual(resolved.values, { RestartReminderHours: 12 });
  assert.deepEqual(resolved.invalid, [
    {
      name: 'RestartReminderHours',
      hive: 'HKLM',
      raw: 500,
      reason: 'RestartReminderHours is 500; allowed: 1 to 168.',
      message: message('policy.invalid.range', { name: 'RestartReminderHours', value: '500', min: 1, max: 168 }),
    },
  ]);
});

test('REG_EXPAND_SZ arrives expanded; a REG_BINARY or REG_MULTI_SZ value is named by its type and ignored', () => {
  set(MACHINE, 'FileSharePath', 'REG_EXPAND_SZ', '%SystemDrive%\\defender');
  set(MACHINE, 'AllowCancel', 'REG_BINARY', '01000000');
  set(MACHINE, 'Language', 'REG_MULTI_SZ', 'en');
  const raw = readPolicyValues('HKLM');
  const systemDrive = process.env.SystemDrive ?? 'C:';
  assert.deepEqual(raw.FileSharePath, { type: 'REG_SZ', data: `${systemDrive}\\defender` });
  assert.deepEqual(raw.AllowCancel, { type: 'other', typeName: 'REG_BINARY' });
  assert.deepEqual(raw.Language, { type: 'other', typeName: 'REG_MULTI_SZ' });
  assert.deepEqual(
    readPolicies().invalid.map((i) => i.reason),
    ['AllowCancel must be a REG_DWORD value, not REG_BINARY.', 'Language must be a REG_SZ value, not REG_MULTI_SZ.'],
  );
});

test('a long Unicode string and a misspelt value name come through as written', () => {
  const path = `\\\\файлы\\${'обновления'.repeat(40)}`;
  set(MACHINE, 'FileSharePath', 'REG_SZ', path);
  set(MACHINE, 'AutoCheckHour', 'REG_DWORD', '4');
  const resolved = readPolicies();
  assert.equal(resolved.values.FileSharePath, path);
  assert.deepEqual(resolved.invalid, [
    {
      name: 'AutoCheckHour',
      hive: 'HKLM',
      raw: 4,
      reason: '"AutoCheckHour" is not a Defender Updater policy.',
      message: message('policy.invalid.unknown', { name: 'AutoCheckHour' }),
    },
  ]);
});
