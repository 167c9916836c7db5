/** HRESULT helpers shared by main, CLI and renderer. HRESULTs are 32-bit; koffi hands them over as signed ints. */

/** The unsigned 32-bit value, whatever sign the FFI layer gave it. */
export function toUnsigned(hr: number): number {
  return hr >>> 0;
}

/** `0x80070005` style: unsigned, eight upper-case hex digits, as Microsoft documents codes. */
export function formatHresult(hr: number): string {
  return '0x' + toUnsigned(hr).toString(16).toUpperCase().padStart(8, '0');
}

/** Severity bit set: a failure code. S_FALSE (1) is a success. */
export function isFailure(hr: number): boolean {
  return (toUnsigned(hr) & 0x80000000) !== 0;
}

/** Parses `0x80070005`, `80070005` or a decimal string; null when it is not a 32-bit value. */
export function parseHresult(text: string): number | null {
  const t = text.trim();
  const n = /^0x[0-9a-f]{1,8}$/i.test(t)
    ? Number.parseInt(t.slice(2), 16)
    : /^[0-9a-f]{8}$/i.test(t)
      ? Number.parseInt(t, 16)
      : /^-?\d+$/.test(t)
        ? Number(t)
        : NaN;
  if (!Number.isSafeInteger(n) || n < -0x80000000 || n > 0xffffffff) return null;
  return toUnsigned(n);
}
