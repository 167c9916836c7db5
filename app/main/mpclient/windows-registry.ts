/** Reads HKLM strings through advapi32 with koffi: no child process, works the same under Wine. */
import * as koffi from 'koffi';

/** (HKEY)(ULONG_PTR)(LONG)0x80000002, sign-extended as winreg.h defines it. */
const HKEY_LOCAL_MACHINE = BigInt.asUintN(64, BigInt(-0x7ffffffe));
const RRF_RT_REG_SZ = 0x2; // also accepts REG_EXPAND_SZ, expanded (RegGetValueW docs)
const RRF_SUBKEY_WOW6464KEY = 0x10000; // the 64-bit view, where Defender registers itself
const ERROR_SUCCESS = 0;
const ERROR_MORE_DATA = 234;

type RegGetValueW = (hkey: bigint, subKey: string, value: string, flags: number, type: null, data: Buffer | null, size: [number]) => number;
let regGetValue: RegGetValueW | null = null;

export function readMachineRegistryString(key: string, value: string): string | null {
  if (process.platform !== 'win32') return null;
  regGetValue ??= koffi
    .load('advapi32.dll')
    .func(
      'long __stdcall RegGetValueW(uintptr_t hkey, str16 lpSubKey, str16 lpValue, uint32_t dwFlags, _Out_ uint32_t *pdwType, _Out_ void *pvData, _Inout_ uint32_t *pcbData)',
    ) as unknown as RegGetValueW;
  const size: [number] = [0];
  let rc = regGetValue(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, null, null, size);
  if (rc !== ERROR_SUCCESS && rc !== ERROR_MORE_DATA) return null;
  const data = Buffer.alloc(size[0] + 2);
  size[0] = data.length;
  rc = regGetValue(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, null, data, size);
  if (rc !== ERROR_SUCCESS) return null;
  const text = data
    .subarray(0, Math.max(0, size[0] - 2))
    .toString('utf16le')
    .replace(/\0+$/, '');
  return text || null;
}
