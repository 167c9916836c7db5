/** Typed failures of the native layer, so callers can tell "no Defender here" from "Defender said no". */
import { renderMessage, type Message } from '../../shared/messages';

/** `no-answer`: MpManagerOpen did not return in time (the Defender service hangs). */
export type UnavailableReason = 'not-windows' | 'not-installed' | 'load-failed' | 'manager-open-failed' | 'no-answer';

/**
 * MpClient.dll cannot be used on this machine. The CLI exits 4 on it; the window disables Update. `detail` is the
 * sentence for people (rendered in their language where it is shown); `message` is its English text, for logs.
 */
export class DefenderUnavailableError extends Error {
  override readonly name = 'DefenderUnavailableError';
  constructor(
    readonly reason: UnavailableReason,
    readonly detail: Message,
    readonly hresult: number | null = null,
  ) {
    super(renderMessage('en', detail));
  }
}
