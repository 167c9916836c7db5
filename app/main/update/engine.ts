/**
 * The update engine: owns the manager handle, every update handle and every registered callback; runs at most one
 * update at a time; turns notifications into snapshots and one outcome per update.
 *
 * Threading (docs/mpclient.md "Threads and koffi"): every MpClient call runs on a koffi worker thread, so the JS thread
 * stays free to receive callbacks, which koffi queues to it from Defender's threads. A callback never closes a handle
 * or unregisters itself: MpHandleClose on a running update waits for its notifier thread, and that thread is blocked
 * in our callback until it returns.
 */
import { formatHresult, isFailure } from '../../shared/hresult';
import { message, verbatim, type Message } from '../../shared/messages';
import {
  IDLE_SNAPSHOT,
  sharedRootMessage,
  type Availability,
  type CancelOutcome,
  type DefenderVersions,
  type EngineEvent,
  type NotificationRecord,
  type OfflineJob,
  type StartOutcome,
  type StartRequest,
  type UpdateOutcome,
  type UpdateError,
  type UpdateSnapshot,
  PROGRESS_RECORD_LIMIT,
  type ProgressEvent,
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
import { BASE_UPDATE_OPTIONS, HR, MPCALLBACK_SIGUPDATE, MPNOTIFY, MPUPDATE_OPTION, SOURCE_OPTION } from '../mpclient/constants';
import { DefenderUnavailableError } from '../mpclient/errors';
import type { MpCmdRunEvent } from '../../shared/mpcmdrun';
import type { DisposeResult, SubscribeOptions, UpdateEngine } from './engine-types';
import { decodeNotification, type DecodePorts } from './decode';
import { applyNotifications, finish, initialRun, makeError, type RunState } from './state-machine';
import { abortUpdate } from './abort';
import { withDeadline } from './deadline';
import { toDefenderVersions } from './versions';
import { checkOfflineJob, offlineEnd, recordOf, runOfflineStep, snapshotAfter, type OfflineCheck, type OfflinePorts } from './offline-job';

const BATCH_MS = 4;
/** Quitting must end within 10 s whatever Defender does; leave the app a margin for the rest of its shutdown. */
export const DISPOSE_DEADLINE_MS = 8_000;

/** The koffi decoders the callback hands to decodeNotification (one object, not one per notification). */
const NATIVE_DECODERS: DecodePorts = { decodeSigUpdate: decodeSigUpdateData, decodeString: decodeWideString };

export interface EngineOptions {
  /** No notification for this long marks the update stalled (default 10 minutes). */
  watchdogMs?: number;
  /** After a cancel was accepted, or after INTERNAL_FAILURE, how long to wait for COMPLETE before ending the run. */
  graceMs?: number;
  /**
   * Leave MPUPDATE_OPTION_ASYNC out, so MpUpdateStart blocks its worker thread until the end: tests use it to show
   * the engine copes with a DLL that ignores ASYNC. The app always sends ASYNC | PROGRESS.
   */
  synchronous?: boolean;
  /**
   * Defender's SharedSignatureRoot setting, read at the start of each update (null when not set or not readable).
   * docs/mpclient.md "Shared signature root".
   */
  readSharedSignatureRoot?: () => string | null;
  /** MpCmdRun.exe, for the jobs MpClient cannot do (offline-job.ts); without it they are refused as "not found". */
  offline?: OfflinePorts;
  /**
   * How long a question to Defender (its versions, the text for a code) may take before the engine goes on without
   * the answer (default 30 s): such a call that never returns must not hold up an update or the CLI's `status`.
   */
  queryDeadlineMs?: number;
  /** Diagnostics sink (a listener that threw, an unexpected native result). */
  log?: (message: string) => void;
  now?: () => number;
  /**
   * Finds, loads and opens MpClient again, for "Check again" while Defender is unavailable (a service that was off, a
   * library that was missing): open-engine.ts passes its own discovery.
   */
  reopen?: () => Promise<Reopened>;
}

/** What a new discovery gave: the library and manager handle, or still none and why. */
export type Reopened =
  { kind: 'open'; lib: MpClientLibrary; manager: MpHandle; availability: Availability } | { kind: 'unavailable'; availability: Availability };

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
  finishedEmitted: boolean;
  graceTimer: ReturnType<typeof setTimeout> | null;
  seq: number;
  /** Decoded notifications not yet applied: the callback only decodes and queues, the rest runs in batches. */
  pending: NotificationRecord[];
  /** MpUpdateStart has returned to us (set before anything else runs after it). */
  startCallReturned: boolean;
  /** COMPLETE arrived while MpUpdateStart had not returned: the shared-root shortcut looks like this. */
  completedInsideStart: boolean;
  /** SharedSignatureRoot as read when this update started. */
  sharedRoot: string | null;
  flushScheduled: boolean;
  lastFlushAt: number;
  /** The MpCmdRun job this run does, if any. */
  offline: OfflineJob | null;
  /** Set while MpCmdRun runs: aborting it ends MpCmdRun's process tree. */
  mpCmdRun: AbortController | null;
}

