/** Fakes for the shell's ports. Each records what it was asked to do, so tests assert on that. */
import type { EffectiveSettings, HistoryEntry, Settings } from '../../app/shared/app-state';
import { message, verbatim } from '../../app/shared/messages';
import type { AppEvent } from '../../app/shared/ipc';
import { createAppController, type AppController, type AppControllerOptions } from '../../app/main/app-controller';
import { createMemoryHistory, createMemorySettings, type MemoryHistoryPort, type MemorySettingsPort } from '../support/memory-stores';
import {
  IDLE_SNAPSHOT,
  type Availability,
  type CancelOutcome,
  type DefenderVersions,
  type EngineEvent,
  type NotificationRecord,
  type OfflineJob,
  type StartOutcome,
  type StartRequest,
  type UpdateOutcome,
  type UpdateResult,
  type UpdateSnapshot,
} from '../../app/shared/update';
import type { DisposeResult, OfflineCheck, UpdateEngine } from '../../app/main/update/engine-types';
import type { ExternalLink } from '../../app/shared/app-state';
import type {
  ClipboardPort,
  CommandResult,
  CommandRunner,
  ExportFormat,
  ExportPort,
  LinkPort,
  PackageDialogPort,
  Scheduler,
  TimerHandle,
} from '../../app/main/ports';
import type { ElevationPort, ElevationStatus, RelaunchResult } from '../../app/main/elevation';
import type { ShellPort } from '../../app/main/security';

/**
 * A clock that moves only when the test says so. Timers run on elapsed time, as Node's do; the wall clock (`now`) can
 * also move by itself, as it does while the computer sleeps (timers frozen, wall clock running) or when someone sets
 * the time.
 */
