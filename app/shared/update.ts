/**
 * The update's observable model: what the engine emits, what IPC carries, what the CLI prints and the renderer shows.
 * Typed once here; plain data only (structured-clone and JSON safe: no bigint, no Date, no functions). Sentences are
 * Messages (key and parameters from the one message table), rendered in the reader's language where they are shown.
 */
import { message, type Message } from './messages';

export const UPDATE_SOURCES = ['default', 'microsoft-update', 'wsus', 'mmpc', 'file-share'] as const;
export type UpdateSource = (typeof UPDATE_SOURCES)[number];

export const UPDATE_RESULTS = ['succeeded', 'up-to-date', 'reboot-required', 'failed', 'cancelled'] as const;
export type UpdateResult = (typeof UPDATE_RESULTS)[number];

/** In-flight phases, in the order a normal update walks them. */
export const ACTIVE_PHASES = ['starting', 'searching', 'downloading', 'installing', 'finishing'] as const;
export type ActivePhase = (typeof ACTIVE_PHASES)[number];
export type UpdatePhase = 'idle' | ActivePhase | UpdateResult;

export function isActivePhase(phase: UpdatePhase): phase is ActivePhase {
  return (ACTIVE_PHASES as readonly string[]).includes(phase);
}

/** Who asked for the update: shown in history, used for notifications. */
export const UPDATE_TRIGGERS = ['window', 'tray', 'command-line', 'schedule', 'cli', 'notification'] as const;
export type UpdateTrigger = (typeof UPDATE_TRIGGERS)[number];

/** MPSIGUPDATE_TYPE by name (numbers live in the binding's constant table). */
export type SigUpdateType = 'none' | 'managed' | 'http' | 'http-srv' | 'unc' | 'unmanaged' | 'managed-platform' | 'unmanaged-platform' | 'unknown';

/** Known MPNOTIFY names; anything else is reported as `UNKNOWN_0x....`. */
export type KnownNotifyName =
  | 'MPNOTIFY_INTERNAL_FAILURE'
  | 'MPNOTIFY_SIGUPDATE_START'
  | 'MPNOTIFY_SIGUPDATE_SEARCH_START'
  | 'MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE'
  | 'MPNOTIFY_SIGUPDATE_SOFTWARE_UPDATE_AVAILABLE'
  | 'MPNOTIFY_SIGUPDATE_DOWNLOAD_START'
  | 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS'
  | 'MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE'
  | 'MPNOTIFY_SIGUPDATE_INSTALL_START'
  | 'MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS'
  | 'MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE'
  | 'MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED'
  | 'MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED'
  | 'MPNOTIFY_SIGUPDATE_COMPLETE'
  | 'MPNOTIFY_CALL_START'
  | 'MPNOTIFY_CALL_COMPLETE';
/**
 * MpCmdRun has no notifications: each line it prints or logs becomes a record with one of these names (see
 * NotificationRecord.via), so its progress reaches the event log, the CLI and the window as MpClient's does.
 */
export type MpCmdRunNotifyName = 'MPCMDRUN_PHASE' | 'MPCMDRUN_SUCCEEDED' | 'MPCMDRUN_FAILED' | 'MPCMDRUN_LINE';
export type NotifyName = KnownNotifyName | MpCmdRunNotifyName | `UNKNOWN_0x${string}`;

/**
 * Which of Defender's interfaces did the work: MpClient.dll (live phases, the main path) or MpCmdRun.exe (what
 * MpClient cannot take: a folder, a downloaded package, removing definitions). Absent on a record means MpClient.
 */
export type UpdateVia = 'mpclient' | 'mpcmdrun';

/**
 * An update MpClient cannot do, run through MpCmdRun.exe (docs/mpclient.md "MpCmdRun"):
 * - `folder`: -SignatureUpdate -UNC -Path <path>, a folder or share holding x64\mpam-fe.exe (or arm64\…);
 * - `package`: a downloaded mpam-fe.exe, staged as <tmp>\x64\mpam-fe.exe and installed like a folder;
 * - `repair`: -RemoveDefinitions -DynamicSignatures (`all`: -All), then a normal update through MpClient.
 */
export type OfflineJob = { kind: 'folder'; path: string } | { kind: 'package'; file: string } | { kind: 'repair'; all: boolean };

