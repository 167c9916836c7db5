/**
 * The one failure shape: every command answers with an IpcResult, whether main, the bridge or the harness built it.
 * Messages are clipped so a runaway text (a stack, a path loop) never floods the window or a notice.
 */
import type { IpcError, IpcErrorCode } from './ipc';

/** Longest message carried over IPC or shown in a notice: room for Defender's texts and a path. */
export const MAX_MESSAGE = 400;

export function clipMessage(text: string): string {
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 1) + '…' : text;
}

/** The text of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: IpcErrorCode, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message: clipMessage(message) } };
}
