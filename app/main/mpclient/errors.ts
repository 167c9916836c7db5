/** Typed failures of the native layer, so callers can tell "no Defender here" from "Defender said no". */

/** `no-answer`: MpManagerOpen did not return in time (the Defender service hangs). */
export type UnavailableReason = 'not-windows' | 'not-installed' | 'load-failed' | 'manager-open-failed' | 'no-answer';

/** MpClient.dll cannot be used on this machine. The CLI exits 4 on it; the window disables Update. */
export class DefenderUnavailableError extends Error {
  override readonly name = 'DefenderUnavailableError';
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    readonly hresult: number | null = null,
  ) {
    super(message);
  }
}