/** One decoded notification, copied out of native memory before the callback returned. */
export interface NotificationRecord {
  /** Sequence number within the run, from 1. */
  seq: number;
  notify: NotifyName;
  /** The raw MPNOTIFY value. */
  code: number;
  /** Unsigned 32-bit HRESULT. */
  hresult: number;
  /** The phase this notification puts the update in. */
  phase: UpdatePhase;
  percent: number | null;
  /** 1-based index of the update being processed (MPSIGUPDATE_DATA counts from zero). */
  current: number | null;
  total: number | null;
  sigType: SigUpdateType | null;
  path: string | null;
  /** Epoch milliseconds when the engine received it. */
  receivedAt: number;
  /** `mpcmdrun` for a line of MpCmdRun's (absent: an MpClient notification). */
  via?: UpdateVia;
  /** The MpCmdRun line as it was printed or logged. */
  line?: string;
}

export interface ComponentVersion {
  /** `a.b.c.d`. */
  version: string;
  /** ISO-8601 UTC, or null when Defender reports no time. */
  updatedAt: string | null;
}

export interface DefenderVersions {
  product: ComponentVersion;
  service: ComponentVersion;
  engine: ComponentVersion;
  antivirus: ComponentVersion;
  antispyware: ComponentVersion;
  nisEngine: ComponentVersion;
  nisSignature: ComponentVersion;
}

/** Why an update failed, in data the UI can explain. */
export type UpdateErrorKind =
  /** MpUpdateStart returned a failure. */
  | 'start-failed'
  /** MPNOTIFY_INTERNAL_FAILURE. */
  | 'internal-failure'
  /** REQUEST_PROCESSED / COMPLETE / REBOOT_REQUIRED carried a failure HRESULT. */
  | 'update-failed'
  /** E_INVALIDARG for a non-default source: the option is not accepted on this machine. */
  | 'source-unsupported'
  /** The manager handle could not be opened. */
  | 'manager-open-failed'
  /** The update ended without a final notification (e.g. the start call returned but nothing more came). */
  | 'no-result'
  /** MpUpdateControl refused to cancel; the update goes on. Explained from `updateType`. */
  | 'cancel-refused'
  /** A native call never returned (the app gave up waiting when it closed). */
  | 'no-answer'
  /** MpCmdRun.exe was not found next to MpClient.dll. */
  | 'tool-missing'
  /** The package or folder given for an offline update cannot be used (not a program, wrong PC, no x64\mpam-fe.exe…). */
  | 'offline-input';

export interface UpdateError {
  kind: UpdateErrorKind;
  /** Unsigned 32-bit HRESULT. */
  hresult: number;
  /** `0x80070005`. */
  hex: string;
  /**
   * Defender's own text for the code (MpErrorMessageFormat, already in Windows' language) as `message.verbatim`; until
   * it is fetched, or when Defender has none, "Error 0x…"; or the app's own sentence (no result, no answer).
   */
  message: Message;
  /** The source that was asked for when the error happened. */
  source: UpdateSource;
  /** The update type Defender had reported by then (MPSIGUPDATE_DATA.eType), or null if it had sent none. */
  updateType: SigUpdateType | null;
}

export interface UpdateSnapshot {
  /** Increments with each update started; null before the first. */
  runId: number | null;
  phase: UpdatePhase;
  source: UpdateSource;
  trigger: UpdateTrigger | null;
  /** Percent of the current phase, 0..100, or null when Defender gave none. */
  percent: number | null;
  current: number | null;
  total: number | null;
  sigType: SigUpdateType | null;
  /** Epoch ms. */
  startedAt: number | null;
  endedAt: number | null;
  /** Epoch ms of the last notification (the watchdog measures from here). */
  lastNotificationAt: number | null;
  notificationCount: number;
  /** No notification for longer than the watchdog allows: the UI offers to abort. */
  stalled: boolean;
  cancelRequested: boolean;
  /** Why a cancel was refused (e.g. 0x80070005 for Microsoft Update and WSUS sources), in words. */
  cancelRefusal: UpdateError | null;
  error: UpdateError | null;
  versionsBefore: DefenderVersions | null;
  versionsAfter: DefenderVersions | null;
  /** Notification codes the engine did not know, kept for the event log. */
  unknownCodes: number[];
  /**
   * Set when the update ended "up to date" inside the start call while Defender's SharedSignatureRoot setting names a
   * folder: this PC takes its signatures from there (docs/mpclient.md "Shared signature root").
   */
  sharedSignatureRoot: string | null;
  /** The MpCmdRun job this update runs, if it is one (absent or null: a plain MpClient update). */
  offline?: OfflineJob | null;
}

