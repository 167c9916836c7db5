/**
 * The update engine: owns the manager handle, every update handle and every registered callback; runs at most one
 * update at a time; turns notifications into snapshots and one outcome per update.
 *
 * Threading (api §10, §12): MpUpdateStart, MpUpdateControl and MpHandleClose run on koffi worker threads, so the JS
 * thread stays free to receive callbacks, which koffi queues to it from Defender's threads. A callback never closes a
 * handle or unregisters itself: MpHandleClose on a running update waits for its notifier thread, and that thread is
 * blocked in our callback until it returns.
 */
import { formatHresult, isFailure } from '../../shared/hresult';
import {
  IDLE_SNAPSHOT,
  type Availability,
  type CancelOutcome,
  type DefenderVersions,
  type EngineEvent,
  type NotificationRecord,
  type StartOutcome,
  type StartRequest,
  type UpdateOutcome,
  type UpdateSnapshot,
} from '../../shared/update';
import {
  allocCallbackInfo,
  decodeCallbackData,
  decodeSigUpdateData,
  decodeWideString,
  freeNative,
  registerCallback,
  unregisterCallback,
  type MpClientLibrary,
  type MpHandle,
  type NativePointer,
} from '../mpclient/binding';
import { HR, MPCALLBACK_SIGUPDATE, MPCONTROL_ABORT, MPUPDATE_OPTION, SOURCE_OPTION } from '../mpclient/constants';
import { DefenderUnavailableError } from '../mpclient/errors';
import type { UpdateEngine } from './engine-types';
import { decodeNotification, type DecodePorts } from './decode';
import { applyNotifications, finish, initialRun, makeError, type RunState } from './state-machine';
import { toDefenderVersions } from './versions';

const BATCH_MS = 4;

/** The koffi decoders the callback hands to decodeNotification (one object, not one per notification). */
const NATIVE_DECODERS: DecodePorts = { decodeSigUpdate: decodeSigUpdateData, decodeString: decodeWideString };

export interface EngineOptions {
  /** No notification for this long marks the update stalled (default 10 minutes). */
  watchdogMs?: number;
  /** After a cancel was accepted, or after INTERNAL_FAILURE, how long to wait for COMPLETE before ending the run. */
  graceMs?: number;
  /** Run MpUpdateStart without MPUPDATE_OPTION_ASYNC (the call then blocks its worker thread until the end). */
  synchronous?: boolean;
  /** Diagnostics sink (a listener that threw, an unexpected native result). */
  log?: (message: string) => void;
  now?: () => number;
}

interface ActiveRun {
  id: number;
  state: RunState;
  callback: NativePointer | null;
  callbackInfo: NativePointer | null;
  handle: MpHandle | null;
  /** Settles when MpUpdateStart has returned (whatever it returned). */
  started: Promise<void>;
  /** Settles when the run's native resources are released and `finished` was emitted. */
  done: Promise<void>;
  resolveDone: () => void;
  startReturned: boolean;
  /** Settles when the previous run has released everything: a new MpUpdateStart waits for it. */
  previousDone: Promise<void>;
  /** The MpUpdateControl call in flight, if any: the handle is not closed under it. */
  control: Promise<number> | null;
  cleaning: boolean;
  graceTimer: ReturnType<typeof setTimeout> | null;
  seq: number;
  /** Decoded notifications not yet applied: the callback only decodes and queues, the rest runs in batches. */
  pending: NotificationRecord[];
  flushScheduled: boolean;
  lastFlushAt: number;
}

