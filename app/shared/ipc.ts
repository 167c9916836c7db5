/** The typed IPC contract: responses, results, events, and the bridge API type the renderer sees on `window`. */
import type { AppState, EffectiveSettings, HistoryEntry } from './app-state';
import type { API_METHODS, ApiMethod, CommandChannel } from './ipc-channels';
import type { CommandRequest } from './ipc-schemas';
import type { Availability, CancelOutcome, NotificationRecord, StartOutcome, UpdateOutcome, UpdateSnapshot } from './update';

export type ExportOutcome = { kind: 'saved'; path: string } | { kind: 'cancelled' };
/** *Update from file…*: the package chosen in the Open dialog is being installed, or the dialog was closed. */
export type PackageChoice = { kind: 'started'; start: StartOutcome } | { kind: 'cancelled' };

/** "Restart as administrator": the elevated app started (this one is quitting), or the UAC prompt was declined. */
export type RelaunchOutcome = { kind: 'started' } | { kind: 'declined' };

export interface CommandResponses {
  'state:get': AppState;
  'update:start': StartOutcome;
  'update:cancel': CancelOutcome;
  'reboot:answer': AppState['reboot'];
  /** The settings in force (policies applied), as AppState.settings. */
  'settings:get': EffectiveSettings;
  'settings:set': EffectiveSettings;
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
  'update:package': StartOutcome;
  'update:choose-package': PackageChoice;
  'update:repair': StartOutcome;
  'link:open': null;
}

export type IpcErrorCode =
  /** The payload did not match the contract. */
  | 'invalid-payload'
  /** The sender is not the app's own main frame. */
  | 'forbidden-sender'
  /** Defender is not available on this machine (or a part of it: MpCmdRun.exe). */
  | 'unavailable'
  /** A file or folder the user gave cannot be used (not a package for this PC, no x64\mpam-fe.exe, …). */
  | 'invalid-input'
  /** Another update is running; this one would have had to join it and do nothing of its own. */
  | 'busy'
  /** An organisation's policy decides this (a managed setting, Cancel under AllowCancel=0); the message names the policy. */
  | 'managed'
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

/** What the window holds of a file dropped on it: the DOM's File, whose path only the preload can read. */
export interface DroppedFile {
  readonly name: string;
}

/** The bridge object on `window.defender`. */
export type DefenderApi = { [M in ApiMethod]: MethodFor<(typeof API_METHODS)[M]> } & {
  /** Subscribes to main's events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /**
   * Installs a dropped mpam-fe.exe: the bridge reads the file's path (Electron's webUtils.getPathForFile, in the
   * preload) and sends it as `update:package`, so the page itself never learns where the file is.
   */
  updateFromDroppedFile(file: DroppedFile): Promise<IpcResult<StartOutcome>>;
};
