/**
 * A Windows file's version from its version resource (VS_FIXEDFILEINFO), through version.dll with koffi: what
 * Explorer shows as "File version". `doctor` prints the MpClient.dll build it checked, since the facts in
 * docs/mpclient.md were read from one build (4.18.1909.6) and others may differ.
 */
import * as koffi from 'koffi';

const VS_FFI_SIGNATURE = 0xfeef04bd;

interface VersionApi {
  GetFileVersionInfoSizeW(path: string, handle: null): number;
  GetFileVersionInfoW(path: string, handle: number, size: number, data: Buffer): number;
  VerQueryValueW(block: Buffer, subBlock: string, buffer: [bigint | null], length: [number]): number;
}
let api: VersionApi | null = null;

function load(): VersionApi {
  const lib = koffi.load('version.dll');
  const fn = <T>(decl: string) => lib.func(decl) as unknown as T;
  return {
    GetFileVersionInfoSizeW: fn('uint32_t __stdcall GetFileVersionInfoSizeW(str16 lptstrFilename, _Out_ uint32_t *lpdwHandle)'),
    GetFileVersionInfoW: fn('int __stdcall GetFileVersionInfoW(str16 lptstrFilename, uint32_t dwHandle, uint32_t dwLen, _Out_ void *lpData)'),
    VerQueryValueW: fn('int __stdcall VerQueryValueW(void *pBlock, str16 lpSubBlock, _Out_ void **lplpBuffer, _Out_ uint32_t *puLen)'),
  };
}

/** `a.b.c.d`, or null when the file has no version resource (or this is not Windows). Never throws. */
export function readFileVersion(path: string): string | null {
  if (process.platform !== 'win32') return null;
  try {
    api ??= load();
    const size = api.GetFileVersionInfoSizeW(path, null);
    if (!size) return null;
    const block = Buffer.alloc(size);
    if (!api.GetFileVersionInfoW(path, 0, size, block)) return null;
    const pointer: [bigint | null] = [null];
    const length: [number] = [0];
    if (!api.VerQueryValueW(block, '\\', pointer, length) || !pointer[0] || length[0] < 52) return null;
    // VS_FIXEDFILEINFO: dwSignature, dwStrucVersion, dwFileVersionMS, dwFileVersionLS, … (DWORDs)
    const [signature, , ms, ls] = koffi.decode(pointer[0], 'uint32_t', 4) as Uint32Array;
    if (signature !== VS_FFI_SIGNATURE || ms === undefined || ls === undefined) return null;
    return [ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff].join('.');
  } catch {
    return null;
  }
}
