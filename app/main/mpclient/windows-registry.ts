/**
 * advapi32's registry functions through koffi, declared once for every reader: library discovery and
 * SharedSignatureRoot (HKLM strings, here) and the Group Policy reader (app/main/policy). No child process (reg.exe);
 * the same calls under Wine.
 */
import * as koffi from 'koffi';

/** Predefined keys are (HKEY)(ULONG_PTR)(LONG)0x8000000x, sign-extended as winreg.h defines them. */
export const HKEY_LOCAL_MACHINE = BigInt.asUintN(64, BigInt(-0x7ffffffe));
export const HKEY_CURRENT_USER = BigInt.asUintN(64, BigInt(-0x7fffffff));
export const RRF_RT_REG_SZ = 0x2; // REG_EXPAND_SZ too, expanded (RegGetValueW docs)
const RRF_SUBKEY_WOW6464KEY = 0x10000; // the 64-bit view, where Defender registers itself
export const ERROR_SUCCESS = 0;
export const ERROR_MORE_DATA = 234;

export type Hkey = bigint | number;

export interface Advapi32Registry {
  RegOpenKeyExW(hkey: Hkey, subKey: string, options: number, sam: number, result: [Hkey]): number;
  RegEnumValueW(hkey: Hkey, index: number, name: Buffer, nameChars: [number], reserved: null, type: [number], data: null, dataSize: null): number;
  RegGetValueW(hkey: Hkey, subKey: string | null, value: string, flags: number, type: [number] | null, data: Buffer | null, size: [number]): number;
  RegCloseKey(hkey: Hkey): number;
}

let advapi: Advapi32Registry | null = null;

/** Loads advapi32 on first use (only ever on Windows). */
export function advapi32Registry(): Advapi32Registry {
  if (advapi) return advapi;
  const lib = koffi.load('advapi32.dll');
  advapi = {
    RegOpenKeyExW: lib.func(
      'long __stdcall RegOpenKeyExW(uintptr_t hKey, str16 lpSubKey, uint32_t ulOptions, uint32_t samDesired, _Out_ uintptr_t *phkResult)',
    ),
    RegEnumValueW: lib.func(
      'long __stdcall RegEnumValueW(uintptr_t hKey, uint32_t dwIndex, _Out_ void *lpValueName, _Inout_ uint32_t *lpcchValueName, void *lpReserved, _Out_ uint32_t *lpType, _Out_ void *lpData, _Inout_ uint32_t *lpcbData)',
    ),
    RegGetValueW: lib.func(
      'long __stdcall RegGetValueW(uintptr_t hkey, str16 lpSubKey, str16 lpValue, uint32_t dwFlags, _Out_ uint32_t *pdwType, _Out_ void *pvData, _Inout_ uint32_t *pcbData)',
    ),
    RegCloseKey: lib.func('long __stdcall RegCloseKey(uintptr_t hKey)'),
  };
  return advapi;
}

/** The text of a REG_SZ that RegGetValueW wrote into `data` (`size` bytes, its NUL included). */
export function regSzText(data: Buffer, size: number): string {
  return data
    .subarray(0, Math.max(0, size - 2))
    .toString('utf16le')
    .replace(/\0+$/, '');
}

export function readMachineRegistryString(key: string, value: string): string | null {
  if (process.platform !== 'win32') return null;
  const api = advapi32Registry();
  const size: [number] = [0];
  let rc = api.RegGetValueW(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, null, null, size);
  if (rc !== ERROR_SUCCESS && rc !== ERROR_MORE_DATA) return null;
  const data = Buffer.alloc(size[0] + 2);
  size[0] = data.length;
  rc = api.RegGetValueW(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, null, data, size);
  if (rc !== ERROR_SUCCESS) return null;
  return regSzText(data, size[0]) || null;
}
