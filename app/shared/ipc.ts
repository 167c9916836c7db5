/** The typed IPC contract: responses, results, events, and the bridge API type the renderer sees on `window`. */
import type { AppState, HistoryEntry, Settings } from './app-state';
import type { API_METHODS, ApiMethod, CommandChannel } from './ipc-channels';
import type { CommandRequest } from './ipc-schemas';
import type { CancelOutcome, NotificationRecord, StartOutcome, UpdateOutcome, UpdateSnapshot } from './update';

export type ExportOutcome = { kind: 'saved'; path: string } | { kind: 'cancelled' };

export interface CommandResponses {
  'state:get': AppState;
  'update:start': StartOutcome;
  'update:cancel': CancelOutcome;
  'reboot:answer': AppState['reboot'];
  'settings:get': Settings;
  'settings:set': Settings;
  'history:get': HistoryEntry[];
  'history:export': ExportOutcome;
  'notice:dismiss': null;
  /** The diagnostics block main put on the clipboard, exactly as copied. */
  'diagnostics:copy': { text: string };
}

export type IpcErrorCode =
  /** The payload did not match the contract. */
  | 'invalid-payload'
  /** The sender is not the app's own main frame. */
  | 'forbidden-sender'
  /** Defender is not available on this machine. */
  | 'unavailable'
  /** A handler failed; the message says how. */
  | 'failed';

export interface IpcError {
  code: IpcErrorCode;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type AppEvent =
  /** Everything the window shows; sent only when something besides the update changed. */
  | { type: 'state'; state: AppState }
  /**
   * The update's newest snapshot, with the newest notification records since the last one (at most
   * PROGRESS_RECORD_LIMIT, in order) and how many older ones were left out: at most one per frame.
   */
  | { type: 'progress'; update: UpdateSnapshot; records: NotificationRecord[]; omitted: number }
  | { type: 'finished'; outcome: UpdateOutcome };

type MethodFor<C extends CommandChannel> =
  undefined extends CommandRequest<C>
    ? (request?: CommandRequest<C>) => Promise<IpcResult<CommandResponses[C]>>
    : (request: CommandRequest<C>) => Promise<IpcResult<CommandResponses[C]>>;

/** The bridge object on `window.defender`. */
export type DefenderApi = { [M in ApiMethod]: MethodFor<(typeof API_METHODS)[M]> } & {
  /** Subscribes to main's events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
};
