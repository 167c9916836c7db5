/** The typed IPC contract: responses, results, events, and the bridge API type the renderer sees on `window`. */
import type { AppState, HistoryEntry, Settings } from './app-state';
import type { API_METHODS, ApiMethod, CommandChannel } from './ipc-channels';
import type { CommandRequest } from './ipc-schemas';
import type { Availability, CancelOutcome, NotificationRecord, StartOutcome, UpdateOutcome } from './update';

export type ExportOutcome = { kind: 'saved'; path: string } | { kind: 'cancelled' };

/** "Restart as administrator": the elevated app started (this one is quitting), or the UAC prompt was declined. */
export type RelaunchOutcome = { kind: 'started' } | { kind: 'declined' };

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
  'app:restart-elevated': RelaunchOutcome;
  /** Defender's availability after looking for it again. */
  'availability:recheck': Availability;
  'shell:open-windows-security': null;
  'history:open-export': null;
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
  | { type: 'state'; state: AppState }
  /** Notifications since the last event, in order; batched so a storm costs one message per frame. */
  | { type: 'notifications'; records: NotificationRecord[] }
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