export class MpUpdateEngine implements UpdateEngine {
  private snapshot: UpdateSnapshot = { ...IDLE_SNAPSHOT };
  private run: ActiveRun | null = null;
  private lastRunDone: Promise<void> = Promise.resolve();
  private nextRunId = 1;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private disposed = false;
  private readonly watchdogMs: number;
  private readonly graceMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly lib: MpClientLibrary | null,
    private manager: MpHandle | null,
    readonly availability: Availability,
    private readonly options: EngineOptions = {},
  ) {
    this.watchdogMs = options.watchdogMs ?? 10 * 60_000;
    this.graceMs = options.graceMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => console.warn(`[engine] ${message}`));
  }

  getSnapshot(): UpdateSnapshot {
    return { ...this.snapshot, unknownCodes: [...this.snapshot.unknownCodes] };
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  whenIdle(): Promise<void> {
    return this.lastRunDone;
  }

  describe(hr: number): string {
    let text: string | null = null;
    if (this.lib && this.manager !== null) {
      try {
        text = this.lib.errorMessage(this.manager, hr);
      } catch (error) {
        this.log(`MpErrorMessageFormat failed for ${formatHresult(hr)}: ${String(error)}`);
      }
    }
    return text ?? `Error ${formatHresult(hr)}`;
  }

  async readVersions(): Promise<DefenderVersions | null> {
    if (!this.lib || this.manager === null) return null;
    try {
      const { hr, value } = await this.lib.versionQuery(this.manager);
      if (isFailure(hr) || !value) {
        this.log(`MpManagerVersionQuery returned ${formatHresult(hr)}`);
        return null;
      }
      return toDefenderVersions(value);
    } catch (error) {
      this.log(`MpManagerVersionQuery threw: ${String(error)}`);
      return null;
    }
  }

  start(request: StartRequest): Promise<StartOutcome> {
    if (!this.lib || this.manager === null || this.disposed) {
      return Promise.reject(
        new DefenderUnavailableError(
          this.availability.kind === 'unavailable' ? this.availability.reason : 'load-failed',
          this.availability.kind === 'unavailable' ? this.availability.message : 'The update engine was closed.',
        ),
      );
    }
    if (this.run) return Promise.resolve({ runId: this.run.id, joined: true });

    // Claimed synchronously, before any await, so a second request in the same tick joins this one.
    const id = this.nextRunId++;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const startedAt = this.now();
    const run: ActiveRun = {
      id,
      state: initialRun({
        ...IDLE_SNAPSHOT,
        runId: id,
        phase: 'starting',
        source: request.source,
        trigger: request.trigger,
        startedAt,
        lastNotificationAt: startedAt,
        versionsBefore: this.snapshot.versionsAfter ?? null,
      }),
      callback: null,
      callbackInfo: null,
      handle: null,
      started: Promise.resolve(),
      done,
      resolveDone,
      startReturned: false,
      previousDone: this.lastRunDone,
      control: null,
      cleaning: false,
      graceTimer: null,
      seq: 0,
      pending: [],
      flushScheduled: false,
      lastFlushAt: 0,
    };
    this.run = run;
    this.lastRunDone = done;
    this.setSnapshot(run.state.snapshot);
    this.armWatchdog();

    let resolveStarted!: () => void;
    run.started = new Promise<void>((resolve) => (resolveStarted = resolve));
    void this.startNative(run, this.lib, this.manager).finally(() => {
      run.startReturned = true;
      resolveStarted();
      if (run.state.result) void this.cleanup(run);
    });
    return Promise.resolve({ runId: id, joined: false });
  }

  private async startNative(run: ActiveRun, lib: MpClientLibrary, manager: MpHandle): Promise<void> {
    // The previous run's handle must be closed before a new one opens; its outcome was already shown.
    await run.previousDone;
    const before = await this.readVersions();
    if (before) this.patchRun(run, { versionsBefore: before });
    // Ended while waiting (the app is closing, or a cancel ran out of patience): never start Defender for nothing.
    if (run.state.result || this.disposed) return;

    run.callback = registerCallback((_context, dataPtr) => {
      this.onCallback(run, dataPtr);
      return HR.S_OK;
    });
    run.callbackInfo = allocCallbackInfo(run.callback, BigInt(run.id));
    const source = run.state.snapshot.source;
    const options = (this.options.synchronous ? 0 : MPUPDATE_OPTION.ASYNC) | MPUPDATE_OPTION.PROGRESS | SOURCE_OPTION[source];
    let hr: number;
    try {
      const result = await lib.updateStart(manager, options, run.callbackInfo);
      hr = result.hr;
      if (!isFailure(hr)) run.handle = result.value;
    } catch (error) {
      this.log(`MpUpdateStart threw: ${String(error)}`);
      hr = 0x8000ffff; // E_UNEXPECTED
    }
    this.flush(run); // notifications that arrived inside the start call come first
    if (isFailure(hr)) {
      const kind = hr === HR.E_INVALIDARG && source !== 'default' ? 'source-unsupported' : 'start-failed';
      this.endRun(
        run,
        'failed',
        hr,
        makeError(kind, hr, source, (code) => this.describe(code)),
      );
      return;
    }
    if (run.handle === null) {
      this.log('MpUpdateStart succeeded without returning an update handle');
    }
    if (this.options.synchronous && !run.state.result) {
      // A synchronous start returns when the update is over; no COMPLETE means Defender never said how it ended.
      this.endRun(
        run,
        'failed',
        0x80004005,
        makeError('no-result', 0x80004005, source, () => 'The update ended without reporting a result.'),
      );
      return;
    }
    // A cancel asked for while the start call ran is sent now, even if the run was already ended on our side
    // (dispose): whether closing the handle alone stops Defender is not documented (api open question 6).
    if (run.state.snapshot.cancelRequested && run.handle !== null) await this.sendAbort(run);
  }

  /**
   * The koffi callback: decode and copy now (the buffers die when we return), queue, return. Defender's thread waits
   * for us on every notification, so this is the only JS on its critical path; state and events follow in batches.
   */
  private onCallback(run: ActiveRun, dataPtr: NativePointer | null): void {
    try {
      if (!dataPtr || run.state.result) return;
      const raw = decodeCallbackData(dataPtr);
      run.pending.push(decodeNotification(raw, raw.Type === MPCALLBACK_SIGUPDATE, ++run.seq, this.now(), NATIVE_DECODERS));
      if (!run.flushScheduled) {
        run.flushScheduled = true;
        // A throttle: the first notification after a quiet spell is applied at once; in a storm, batches at most
        // every few milliseconds, so a storm costs one state event per batch, not one per notification.
        const wait = BATCH_MS - (this.now() - run.lastFlushAt);
        if (wait <= 0) setImmediate(() => this.flush(run));
        else setTimeout(() => this.flush(run), wait);
      }
    } catch (error) {
      this.log(`notification dropped: ${String(error)}`);
    }
  }

  /** Applies queued notifications in order: one `notification` event each, one `state` event per batch. */
  private flush(run: ActiveRun): void {
    run.flushScheduled = false;
    run.lastFlushAt = this.now();
    if (run.pending.length === 0) return;
    const batch = run.pending;
    run.pending = [];
    const hadFailure = run.state.failure !== null;
    let phase = run.state.snapshot.phase;
    let emitted = false;
    run.state = applyNotifications(
      run.state,
      batch,
      (hr) => this.describe(hr),
      (record, state) => {
        this.emit({ type: 'notification', record });
        // Every phase change is its own state event, so no step of the update goes unseen.
        emitted = state.snapshot.phase !== phase && !state.result;
        if (emitted) this.setSnapshot({ ...state.snapshot });
        phase = state.snapshot.phase;
      },
    );
    if (run.state.result) {
      this.settle(run);
      return;
    }
    if (!emitted) this.setSnapshot(run.state.snapshot);
    if (!hadFailure && run.state.failure && run.graceTimer === null) {
      // INTERNAL_FAILURE may be the last word: do not wait a whole watchdog period for a COMPLETE that never comes.
      this.startGrace(run, () => this.endRun(run, 'failed', run.state.failure?.hresult ?? 0x80004005));
    }
  }

  async cancel(): Promise<CancelOutcome> {
    const run = this.run;
    if (!run || run.state.result) return { kind: 'not-running' };
    if (run.state.snapshot.cancelRequested && !run.state.snapshot.cancelRefusal) return { kind: 'requested' };
    this.patchRun(run, { cancelRequested: true, cancelRefusal: null });
    if (!run.startReturned) return { kind: 'requested' }; // sent as soon as the start call hands us the handle
    return this.sendAbort(run);
  }

  private async sendAbort(run: ActiveRun): Promise<CancelOutcome> {
    if (!this.lib || run.handle === null) {
      this.startGrace(run, () => this.endRun(run, 'cancelled', HR.ERROR_CANCELLED));
      return { kind: 'requested' };
    }
    const lib = this.lib;
    const handle = run.handle;
    const control = (run.control ?? Promise.resolve(0)).then(() =>
      lib.updateControl(handle, MPCONTROL_ABORT).catch((error: unknown) => {
        this.log(`MpUpdateControl threw: ${String(error)}`);
        return 0x8000ffff;
      }),
    );
    run.control = control;
    const hr = await control;
    if (run.state.result) return { kind: 'requested' };
    if (isFailure(hr)) {
      const error = makeError('start-failed', hr, run.state.snapshot.source, (code) =>
        code === HR.E_ACCESSDENIED
          ? 'Defender refused to cancel: updates from Microsoft Update and WSUS can only be cancelled by an administrator. The update continues.'
          : `Defender refused to cancel (${this.describe(code)}). The update continues.`,
      );
      this.patchRun(run, { cancelRequested: false, cancelRefusal: error });
      return { kind: 'refused', error };
    }
    // Accepted: Defender should end the run with COMPLETE soon; if it never does, end it ourselves.
    this.startGrace(run, () => this.endRun(run, 'cancelled', HR.ERROR_CANCELLED));
    return { kind: 'requested' };
  }

  private startGrace(run: ActiveRun, onExpiry: () => void): void {
    if (run.graceTimer !== null) clearTimeout(run.graceTimer);
    run.graceTimer = setTimeout(() => {
      run.graceTimer = null;
      if (!run.state.result) onExpiry();
    }, this.graceMs);
  }

  private endRun(run: ActiveRun, result: UpdateOutcome['result'], hr: number, error?: UpdateOutcome['error']): void {
    if (run.state.result) return;
    run.state = finish(run.state, result, hr, error ?? undefined);
    this.settle(run);
  }

  /** The run has its result: show it now; release native resources once the start call has returned. */
  private settle(run: ActiveRun): void {
    if (run.graceTimer !== null) {
      clearTimeout(run.graceTimer);
      run.graceTimer = null;
    }
    // Over for the user from here: a new request starts a new update (which waits for this one's handle to close).
    if (this.run === run) this.run = null;
    this.setSnapshot({ ...run.state.snapshot, endedAt: this.now() });
    run.state = { ...run.state, snapshot: this.snapshot };
    if (run.startReturned) void this.cleanup(run);
  }

  private cleanup(run: ActiveRun): Promise<void> {
    if (run.cleaning) return run.done;
    run.cleaning = true;
    const work = (async () => {
      await run.started;
      await run.control; // never close the handle under an MpUpdateControl call
      if (run.handle !== null && this.lib) {
        const handle = run.handle;
        run.handle = null;
        try {
          const hr = await this.lib.handleClose(handle);
          if (isFailure(hr)) this.log(`MpHandleClose returned ${formatHresult(hr)}`);
        } catch (error) {
          this.log(`MpHandleClose threw: ${String(error)}`);
        }
      }
      // Only now can no callback be in flight: the start call returned and the handle (and its thread) is gone.
      if (run.callback !== null) {
        unregisterCallback(run.callback);
        run.callback = null;
      }
      if (run.callbackInfo !== null) {
        freeNative(run.callbackInfo);
        run.callbackInfo = null;
      }
      const after = await this.readVersions();
      if (this.run === null) this.disarmWatchdog();
      const snapshot: UpdateSnapshot = { ...run.state.snapshot, versionsAfter: after };
      run.state = { ...run.state, snapshot };
      if (this.snapshot.runId === run.id) this.setSnapshot(snapshot);
      const outcome: UpdateOutcome = {
        runId: run.id,
        result: run.state.result ?? 'failed',
        source: snapshot.source,
        trigger: snapshot.trigger ?? 'window',
        startedAt: snapshot.startedAt ?? this.now(),
        endedAt: snapshot.endedAt ?? this.now(),
        hresult: run.state.resultHresult,
        message: outcomeMessage(run.state, (hr) => this.describe(hr)),
        error: snapshot.error,
        versionsBefore: snapshot.versionsBefore,
        versionsAfter: after,
      };
      this.emit({ type: 'finished', outcome });
    })();
    void work.finally(() => run.resolveDone());
    return run.done;
  }

  private patchRun(run: ActiveRun, patch: Partial<UpdateSnapshot>): void {
    run.state = { ...run.state, snapshot: { ...run.state.snapshot, ...patch } };
    if (this.snapshot.runId === run.id) this.setSnapshot(run.state.snapshot);
  }

  private setSnapshot(snapshot: UpdateSnapshot): void {
    this.snapshot = snapshot;
    this.emit({ type: 'state', snapshot: this.getSnapshot() });
  }

  /**
   * Listeners run synchronously, in the middle of a state change: one that wants to start or cancel an update in
   * response defers it (queueMicrotask or later), as the controller and CLI do, so its change is not overwritten.
   */
  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`a listener threw on ${event.type}: ${String(error)}`);
      }
    }
  }

  /**
   * Checks for silence, and keeps Node's event loop alive while an update runs: koffi's cross-thread callbacks do
   * not (api §12), so without a timer a CLI process would exit mid-update.
   */
  private armWatchdog(): void {
    this.disarmWatchdog();
    const period = Math.max(50, Math.min(1000, Math.floor(this.watchdogMs / 4)));
    this.watchdog = setInterval(() => {
      const run = this.run;
      if (!run || run.state.result) return;
      const last = run.state.snapshot.lastNotificationAt ?? run.state.snapshot.startedAt ?? this.now();
      const stalled = this.now() - last >= this.watchdogMs;
      if (stalled !== run.state.snapshot.stalled) this.patchRun(run, { stalled });
    }, period);
  }

  private disarmWatchdog(): void {
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const run = this.run;
    if (run && !run.state.result) {
      await this.cancel();
      // Whatever Defender does, the handle is ours to close before we go.
      this.endRun(run, 'cancelled', HR.ERROR_CANCELLED);
    }
    // Each run waits for the one before it, so the last run's end means every handle is closed.
    await this.whenIdle();
    this.disarmWatchdog();
    if (this.lib && this.manager !== null) {
      const manager = this.manager;
      this.manager = null;
      await this.lib.handleClose(manager).catch(() => undefined);
    }
    this.listeners.clear();
  }
}

function outcomeMessage(state: RunState, describe: (hr: number) => string): string {
  switch (state.result) {
    case 'succeeded':
      return 'Security intelligence was updated.';
    case 'up-to-date':
      return 'Security intelligence is already up to date.';
    case 'reboot-required':
      return 'The update needs a restart to finish.';
    case 'cancelled':
      return 'The update was cancelled.';
    default:
      return state.failure?.message ?? describe(state.resultHresult);
  }
}
