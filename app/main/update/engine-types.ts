/** The update engine as the rest of main sees it (window, tray, IPC, CLI, harness). */
import type {
  Availability,
  CancelOutcome,
  DefenderVersions,
  EngineEvent,
  OfflineJob,
  StartOutcome,
  StartRequest,
  UpdateSnapshot,
} from '../../shared/update';
import type { OfflineCheck } from './offline-job';

export type { OfflineCheck, OfflineRefusal } from './offline-job';

/** What dispose could not finish: the native call that never returned, if any. */
export interface DisposeResult {
  unanswered: string | null;
}

export interface SubscribeOptions {
  /**
   * Every record of each batch (the CLI prints one line per notification). Without it a progress event carries only
   * the newest PROGRESS_RECORD_LIMIT, with the count of the rest: what the window's log keeps.
   */
  everyRecord?: boolean;
}

export interface UpdateEngine {
  /** Whether the library loaded and the manager handle opened. Never throws. */
  readonly availability: Availability;
  /** The current state; a fresh copy, safe to send anywhere. */
  getSnapshot(): UpdateSnapshot;
  /**
   * Starts an update, or joins the one already running (window and tray at once start one update).
   * Resolves once the update is under way or has already ended (failures end in a `finished` event, never a throw).
   * Rejects only with DefenderUnavailableError when there is no library.
   */
  start(request: StartRequest): Promise<StartOutcome>;
  /**
   * Checks an MpCmdRun job's input before it is started (MpCmdRun.exe is there; the package is a program for this PC;
   * the folder holds x64\mpam-fe.exe) and answers with the job as it will run. Never throws. `start` checks again.
   */
  checkOffline(job: OfflineJob): Promise<OfflineCheck>;
  /** Asks Defender to abort (MpUpdateControl ABORT), or ends MpCmdRun's process tree; a refusal is explained, not thrown. */
  cancel(): Promise<CancelOutcome>;
  /** Reads MpManagerVersionQuery on a worker thread; null when unavailable, or the query failed or did not answer in time. */
  readVersions(): Promise<DefenderVersions | null>;
  /**
   * Every event in order: one `progress` per batch of notifications (or any other change of the snapshot), one
   * `finished` per update. Listeners must not throw; one that does is isolated and logged.
   */
  subscribe(listener: (event: EngineEvent) => void, options?: SubscribeOptions): () => void;
  /** Resolves when no update is running (immediately if none). */
  whenIdle(): Promise<void>;
  /**
   * While Defender is unavailable, looks for it again (finds, loads and opens MpClient) without restarting the app;
   * resolves with the availability now. Does nothing once available. Never throws.
   */
  recheck(): Promise<Availability>;
  /** The name of the oldest MpClient call that has not returned yet (`MpHandleClose`), or null. */
  pendingNativeCall(): string | null;
  /**
   * Cancels a running update, waits for it, closes the manager handle; never longer than `deadlineMs` (default 8 s):
   * a run Defender never lets go of ends as failed, "Defender did not answer". Idempotent.
   */
  dispose(options?: { deadlineMs?: number }): Promise<DisposeResult>;
}
