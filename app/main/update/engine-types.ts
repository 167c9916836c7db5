/** The update engine as the rest of main sees it (window, tray, IPC, CLI, harness). */
import type { Availability, CancelOutcome, DefenderVersions, EngineEvent, StartOutcome, StartRequest, UpdateSnapshot } from '../../shared/update';

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
  /** Asks Defender to abort (MpUpdateControl ABORT); a refusal is explained, not thrown. */
  cancel(): Promise<CancelOutcome>;
  /** Reads MpManagerVersionQuery on a worker thread; null when unavailable or the query failed. */
  readVersions(): Promise<DefenderVersions | null>;
  /** Every event in order. Listeners must not throw; one that does is isolated and logged. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Resolves when no update is running (immediately if none). */
  whenIdle(): Promise<void>;
  /** Cancels a running update, waits for it, closes the manager handle. Idempotent. */
  dispose(): Promise<void>;
}
