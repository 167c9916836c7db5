/**
 * Windows' System32 folder as Windows itself reports it (GetSystemDirectoryW), not as %SystemRoot% in the
 * environment says: whoever starts the app chooses its environment, and the restart prompt runs shutdown.exe from here.
 */
import * as koffi from 'koffi';

const MAX_PATH_UNITS = 32_767;

type GetSystemDirectoryW = (buffer: Buffer, units: number) => number;
let getSystemDirectory: GetSystemDirectoryW | null = null;

/** `C:\Windows\system32`; null when not on Windows or Windows did not say. */
export function windowsSystemDirectory(): string | null {
  if (process.platform !== 'win32') return null;
  try {
    getSystemDirectory ??= koffi
      .load('kernel32.dll')
      .func('uint32_t __stdcall GetSystemDirectoryW(_Out_ void *lpBuffer, uint32_t uSize)') as unknown as GetSystemDirectoryW;
    let units = 260;
    for (;;) {
      const buffer = Buffer.alloc(units * 2);
      const length = getSystemDirectory(buffer, units);
      // The length without the NUL when it fitted; the size it needs (with the NUL) when it did not; 0 on failure.
      if (length === 0) return null;
      if (length < units) return buffer.toString('utf16le', 0, length * 2);
      if (length > MAX_PATH_UNITS) return null;
      units = length;
    }
  } catch {
    return null;
  }
}