export const IDLE_SNAPSHOT: UpdateSnapshot = {
  runId: null,
  phase: 'idle',
  source: 'default',
  trigger: null,
  percent: null,
  current: null,
  total: null,
  sigType: null,
  startedAt: null,
  endedAt: null,
  lastNotificationAt: null,
  notificationCount: 0,
  stalled: false,
  cancelRequested: false,
  cancelRefusal: null,
  error: null,
  versionsBefore: null,
  versionsAfter: null,
  unknownCodes: [],
  sharedSignatureRoot: null,
};

/** The end of one update, as history keeps it and the CLI prints it. */
export interface UpdateOutcome {
  runId: number;
  result: UpdateResult;
  source: UpdateSource;
  trigger: UpdateTrigger;
  startedAt: number;
  endedAt: number;
  /** Unsigned HRESULT of the deciding notification or call (0 on success, 1 for up to date). */
  hresult: number;
  /** How it ended, in words: the result's sentence, the shared-folder sentence, or the failure's message. */
  message: Message;
  error: UpdateError | null;
  versionsBefore: DefenderVersions | null;
  versionsAfter: DefenderVersions | null;
  /** The update type Defender reported last, or null when it sent no MPSIGUPDATE_DATA. */
  updateType: SigUpdateType | null;
  /** See UpdateSnapshot.sharedSignatureRoot. */
  sharedSignatureRoot: string | null;
  /** `mpcmdrun` when the update ran through MpCmdRun.exe (a repair too: it removes definitions with it first). */
  via?: UpdateVia;
  /** The MpCmdRun job, when it was one. */
  offline?: OfflineJob;
}

/** The sentence for an update that a shared signature folder makes pointless, in every surface that shows a result. */
export function sharedRootMessage(path: string): Message {
  return message('outcome.message.sharedRoot', { path });
}

/**
 * Why Defender refused to cancel, from the update type it reported rather than the source asked for: cancelling an
 * update from WSUS, Microsoft Update or Defender's service needs administrator rights (docs/mpclient.md "Cancel").
 */
export function cancelRefusalMessage(error: UpdateError): Message {
  if (error.hresult === 0x80070005) {
    switch (error.updateType) {
      case 'managed':
      case 'managed-platform':
        return message('cancel.refused.wsus');
      case 'unmanaged':
      case 'unmanaged-platform':
        return message('cancel.refused.microsoft-update');
      case 'http-srv':
        return message('cancel.refused.service');
      default:
        break;
    }
  }
  return message('cancel.refused.other', { hex: error.hex, message: error.message });
}

/** MPSIGUPDATE_TYPE's name in lower case (`http_srv`, `unmanaged_platform`…), as the CLI's JSON prints it. */
export function updateTypeName(type: SigUpdateType | null): string | null {
  return type === null ? null : type.replace(/-/g, '_');
}

/** Records a progress event carries at most: the window's log keeps no more. */
export const PROGRESS_RECORD_LIMIT = 30;

/**
 * The snapshot after a batch of notifications (or any other change of it), with the batch's records, newest last:
 * at most PROGRESS_RECORD_LIMIT of them unless the listener asked for every one, and how many older ones were left out.
 */
export interface ProgressEvent {
  type: 'progress';
  snapshot: UpdateSnapshot;
  records: NotificationRecord[];
  omitted: number;
}

export type EngineEvent = ProgressEvent | { type: 'finished'; outcome: UpdateOutcome };

/** Whether this machine can update at all; `connecting` until Defender has answered MpManagerOpen (or its deadline passed). */
export type Availability =
  | { kind: 'connecting'; demo: boolean }
  | { kind: 'available'; libraryPath: string; demo: boolean }
  | {
      kind: 'unavailable';
      /** `no-answer`: Defender did not answer in time when the app (or the CLI) started. */
      reason: 'not-windows' | 'not-installed' | 'load-failed' | 'manager-open-failed' | 'no-answer';
      message: Message;
      demo: boolean;
    };

export interface StartRequest {
  source: UpdateSource;
  trigger: UpdateTrigger;
  /** Run this job through MpCmdRun.exe instead of a plain MpClient update. */
  offline?: OfflineJob;
}

export interface StartOutcome {
  runId: number;
  /** True when an update was already running and this request joined it. */
  joined: boolean;
}

export type CancelOutcome = { kind: 'requested' } | { kind: 'not-running' } | { kind: 'refused'; error: UpdateError };
