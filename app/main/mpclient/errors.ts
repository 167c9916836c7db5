/** Typed failures of the native layer, so callers can tell "no Defender here" from "Defender said no". */
import { formatHresult } from '../../shared/hresult';

export type UnavailableReason = 'not-windows' | 'not-installed' | 'load-failed' | 'manager-open-failed';

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

/** A native call returned a failure HRESULT. */
export class MpCallError extends Error {
  override readonly name = 'MpCallError';
  constructor(
    readonly call: string,
    readonly hresult: number,
  ) {
    super(`${call} failed with ${formatHresult(hresult)}`);
  }
}