export class MpUpdateEngine implements UpdateEngine {
  private snapshot: UpdateSnapshot = { ...IDLE_SNAPSHOT };
  private run: ActiveRun | null = null;
  private lastRunDone: Promise<void> = Promise.resolve();
  private nextRunId = 1;
  /** Each listener with whether it wants every record of a flush (the CLI's --json) or the newest few (the window). */
  private readonly listeners = new Map<(event: EngineEvent) => void, SubscribeOptions>();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private disposed = false;
  private disposing: Promise<DisposeResult> | null = null;
  /** The most recent run, kept after it ended until the next starts, so dispose can still finish it. */
  private lastRun: ActiveRun | null = null;
  private readonly watchdogMs: number;
  private readonly graceMs: number;
  private readonly queryDeadlineMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /** Defender's texts for codes, filled by MpErrorMessageFormat on a worker thread; read synchronously. */
  private readonly texts = new Map<number, string>();
  /** Native calls not yet returned, oldest first: a call that never returns is named, not waited for forever. */
  private readonly inFlight = new Map<number, string>();
  private nextCallId = 1;
  private current: Availability;
  private rechecking: Promise<Availability> | null = null;

  constructor(
    private lib: MpClientLibrary | null,
    private manager: MpHandle | null,
    availability: Availability,
    private readonly options: EngineOptions = {},
  ) {
    this.current = availability;
    this.watchdogMs = options.watchdogMs ?? 10 * 60_000;
    this.graceMs = options.graceMs ?? 30_000;
    this.queryDeadlineMs = options.queryDeadlineMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => console.warn(`[engine] ${message}`));
  }

  get availability(): Availability {
    return this.current;
  }

  pendingNativeCall(): string | null {
    return this.inFlight.values().next().value ?? null;
  }

  recheck(): Promise<Availability> {
    const reopen = this.options.reopen;
    if (this.disposed || this.current.kind === 'available' || !reopen) return Promise.resolve(this.current);
    this.rechecking ??= (async () => {
      try {
        const opened = await reopen();
        if (this.disposed) {
          // Closed while discovery ran: the new handle is not ours to keep.
          if (opened.kind === 'open') await opened.lib.handleClose(opened.manager).catch(() => undefined);
          return this.current;
        }
        if (opened.kind === 'open') {
          this.lib = opened.lib;
          this.manager = opened.manager;
        }
        this.current = opened.availability;
      } catch (error) {
        this.log(`Defender could not be looked for again: ${String(error)}`);
      } finally {
        this.rechecking = null;
      }
      return this.current;
    })();
    return this.rechecking;
  }

  /** Records a native call while it runs, so a hang can be named (`MpHandleClose did not return`). */
  private track<T>(name: string, call: Promise<T>): Promise<T> {
    const id = this.nextCallId++;
    this.inFlight.set(id, name);
    return call.finally(() => this.inFlight.delete(id));
  }

  /** A question to Defender that is given up after `queryDeadlineMs` (the call itself stays tracked until it returns). */
  private async ask<T>(name: string, call: () => Promise<T>): Promise<T | null> {
    // A call still out holds a worker thread for good; asking again would take another (libuv has four, shared with file I/O).
    if ([...this.inFlight.values()].includes(name)) {
      this.log(`${name} has not returned from an earlier call; not asking again`);
      return null;
    }
    const answered = await withDeadline(this.track(name, call()), this.queryDeadlineMs);
    if (answered.done) return answered.value;
    this.log(`${name} did not return within ${this.queryDeadlineMs} ms; going on without its answer`);
    return null;
  }

  getSnapshot(): UpdateSnapshot {
    return { ...this.snapshot, unknownCodes: [...this.snapshot.unknownCodes] };
  }

  subscribe(listener: (event: EngineEvent) => void, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options);
    return () => this.listeners.delete(listener);
  }

  whenIdle(): Promise<void> {
    return this.lastRunDone;
  }

  /** Defender's text for a code if it was already fetched, else a placeholder that `loadTexts` replaces later. */
  private textFor(hr: number): Message {
    const text = this.texts.get(hr >>> 0);
    return text === undefined ? fallbackText(hr) : verbatim(text);
  }

  /** Fetches Defender's texts for these codes (MpErrorMessageFormat is a native call, so it is awaited). */
  private async loadTexts(codes: readonly number[]): Promise<void> {
    const lib = this.lib;
    const manager = this.manager;
    if (!lib || manager === null) return;
    for (const code of new Set(codes.map((c) => c >>> 0))) {
      if (this.texts.has(code)) continue;
      try {
        const text = await this.ask('MpErrorMessageFormat', () => lib.errorMessage(manager, code));
        if (text) this.texts.set(code, text);
      } catch (error) {
        this.log(`MpErrorMessageFormat failed for ${formatHresult(code)}: ${String(error)}`);
      }
    }
  }

  /** Replaces placeholder texts in the run's errors with Defender's own, once they are fetched. */
  private async resolveTexts(run: ActiveRun): Promise<void> {
    const snapshot = run.state.snapshot;
    const errors = [snapshot.error, snapshot.cancelRefusal, run.state.failure].filter((e): e is UpdateError => e !== null);
    const pending = errors.filter(isPlaceholder);
    if (pending.length === 0) return;
    await this.loadTexts(pending.map((e) => e.hresult));
    const fix = (e: UpdateError | null): UpdateError | null =>
      e && isPlaceholder(e) && this.texts.has(e.hresult) ? { ...e, message: this.textFor(e.hresult) } : e;
    const latest = run.state.snapshot;
    const failure = fix(run.state.failure);
    run.state = { ...run.state, failure };
    this.patchRun(run, { error: fix(latest.error), cancelRefusal: fix(latest.cancelRefusal) });
  }

  async readVersions(): Promise<DefenderVersions | null> {
    const { lib, manager } = this;
    if (!lib || manager === null) return null;
    try {
      const answer = await this.ask('MpManagerVersionQuery', () => lib.versionQuery(manager));
      if (!answer) return null;
      const { hr, value } = answer;
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
          this.availability.kind === 'unavailable' ? this.availability.message : message('error.message.closed'),
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
        // A folder or a package is a file-share update, whatever source was asked for; a repair's update uses it.
        ...(request.offline
          ? { offline: request.offline, source: request.offline.kind === 'repair' ? request.source : ('file-share' as const) }
          : {}),
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
      finishedEmitted: false,
      graceTimer: null,
      seq: 0,
      pending: [],
      startCallReturned: false,
      completedInsideStart: false,
      sharedRoot: null,
      flushScheduled: false,
      lastFlushAt: 0,
      offline: request.offline ?? null,
      mpCmdRun: null,
    };
    this.run = run;
    this.lastRun = run;
    this.lastRunDone = done;
    this.setSnapshot(run.state.snapshot);
    this.armWatchdog();

    let resolveStarted!: () => void;
    run.started = new Promise<void>((resolve) => (resolveStarted = resolve));
    const work = request.offline ? this.startOffline(run, request.offline, this.lib, this.manager) : this.startNative(run, this.lib, this.manager);
    void work.finally(() => {
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
    await this.updateNative(run, lib, manager);
  }

  /** MpUpdateStart and what follows it: the whole of a normal update, and the second half of a repair. */
  private async updateNative(run: ActiveRun, lib: MpClientLibrary, manager: MpHandle): Promise<void> {
    run.sharedRoot = this.readSharedRoot();
    // Defender's texts follow the user's language, which may have changed since the last update.
    this.texts.clear();

    run.callback = registerCallback((_context, dataPtr) => {
      this.onCallback(run, dataPtr);
      return HR.S_OK;
    });
    // Never NULL: the real DLL refuses a NULL callback info (docs/mpclient.md "Functions").
    run.callbackInfo = allocCallbackInfo(run.callback, BigInt(run.id));
    const source = run.state.snapshot.source;
    const options = (this.options.synchronous ? BASE_UPDATE_OPTIONS & ~MPUPDATE_OPTION.ASYNC : BASE_UPDATE_OPTIONS) | SOURCE_OPTION[source];
    let hr: number;
    try {
      const result = await this.track('MpUpdateStart', lib.updateStart(manager, options, run.callbackInfo));
      run.startCallReturned = true;
      hr = result.hr;
      if (!isFailure(hr)) run.handle = result.value;
    } catch (error) {
      run.startCallReturned = true;
      this.log(`MpUpdateStart threw: ${String(error)}`);
      hr = 0x8000ffff; // E_UNEXPECTED
    }
    this.flush(run); // notifications that arrived inside the start call come first
    if (isFailure(hr)) {
      await this.loadTexts([hr]);
      const kind = hr === HR.E_INVALIDARG && source !== 'default' ? 'source-unsupported' : 'start-failed';
      this.endRun(
        run,
        'failed',
        hr,
        makeError(kind, hr, run.state.snapshot, (code) => this.textFor(code)),
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
        makeError('no-result', 0x80004005, run.state.snapshot, () => message('error.message.noResult')),
      );
      return;
    }
    // A cancel asked for while the start call ran is sent now, even if the run was already ended on our side
    // (dispose): whether closing the handle alone stops Defender is not documented.
    if (run.state.snapshot.cancelRequested) await this.sendAbort(run);
  }

  checkOffline(job: OfflineJob): Promise<OfflineCheck> {
    if (!this.options.offline) return Promise.resolve({ ok: false, refusal: NO_MPCMDRUN });
    return checkOfflineJob(job, this.options.offline);
  }

  /**
   * A job through MpCmdRun.exe: versions first (MpManagerVersionQuery, as for any update), then MpCmdRun with the
   * job's arguments, its lines reported as records. A repair that removed the definitions goes on with a normal
   * update through MpClient, in the same run, so nothing else can start in between.
   */
  private async startOffline(run: ActiveRun, job: OfflineJob, lib: MpClientLibrary, manager: MpHandle): Promise<void> {
    await run.previousDone;
    const before = await this.readVersions();
    if (before) this.patchRun(run, { versionsBefore: before });
    if (run.state.result || this.disposed) return;

    const abort = new AbortController();
    run.mpCmdRun = abort;
    if (run.state.snapshot.cancelRequested) abort.abort();
    const step = this.options.offline
      ? await runOfflineStep(job, this.options.offline, { signal: abort.signal, onEvent: (event) => this.onMpCmdRunEvent(run, event) })
      : ({ kind: 'refused', refusal: NO_MPCMDRUN } as const);
    run.mpCmdRun = null;
    if (run.state.result) return; // ended on our side meanwhile (dispose)
    if (step.kind === 'refused') {
      const { kind, hresult, message } = step.refusal;
      this.endRun(
        run,
        'failed',
        hresult,
        makeError(kind, hresult, run.state.snapshot, () => message),
      );
      return;
    }
    const end = offlineEnd(step.result, abort.signal.aborted || run.state.snapshot.cancelRequested);
    if (job.kind === 'repair' && end.result === 'succeeded') {
      if (this.disposed) return;
      return this.updateNative(run, lib, manager);
    }
    if (end.result !== 'failed') return this.endRun(run, end.result, end.hresult);
    if (end.named) await this.loadTexts([end.hresult]);
    // MpCmdRun's own account of the failure (its last line or exit code), kept as it reads.
    const describe = (hr: number) => (end.named ? this.textFor(hr) : verbatim(step.result.detail));
    this.endRun(run, 'failed', end.hresult, makeError(end.timedOut ? 'no-result' : 'update-failed', end.hresult, run.state.snapshot, describe));
  }

  /** One MpCmdRun line: a record for the event log and the CLI, and the snapshot it moves (phase, watchdog). */
  private onMpCmdRunEvent(run: ActiveRun, event: MpCmdRunEvent): void {
    if (run.state.result) return;
    const record = recordOf(event, ++run.seq, this.now());
    run.state = { ...run.state, snapshot: { ...run.state.snapshot, ...snapshotAfter(run.state.snapshot, record) } };
    if (this.snapshot.runId === run.id) this.setSnapshot(run.state.snapshot, [record]);
  }

  private readSharedRoot(): string | null {
    try {
      return this.options.readSharedSignatureRoot?.() ?? null;
    } catch (error) {
      this.log(`SharedSignatureRoot could not be read: ${String(error)}`);
      return null;
    }
  }

  /**
   * The koffi callback: decode and copy now (the buffers die when we return), queue, return. Defender's thread waits
   * for us on every notification, so this is the only JS on its critical path; state and events follow in batches.
   */
  private onCallback(run: ActiveRun, dataPtr: NativePointer | null): void {
    try {
      if (!dataPtr || run.state.result) return;
      const raw = decodeCallbackData(dataPtr);
      // koffi runs a callback from inside the start call before that call can return, so this flag is exact.
      if (raw.Notify === MPNOTIFY.MPNOTIFY_SIGUPDATE_COMPLETE && !run.startCallReturned) run.completedInsideStart = true;
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

  /**
   * Applies queued notifications in order and publishes one `progress` event per batch: the snapshot after them and
   * their records. A batch that changes phase is split there, so no step of the update goes unseen.
   */
  private flush(run: ActiveRun): void {
    run.flushScheduled = false;
    run.lastFlushAt = this.now();
    if (run.pending.length === 0) return;
    const batch = run.pending;
    run.pending = [];
    const hadFailure = run.state.failure !== null;
    let phase = run.state.snapshot.phase;
    let applied = 0;
    let published = 0;
    run.state = applyNotifications(
      run.state,
      batch,
      (hr) => this.textFor(hr),
      (_record, state) => {
        applied += 1;
        if (state.snapshot.phase !== phase && !state.result) {
          this.setSnapshot({ ...state.snapshot }, batch.slice(published, applied));
          published = applied;
        }
        phase = state.snapshot.phase;
      },
    );
    const rest = batch.slice(published);
    if (run.state.result) {
      this.settle(run, rest);
      return;
    }
    if (rest.length > 0 || published === 0) this.setSnapshot(run.state.snapshot, rest);
    if (run.state.failure && !hadFailure) void this.resolveTexts(run);
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
    // MpCmdRun at work: ending its process tree is the cancel (it has no abort call of its own).
    if (run.mpCmdRun) {
      run.mpCmdRun.abort();
      return { kind: 'requested' };
    }
    if (!run.startReturned) return { kind: 'requested' }; // sent as soon as the start call hands us the handle
    return this.sendAbort(run);
  }

  private async sendAbort(run: ActiveRun): Promise<CancelOutcome> {
    const lib = this.lib;
    const manager = this.manager;
    if (!lib || manager === null) {
      this.startGrace(run, () => this.endRun(run, 'cancelled', HR.ERROR_CANCELLED));
      return { kind: 'requested' };
    }
    const handle = run.handle;
    const control = (run.control ?? Promise.resolve(0)).then(() =>
      this.track('MpUpdateControl', abortUpdate(lib, manager, handle)).catch((error: unknown) => {
        this.log(`MpUpdateControl threw: ${String(error)}`);
        return 0x8000ffff;
      }),
    );
    run.control = control;
    const hr = await control;
    if (run.state.result) return { kind: 'requested' };
    if (isFailure(hr)) {
      await this.loadTexts([hr]);
      // Explained from the type Defender reported, not the source asked for: "default" may well be Microsoft Update.
      const error = makeError('cancel-refused', hr, run.state.snapshot, (code) => this.textFor(code));
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

  /** The run has its result: show it now (with the batch's last records); release native resources once the start call has returned. */
  private settle(run: ActiveRun, records: readonly NotificationRecord[] = []): void {
    if (run.graceTimer !== null) {
      clearTimeout(run.graceTimer);
      run.graceTimer = null;
    }
    if (run.state.result === 'up-to-date' && run.completedInsideStart && run.sharedRoot) {
      run.state = { ...run.state, snapshot: { ...run.state.snapshot, sharedSignatureRoot: run.sharedRoot } };
    }
    // Over for the user from here: a new request starts a new update (which waits for this one's handle to close).
    if (this.run === run) this.run = null;
    this.setSnapshot({ ...run.state.snapshot, endedAt: this.now() }, records);
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
          const hr = await this.track('MpHandleClose', this.lib.handleClose(handle));
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
      await this.resolveTexts(run);
      if (this.run === null) this.disarmWatchdog();
      this.emitFinished(run, after);
    })();
    void work.finally(() => run.resolveDone());
    return run.done;
  }

  /** The one `finished` event of a run (a run given up on at dispose gets it early, and only once). */
  private emitFinished(run: ActiveRun, after: DefenderVersions | null): void {
    if (run.finishedEmitted) return;
    run.finishedEmitted = true;
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
      message: outcomeMessage(run.state, (hr) => this.textFor(hr)),
      error: snapshot.error,
      versionsBefore: snapshot.versionsBefore,
      versionsAfter: after,
      updateType: snapshot.sigType,
      sharedSignatureRoot: snapshot.sharedSignatureRoot,
      ...(run.offline ? { via: 'mpcmdrun' as const, offline: run.offline } : {}),
    };
    this.emit({ type: 'finished', outcome });
  }

  private patchRun(run: ActiveRun, patch: Partial<UpdateSnapshot>): void {
    run.state = { ...run.state, snapshot: { ...run.state.snapshot, ...patch } };
    if (this.snapshot.runId === run.id) this.setSnapshot(run.state.snapshot);
  }

  /**
   * The new snapshot, published with the records that led to it: every record to a listener that asked for all of
   * them, the newest PROGRESS_RECORD_LIMIT (and how many were left out) to the others, whose log keeps no more.
   */
  private setSnapshot(snapshot: UpdateSnapshot, records: readonly NotificationRecord[] = []): void {
    this.snapshot = snapshot;
    const omitted = Math.max(0, records.length - PROGRESS_RECORD_LIMIT);
    let newest: ProgressEvent | null = null;
    let every: ProgressEvent | null = null;
    for (const [listener, options] of this.listeners) {
      let event: ProgressEvent;
      if (options.everyRecord || omitted === 0)
        event = every ??= { type: 'progress', snapshot: this.getSnapshot(), records: [...records], omitted: 0 };
      else event = newest ??= { type: 'progress', snapshot: this.getSnapshot(), records: records.slice(omitted), omitted };
      this.deliver(listener, event);
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners.keys()) this.deliver(listener, event);
  }

  /**
   * Listeners run synchronously, in the middle of a state change: one that wants to start or cancel an update in
   * response defers it (queueMicrotask or later), as the controller and CLI do, so its change is not overwritten.
   */
  private deliver(listener: (event: EngineEvent) => void, event: EngineEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.log(`a listener threw on ${event.type}: ${String(error)}`);
    }
  }

  /**
   * Checks for silence, and keeps Node's event loop alive while an update runs: koffi's cross-thread callbacks do
   * not (docs/mpclient.md "Threads and koffi"), so without a timer a CLI process would exit mid-update.
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

  dispose(options: { deadlineMs?: number } = {}): Promise<DisposeResult> {
    this.disposing ??= this.disposeWithin(options.deadlineMs ?? DISPOSE_DEADLINE_MS);
    return this.disposing;
  }

  /**
   * Cancels, waits for every handle to close, closes the manager handle; but never longer than the deadline, since a
   * native call may never return. Then the run still gets its `finished` event ("Defender did not answer"), so the
   * history keeps it, and the caller is told which call hung.
   */
  private async disposeWithin(deadlineMs: number): Promise<DisposeResult> {
    this.disposed = true;
    const run = this.run ?? this.lastRun;
    const work = (async () => {
      const active = this.run;
      if (active && !active.state.result) {
        await this.cancel();
        // Whatever Defender does, the handle is ours to close before we go.
        this.endRun(active, 'cancelled', HR.ERROR_CANCELLED);
      }
      // Each run waits for the one before it, so the last run's end means every handle is closed.
      await this.whenIdle();
      if (this.lib && this.manager !== null) {
        const manager = this.manager;
        this.manager = null;
        await this.track('MpHandleClose', this.lib.handleClose(manager)).catch(() => undefined);
      }
    })();
    const ended = await withDeadline(work, deadlineMs);
    this.disarmWatchdog();
    const unanswered = ended.done ? null : (this.pendingNativeCall() ?? 'MpHandleClose');
    if (unanswered && run && !run.finishedEmitted) {
      const error = makeError('no-answer', HR.ERROR_TIMEOUT, run.state.snapshot, () => message('error.message.noAnswer', { call: unanswered }));
      run.state = {
        ...run.state,
        result: 'failed',
        resultHresult: HR.ERROR_TIMEOUT,
        failure: error,
        snapshot: { ...run.state.snapshot, phase: 'failed', error, endedAt: this.now() },
      };
      this.emitFinished(run, null);
    }
    this.listeners.clear();
    return { unanswered };
  }
}

const NO_MPCMDRUN = { kind: 'tool-missing', hresult: 0x80070002, message: message('offline.refusal.noMpCmdRun') } as const;

function fallbackText(hr: number): Message {
  return message('error.message.code', { hex: formatHresult(hr) });
}

/** An error still worded "Error 0x…", waiting for Defender's own text. */
function isPlaceholder(error: UpdateError): boolean {
  return error.message.key === 'error.message.code';
}

function outcomeMessage(state: RunState, describe: (hr: number) => Message): Message {
  switch (state.result) {
    case 'succeeded':
      return message('outcome.message.succeeded');
    case 'up-to-date':
      return state.snapshot.sharedSignatureRoot ? sharedRootMessage(state.snapshot.sharedSignatureRoot) : message('outcome.message.up-to-date');
    case 'reboot-required':
      return message('outcome.message.reboot-required');
    case 'cancelled':
      return message('outcome.message.cancelled');
    default:
      return state.failure?.message ?? describe(state.resultHresult);
  }
}
