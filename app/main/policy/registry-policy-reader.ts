/**
 * Reads the policy keys Group Policy and Intune write, through advapi32 with koffi (declared once, with library
 * discovery's, in mpclient/windows-registry.ts): no child process (reg.exe), the
 * same calls under Wine. Every value under the key is read, so a misspelt one can be reported, not just missed.
 */
import { POLICY_REGISTRY_KEY, resolvePolicies, type Hive, type RawRegistryValue, type RawValues, type ResolvedPolicies } from '../../shared/policy';
import {
  advapi32Registry,
  ERROR_MORE_DATA,
  ERROR_SUCCESS,
  HKEY_CURRENT_USER,
  HKEY_LOCAL_MACHINE,
  regSzText,
  RRF_RT_REG_SZ,
  type Advapi32Registry,
  type Hkey,
} from '../mpclient/windows-registry';

const HIVES: Record<Hive, bigint> = { HKLM: HKEY_LOCAL_MACHINE, HKCU: HKEY_CURRENT_USER };
const KEY_READ = 0x20019;
// The 64-bit view: what Group Policy writes for a 64-bit Windows, even if this process were 32-bit.
const KEY_WOW64_64KEY = 0x0100;
const RRF_RT_REG_DWORD = 0x10; // not RRF_RT_DWORD (0x18), which also admits a 4-byte REG_BINARY
const REG_SZ = 1;
const REG_DWORD = 4;
const ERROR_NO_MORE_ITEMS = 259;
const ERROR_UNSUPPORTED_TYPE = 1630;
/** Registry value names are at most 16,383 characters. */
const MAX_VALUE_NAME = 16384;
/** A policy value no editor would write; past this a value is reported, not read. */
const MAX_DATA_BYTES = 64 * 1024;

const TYPE_NAMES: Record<number, string> = {
  0: 'REG_NONE',
  1: 'REG_SZ',
  2: 'REG_EXPAND_SZ',
  3: 'REG_BINARY',
  4: 'REG_DWORD',
  5: 'REG_DWORD_BIG_ENDIAN',
  6: 'REG_LINK',
  7: 'REG_MULTI_SZ',
  11: 'REG_QWORD',
};

function valueNames(api: Advapi32Registry, key: Hkey): { name: string; type: number }[] {
  const names: { name: string; type: number }[] = [];
  const buffer = Buffer.alloc(MAX_VALUE_NAME * 2);
  for (let index = 0; ; index++) {
    const chars: [number] = [MAX_VALUE_NAME];
    const type: [number] = [0];
    const rc = api.RegEnumValueW(key, index, buffer, chars, null, type, null, null);
    if (rc === ERROR_NO_MORE_ITEMS) return names;
    if (rc !== ERROR_SUCCESS) throw new Error(`RegEnumValueW(${index}) failed with error ${rc}`);
    names.push({ name: buffer.subarray(0, chars[0] * 2).toString('utf16le'), type: type[0] });
  }
}

function readValue(api: Advapi32Registry, key: Hkey, name: string, enumType: number): RawRegistryValue {
  const other = (code: number): RawRegistryValue => ({ type: 'other', typeName: TYPE_NAMES[code] ?? `type ${code}` });
  const flags = RRF_RT_REG_SZ | RRF_RT_REG_DWORD;
  const size: [number] = [0];
  const type: [number] = [0];
  let rc = api.RegGetValueW(key, null, name, flags, type, null, size);
  // An expanded REG_EXPAND_SZ can outgrow the size first reported: ask again with what the second call says.
  for (let attempt = 0; attempt < 3 && (rc === ERROR_SUCCESS || rc === ERROR_MORE_DATA); attempt++) {
    if (size[0] > MAX_DATA_BYTES) return other(enumType);
    const data = Buffer.alloc(size[0] + 2);
    size[0] = data.length;
    rc = api.RegGetValueW(key, null, name, flags, type, data, size);
    if (rc !== ERROR_SUCCESS) continue;
    if (type[0] === REG_DWORD) return { type: 'REG_DWORD', data: data.readUInt32LE(0) };
    if (type[0] === REG_SZ) {
      return { type: 'REG_SZ', data: regSzText(data, size[0]) };
    }
    return other(type[0]);
  }
  if (rc === ERROR_UNSUPPORTED_TYPE) return other(enumType);
  throw new Error(`RegGetValueW(${name}) failed with error ${rc}`);
}

/**
 * Every value under `<hive>\SOFTWARE\Policies\DefenderUpdater`: {} when the key does not exist, and off Windows.
 * Never throws: a value that cannot be read is reported through `log` and left out.
 */
export function readPolicyValues(hive: Hive, log: (message: string) => void = (m) => console.warn(`[policy] ${m}`)): RawValues {
  if (process.platform !== 'win32') return {};
  let api: Advapi32Registry;
  const opened: [Hkey] = [0];
  try {
    api = advapi32Registry();
    const rc = api.RegOpenKeyExW(HIVES[hive], POLICY_REGISTRY_KEY, 0, KEY_READ | KEY_WOW64_64KEY, opened);
    if (rc !== ERROR_SUCCESS) {
      // ERROR_FILE_NOT_FOUND is the usual case: no policy set.
      if (rc !== 2) log(`${hive}\\${POLICY_REGISTRY_KEY} could not be opened (error ${rc}); its policies are not applied.`);
      return {};
    }
  } catch (error) {
    log(`the registry could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
  const values: Record<string, RawRegistryValue> = {};
  try {
    for (const { name, type } of valueNames(api, opened[0])) {
      try {
        values[name] = readValue(api, opened[0], name, type);
      } catch (error) {
        log(`${hive}\\${POLICY_REGISTRY_KEY}\\${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    log(`${hive}\\${POLICY_REGISTRY_KEY}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    api.RegCloseKey(opened[0]);
  }
  return values;
}

/** Both hives read and resolved: what the app and the CLI apply. */
export function readPolicies(log?: (message: string) => void): ResolvedPolicies {
  return resolvePolicies(readPolicyValues('HKLM', log), readPolicyValues('HKCU', log));
}
