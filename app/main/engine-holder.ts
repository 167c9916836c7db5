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
import type { DisposeResult, OfflineCheck, SubscribeOptions, UpdateEngine } from './update/engine-types';
import { DISPOSE_DEADLINE_MS, MpUpdateEngine } from './update/engine';

/** What the holder names as unanswered while the engine has not arrived. */
const OPENING_CALL = 'MpManagerOpen';

/** One subscription: kept until the engine arrives, then passed on to it with its own options. */
interface Subscriber {
  listener: (event: EngineEvent) => void;
  options: SubscribeOptions;
  detach: (() => void) | null;
}

export class EngineHolder implements UpdateEngine {
  private engine: UpdateEngine | null = null;
  private readonly subscribers = new Set<Subscriber>();
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
    for (const subscriber of this.subscribers) this.connect(subscriber, engine);
    // Tells the state its availability changed (the snapshot itself is still idle).
    this.emit({ type: 'progress', snapshot: engine.getSnapshot(), records: [], omitted: 0 });
  }

  /** Each subscriber on the engine itself, so its options (every record, or the newest few) reach the engine. */
  private connect(subscriber: Subscriber, engine: UpdateEngine): void {
    subscriber.detach = engine.subscribe((event) => deliver(subscriber, event), subscriber.options);
  }

  private emit(event: EngineEvent): void {
    for (const subscriber of [...this.subscribers]) deliver(subscriber, event);
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

  subscribe(listener: (event: EngineEvent) => void, options: SubscribeOptions = {}): () => void {
    const subscriber: Subscriber = { listener, options, detach: null };
    this.subscribers.add(subscriber);
    if (this.engine) this.connect(subscriber, this.engine);
    return () => {
      subscriber.detach?.();
      this.subscribers.delete(subscriber);
    };
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
      for (const subscriber of this.subscribers) subscriber.detach?.();
      this.subscribers.clear();
      return result;
    })();
    return this.disposing;
  }
}

function deliver(subscriber: Subscriber, event: EngineEvent): void {
  try {
    subscriber.listener(event);
  } catch {
    // Listeners must not throw (UpdateEngine.subscribe); one that does must not silence the others.
  }
}
