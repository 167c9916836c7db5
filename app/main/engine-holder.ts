/**
 * The engine as the app sees it from its first moment: "connecting" until Defender has answered MpManagerOpen (or its
 * deadline has passed), then the engine that opened. The window and the tray are made at once against this holder, so
 * a Defender service that hangs leaves the app with a window that says so, not with nothing.
 */
import {
  IDLE_SNAPSHOT,
  type Availability,
  type CancelOutcome,
  type DefenderVersions,
  type EngineEvent,
  type OfflineJob,
  type StartOutcome,
  type StartRequest,
  type UpdateSnapshot,
} from '../shared/update';
import { messageOf } from '../shared/ipc-result';
import { message, verbatim } from '../shared/messages';
import { withDeadline } from './update/deadline';
import type { DisposeResult, OfflineCheck, UpdateEngine } from './update/engine-types';
import { DISPOSE_DEADLINE_MS, MpUpdateEngine } from './update/engine';

/** What the holder names as unanswered while the engine has not arrived. */
const OPENING_CALL = 'MpManagerOpen';

export class EngineHolder implements UpdateEngine {
  private engine: UpdateEngine | null = null;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private disposing: Promise<DisposeResult> | null = null;
  /** Past the wait in dispose: an engine that arrives now is closed at once. */
  private closed = false;
  /** Settles once the engine has arrived (available or not). */
  readonly ready: Promise<void>;

  constructor(
    opening: Promise<UpdateEngine>,
    private readonly demo: boolean,
  ) {
    this.ready = opening.then(
      (engine) => this.attach(engine),
      // openUpdateEngine never throws; should it, the app still gets an engine that says why.
      (error: unknown) =>
        this.attach(
          new MpUpdateEngine(null, null, { kind: 'unavailable', reason: 'load-failed', message: verbatim(messageOf(error)), demo: this.demo }),
        ),
    );
  }

  private attach(engine: UpdateEngine): void {
    if (this.closed) {
      void engine.dispose();
      return;
    }
    this.engine = engine;
    engine.subscribe((event) => this.emit(event));
    // Tells the state its availability changed (the snapshot itself is still idle).
    this.emit({ type: 'progress', snapshot: engine.getSnapshot(), records: [], omitted: 0 });
  }

  private emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // Listeners must not throw (UpdateEngine.subscribe); one that does must not silence the others.
      }
    }
  }

  get availability(): Availability {
    return this.engine?.availability ?? { kind: 'connecting', demo: this.demo };
  }

  /** Looks for Defender again; while the first answer is still awaited there is nothing to look at yet. */
  recheck(): Promise<Availability> {
    return this.engine ? this.engine.recheck() : Promise.resolve(this.availability);
  }

  getSnapshot(): UpdateSnapshot {
    return this.engine?.getSnapshot() ?? { ...IDLE_SNAPSHOT, unknownCodes: [] };
  }

  start(request: StartRequest): Promise<StartOutcome> {
    return this.engine ? this.engine.start(request) : Promise.reject(new Error('Defender has not answered yet.'));
  }

  checkOffline(job: OfflineJob): Promise<OfflineCheck> {
    if (this.engine) return this.engine.checkOffline(job);
    // E_PENDING: the app is still waiting for Defender's first answer.
    return Promise.resolve({ ok: false, refusal: { kind: 'tool-missing', hresult: 0x8000000a, message: message('defender.notAnsweredYet') } });
  }

  cancel(): Promise<CancelOutcome> {
    return this.engine ? this.engine.cancel() : Promise.resolve({ kind: 'not-running' });
  }

  readVersions(): Promise<DefenderVersions | null> {
    return this.engine ? this.engine.readVersions() : Promise.resolve(null);
  }

  /** The app's listeners: progress events carry the newest records only (no one here asks for every record). */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  whenIdle(): Promise<void> {
    return this.engine ? this.engine.whenIdle() : Promise.resolve();
  }

  pendingNativeCall(): string | null {
    return this.engine ? this.engine.pendingNativeCall() : OPENING_CALL;
  }

  /** Gives the engine the rest of the deadline to arrive, then disposes it; never longer than the deadline in all. */
  dispose(options: { deadlineMs?: number } = {}): Promise<DisposeResult> {
    this.disposing ??= (async () => {
      const deadlineMs = options.deadlineMs ?? DISPOSE_DEADLINE_MS;
      const startedAt = Date.now();
      await withDeadline(this.ready, deadlineMs);
      this.closed = true;
      const engine = this.engine;
      const result = engine ? await engine.dispose({ deadlineMs: Math.max(0, deadlineMs - (Date.now() - startedAt)) }) : { unanswered: OPENING_CALL };
      this.listeners.clear();
      return result;
    })();
    return this.disposing;
  }
}