export class FakeScheduler implements Scheduler {
  private time: number;
  /** How far the wall clock is from elapsed time. */
  private wallOffset = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = Date.UTC(2025, 0, 15, 9, 0, 0)) {
    this.time = start;
  }
  now(): number {
    return this.time + this.wallOffset;
  }
  /** The wall clock alone moves (forward: the computer slept; back: the clock was set back); no timer fires. */
  moveWallClock(ms: number): void {
    this.wallOffset += ms;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
  /** Moves time forward, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}

export function versionsWith(antivirus: string): DefenderVersions {
  const c = { version: antivirus, updatedAt: '2025-01-15T08:00:00.000Z' };
  return { product: c, service: c, engine: c, antivirus: c, antispyware: c, nisEngine: c, nisSignature: c };
}

/** An engine the test drives by hand: start joins a running update, the test emits progress and the end. */
export class FakeEngine implements UpdateEngine {
  availability: Availability;
  readonly starts: StartRequest[] = [];
  readonly checked: OfflineJob[] = [];
  /** What checkOffline answers; by default every job is fine as it is. */
  offlineAnswer: (job: OfflineJob) => OfflineCheck = (job) => ({ ok: true, job });
  cancels = 0;
  rechecks = 0;
  /** What the next "Check again" finds; null: Defender is still missing. */
  recheckFinds: Availability | null = null;
  cancelAnswer: CancelOutcome = { kind: 'requested' };
  versions: DefenderVersions | null = versionsWith('1.400.0.0');
  private snapshot: UpdateSnapshot = { ...IDLE_SNAPSHOT };
  private listeners = new Set<(event: EngineEvent) => void>();
  private runId = 0;
  private seq = 0;

  constructor(availability: Availability = { kind: 'available', libraryPath: '/fake/MpClient.dll', demo: false }) {
    this.availability = availability;
  }

  get running(): boolean {
    return !['idle', 'succeeded', 'up-to-date', 'reboot-required', 'failed', 'cancelled'].includes(this.snapshot.phase);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  getSnapshot(): UpdateSnapshot {
    return structuredClone(this.snapshot);
  }
  start(request: StartRequest): Promise<StartOutcome> {
    this.starts.push(request);
    if (this.availability.kind !== 'available')
      return Promise.reject(Object.assign(new Error('Defender is not available'), { name: 'DefenderUnavailableError' }));
    if (this.running) return Promise.resolve({ runId: this.runId, joined: true });
    this.runId += 1;
    this.seq = 0;
    this.setSnapshot({
      ...IDLE_SNAPSHOT,
      runId: this.runId,
      phase: 'starting',
      source: request.source,
      trigger: request.trigger,
      startedAt: 1000,
      ...(request.offline ? { offline: request.offline } : {}),
    });
    return Promise.resolve({ runId: this.runId, joined: false });
  }
  checkOffline(job: OfflineJob): Promise<OfflineCheck> {
    this.checked.push(job);
    return Promise.resolve(this.offlineAnswer(job));
  }
  cancel(): Promise<CancelOutcome> {
    this.cancels += 1;
    return Promise.resolve(this.running ? this.cancelAnswer : { kind: 'not-running' });
  }
  recheck(): Promise<Availability> {
    this.rechecks += 1;
    if (this.availability.kind === 'unavailable' && this.recheckFinds) this.availability = this.recheckFinds;
    return Promise.resolve(this.availability);
  }
  readVersions(): Promise<DefenderVersions | null> {
    return Promise.resolve(this.availability.kind === 'available' ? this.versions : null);
  }
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  whenIdle(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): Promise<DisposeResult> {
    return Promise.resolve({ unanswered: null });
  }
  pendingNativeCall(): string | null {
    return null;
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
  setSnapshot(snapshot: UpdateSnapshot, records: NotificationRecord[] = []): void {
    this.snapshot = snapshot;
    this.emit({ type: 'progress', snapshot: structuredClone(snapshot), records, omitted: 0 });
  }
  /** One download progress notification and the state it leads to. */
  progress(percent: number): void {
    this.seq += 1;
    const record: NotificationRecord = {
      seq: this.seq,
      notify: 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS',
      code: 0x2009,
      hresult: 0,
      phase: 'downloading',
      percent,
      current: 1,
      total: 1,
      sigType: 'http',
      path: null,
      receivedAt: 1000 + this.seq,
    };
    this.setSnapshot({ ...this.snapshot, phase: 'downloading', percent, notificationCount: this.seq, lastNotificationAt: record.receivedAt }, [
      record,
    ]);
  }
  finish(result: UpdateResult, extra: Partial<UpdateOutcome> = {}): UpdateOutcome {
    const outcome: UpdateOutcome = {
      runId: this.runId,
      result,
      source: this.snapshot.source,
      trigger: this.snapshot.trigger ?? 'window',
      startedAt: 1000,
      endedAt: Date.UTC(2025, 0, 15, 9, 5, 0),
      hresult: result === 'failed' ? 0x80070005 : result === 'up-to-date' ? 1 : 0,
      message: result === 'failed' ? verbatim('Access is denied.') : message(`outcome.message.${result}`),
      error: null,
      versionsBefore: versionsWith('1.400.0.0'),
      versionsAfter: result === 'succeeded' || result === 'reboot-required' ? versionsWith('1.401.0.0') : versionsWith('1.400.0.0'),
      updateType: 'http',
      sharedSignatureRoot: null,
      ...extra,
    };
    this.setSnapshot({ ...this.snapshot, phase: result, percent: null, endedAt: outcome.endedAt });
    this.emit({ type: 'finished', outcome });
    return outcome;
  }
}

export class RecordingRunner implements CommandRunner {
  readonly calls: { file: string; args: string[] }[] = [];
  result: CommandResult = { code: 0, stdout: '', stderr: '', error: null };
  run(file: string, args: readonly string[]): Promise<CommandResult> {
    this.calls.push({ file, args: [...args] });
    return Promise.resolve(this.result);
  }
}

export class RecordingExporter implements ExportPort {
  readonly asked: { format: ExportFormat; suggestedName: string }[] = [];
  readonly written: { path: string; contents: string }[] = [];
  answer: string | null = '/tmp/export/history.csv';
  writeError: Error | null = null;
  choosePath(format: ExportFormat, suggestedName: string): Promise<string | null> {
    this.asked.push({ format, suggestedName });
    return Promise.resolve(this.answer);
  }
  writeFile(path: string, contents: string): Promise<void> {
    if (this.writeError) return Promise.reject(this.writeError);
    this.written.push({ path, contents });
    return Promise.resolve();
  }
}

/** The Open dialog of *Update from file…*: answers what the test set (null: the user closed it). */
export class RecordingPackageDialog implements PackageDialogPort {
  opened = 0;
  answer: string | null = null;
  choosePackage(): Promise<string | null> {
    this.opened += 1;
    return Promise.resolve(this.answer);
  }
}

export class RecordingLinks implements LinkPort {
  readonly opened: ExternalLink[] = [];
  open(link: ExternalLink): Promise<void> {
    this.opened.push(link);
    return Promise.resolve();
  }
}

export class RecordingClipboard implements ClipboardPort {
  readonly texts: string[] = [];
  error: Error | null = null;
  writeText(text: string): void {
    if (this.error) throw this.error;
    this.texts.push(text);
  }
}

/** The guarded shell, recorded: what would have been opened. */
export class RecordingShell implements ShellPort {
  readonly opened: string[] = [];
  openWindowsSecurity(): Promise<void> {
    this.opened.push('windowsdefender://threat');
    return Promise.resolve();
  }
  openFile(path: string): Promise<void> {
    this.opened.push(`open ${path}`);
    return Promise.resolve();
  }
  showInFolder(path: string): void {
    this.opened.push(`show ${path}`);
  }
}

/** "Restart as administrator" without Windows: answers as told and counts the prompts. */
export class FakeElevation implements ElevationPort {
  current: ElevationStatus = 'standard';
  answer: RelaunchResult | Error = 'started';
  prompts = 0;
  status(): ElevationStatus {
    return this.current;
  }
  relaunchElevated(): Promise<RelaunchResult> {
    this.prompts += 1;
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}

export function historyEntry(runId: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    runId,
    time: new Date(Date.UTC(2025, 0, 1) + runId * 60_000).toISOString(),
    trigger: 'window',
    source: 'default',
    result: 'succeeded',
    hresult: '0x00000000',
    message: message('outcome.message.succeeded'),
    versionBefore: '1.400.0.0',
    versionAfter: '1.401.0.0',
    ...overrides,
  };
}

/** Lets queued promise callbacks run (no timers involved). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export const SHUTDOWN = 'C:\\Windows\\System32\\shutdown.exe';

/** The shell's ports as recorders, for a controller or a composed app on the real engine (tests and the bench). */
export function recordingShellPorts() {
  return {
    runner: new RecordingRunner(),
    shutdownPath: SHUTDOWN,
    exporter: new RecordingExporter(),
    clipboard: new RecordingClipboard(),
    packageDialog: new RecordingPackageDialog(),
    links: new RecordingLinks(),
    platform: process.platform,
  };
}

export interface Rig {
  controller: AppController;
  engine: FakeEngine;
  scheduler: FakeScheduler;
  settings: MemorySettingsPort;
  history: MemoryHistoryPort;
  runner: RecordingRunner;
  exporter: RecordingExporter;
  clipboard: RecordingClipboard;
  shell: RecordingShell;
  elevation: FakeElevation;
  packageDialog: RecordingPackageDialog;
  links: RecordingLinks;
  events: AppEvent[];
  reminders: number;
  quits: number;
  settingsChanges: EffectiveSettings[];
}

/** A controller on fakes, with every event it sends recorded. */
export function makeRig(
  overrides: Partial<AppControllerOptions> & { engine?: FakeEngine; initialHistory?: HistoryEntry[]; initialSettings?: Partial<Settings> } = {},
): Rig {
  const engine = overrides.engine ?? new FakeEngine();
  const scheduler = new FakeScheduler();
  const settings = createMemorySettings(overrides.initialSettings);
  const history = createMemoryHistory(overrides.initialHistory);
  const runner = new RecordingRunner();
  const exporter = new RecordingExporter();
  const clipboard = new RecordingClipboard();
  const shell = new RecordingShell();
  const elevation = new FakeElevation();
  const packageDialog = new RecordingPackageDialog();
  const links = new RecordingLinks();
  const rig: Rig = {
    engine,
    scheduler,
    settings,
    history,
    runner,
    exporter,
    clipboard,
    shell,
    elevation,
    packageDialog,
    links,
    events: [],
    reminders: 0,
    quits: 0,
    settingsChanges: [],
    controller: undefined as unknown as AppController,
  };
  rig.controller = createAppController({
    engine,
    settings,
    history,
    runner,
    exporter,
    clipboard,
    shell,
    elevation,
    quit: () => {
      rig.quits += 1;
    },
    packageDialog,
    links,
    scheduler,
    shutdownPath: SHUTDOWN,
    appVersion: '0.1.0',
    platform: 'win32',
    onRebootReminder: () => {
      rig.reminders += 1;
    },
    onSettingsChanged: (next) => rig.settingsChanges.push(next),
    ...overrides,
  });
  rig.controller.subscribe((event) => rig.events.push(event));
  return rig;
}
