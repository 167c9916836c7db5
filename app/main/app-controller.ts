/**
 * The app's state and commands, free of Electron: the IPC adapter, the tray, the command line and the browser test
 * harness all drive the same controller. It checks every payload against the contract, runs the command, records
 * finished updates, drives the restart prompt and sends coalesced events.
 */
import type { AppState, HistoryEntry, Notice, Settings } from '../shared/app-state';
import type { CommandChannel } from '../shared/ipc-channels';
import { commandSchemas, type CommandRequest } from '../shared/ipc-schemas';
import type { AppEvent, CommandResponses, IpcError, IpcResult } from '../shared/ipc';
import type { DefenderVersions, EngineEvent, StartOutcome, UpdateOutcome, UpdateSnapshot, UpdateSource, UpdateTrigger } from '../shared/update';
import type { UpdateEngine } from './update/engine-types';
import { createEventCoalescer, FRAME_MS } from './event-coalescer';
import { appendHistory, historyEntryFor, historyToCsv, historyToJson } from './history-format';
import { diagnosticsText } from './diagnostics';
import type { ClipboardPort, CommandRunner, ExportPort, HistoryPort, RebootStorePort, Scheduler, SettingsPort } from './ports';
import { createRebootFlow, restoreRebootState } from './reboot';

export interface AppControllerOptions {
  engine: UpdateEngine;
  settings: SettingsPort;
  history: HistoryPort;
  /** Runs shutdown.exe for the restart prompt (only ever after the user's answer). */
  runner: CommandRunner;
  /** Full path of shutdown.exe. */
  shutdownPath: string;
  exporter: ExportPort;
  /** Where "Copy diagnostics" puts its text. Main writes it: the window is denied the clipboard permission. */
  clipboard: ClipboardPort;
  scheduler: Scheduler;
  appVersion: string;
  platform: string;
  /** Window for coalescing events; FRAME_MS (16) unless a test says otherwise. */
  frameMs?: number;
  /** The "Later" reminder fired: main shows a notification. */
  onRebootReminder?: () => void;
  /** Keeps the restart prompt across app restarts; without it the prompt lives as long as the process. */
  rebootStore?: RebootStorePort;
  /** When Windows booted (epoch ms): a restart needed before then has happened. */
  bootTime?: number;
  /** Settings were saved with new values (auto-check interval, login item, language follow this). */
  onSettingsChanged?: (settings: Settings, previous: Settings) => void;
}

export interface AppController {
  getState(): AppState;
  /** Validates `payload` for `channel` and runs the command. Never throws. */
  dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>>;
  /** Starts (or joins) an update for a caller that is not the window: tray, command line, schedule. */
  startUpdate(trigger: UpdateTrigger, source?: UpdateSource): Promise<IpcResult<StartOutcome>>;
  cancelUpdate(): Promise<IpcResult<CommandResponses['update:cancel']>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Stops listening to the engine, clears timers, waits for pending writes. Does not dispose the engine. */
  dispose(): Promise<void>;
}

/** Notices kept at once; older ones drop off. */
const MAX_NOTICES = 20;
const MAX_MESSAGE = 400;

function isCommandChannel(channel: string): channel is CommandChannel {
  return Object.prototype.hasOwnProperty.call(commandSchemas, channel);
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 1) + '…' : text;
}

function failure(code: IpcError['code'], message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message: clip(message) } };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeChannel(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(clip(channel).slice(0, 80)) : `(${typeof channel})`;
}

function suggestedExportName(format: 'csv' | 'json', now: number): string {
  return `defender-updater-history-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

export function createAppController(options: AppControllerOptions): AppController {
  const { engine, scheduler } = options;
  const listeners = new Set<(event: AppEvent) => void>();
  const pending = new Set<Promise<unknown>>();
  let noticeCounter = 0;

  const settingsLoad = options.settings.load();
  const historyLoad = options.history.load();
  let settings: Settings = settingsLoad.value;
  let history: HistoryEntry[] = historyLoad.value;
  let notices: Notice[] = [settingsLoad.notice, historyLoad.notice].filter((n): n is Notice => n !== null);
  let snapshot: UpdateSnapshot = engine.getSnapshot();
  let lastOutcome: UpdateOutcome | null = null;
  let versions: DefenderVersions | null = null;
  let disposed = false;

  /** Reads Defender's versions in the background; keeps what we had when the query gives nothing. */
  function refreshVersions(): void {
    if (engine.availability.kind !== 'available') return;
    void track(
      engine.readVersions().then(
        (read) => {
          if (disposed || read === null) return;
          versions = read;
          coalescer.stateChanged();
        },
        () => undefined,
      ),
    );
  }

  const emit = (event: AppEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window) must not stop the others.
      }
    }
  };

  function getState(): AppState {
    return {
      appVersion: options.appVersion,
      platform: options.platform,
      availability: engine.availability,
      versions,
      update: snapshot,
      lastOutcome,
      reboot: reboot.state,
      settings: { ...settings },
      notices: [...notices],
    };
  }

  const coalescer = createEventCoalescer({ scheduler, read: getState, emit, frameMs: options.frameMs ?? FRAME_MS });

  const savedReboot = options.rebootStore?.load() ?? { kind: 'none' as const };
  const reboot = createRebootFlow({
    runner: options.runner,
    scheduler,
    shutdownPath: options.shutdownPath,
    initial: restoreRebootState(savedReboot, options.bootTime ?? 0, scheduler.now()),
    onChange: (state) => {
      if (options.rebootStore) track(options.rebootStore.save(state)).catch(() => undefined);
      coalescer.stateChanged();
    },
    onReminder: () => options.onRebootReminder?.(),
  });

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  function addNotice(key: Notice['key'], level: Notice['level'], detail: string): void {
    noticeCounter += 1;
    notices = [...notices, { id: `${key}-${scheduler.now()}-${noticeCounter}`, level, key, detail: clip(detail) }].slice(-MAX_NOTICES);
    coalescer.stateChanged();
  }

  function onFinished(outcome: UpdateOutcome): void {
    lastOutcome = outcome;
    if (outcome.versionsAfter) versions = outcome.versionsAfter;
    else refreshVersions();
    history = appendHistory(history, historyEntryFor(outcome));
    track(options.history.save(history)).catch((error: unknown) =>
      addNotice('history-reset', 'warning', `history could not be saved: ${errorText(error)}`),
    );
    if (outcome.result === 'reboot-required') reboot.markNeeded();
    coalescer.stateChanged();
    coalescer.flush({ type: 'finished', outcome });
  }

  refreshVersions();

  const unsubscribeEngine = engine.subscribe((event: EngineEvent) => {
    if (disposed) return;
    switch (event.type) {
      case 'state':
        snapshot = event.snapshot;
        coalescer.stateChanged();
        break;
      case 'notification':
        coalescer.notification(event.record);
        break;
      case 'finished':
        onFinished(event.outcome);
        break;
    }
  });

  async function startUpdate(trigger: UpdateTrigger, source?: UpdateSource): Promise<IpcResult<StartOutcome>> {
    const availability = engine.availability;
    if (availability.kind !== 'available') return failure('unavailable', availability.message);
    try {
      const value = await engine.start({ source: source ?? settings.source, trigger });
      return { ok: true, value };
    } catch (error) {
      return failure(engine.availability.kind === 'available' ? 'failed' : 'unavailable', errorText(error));
    }
  }

  async function cancelUpdate(): Promise<IpcResult<CommandResponses['update:cancel']>> {
    try {
      return { ok: true, value: await engine.cancel() };
    } catch (error) {
      return failure('failed', errorText(error));
    }
  }

  // Settings changes are applied one at a time so a save failure can put back exactly what was there.
  let settingsQueue: Promise<unknown> = Promise.resolve();
  function setSettings(patch: CommandRequest<'settings:set'>): Promise<IpcResult<Settings>> {
    const run = async (): Promise<IpcResult<Settings>> => {
      const previous = settings;
      const next: Settings = { ...previous };
      for (const [key, value] of Object.entries(patch) as [keyof Settings, Settings[keyof Settings] | undefined][]) {
        if (value !== undefined) (next as Record<keyof Settings, unknown>)[key] = value;
      }
      if ((Object.keys(next) as (keyof Settings)[]).every((key) => next[key] === previous[key])) return { ok: true, value: { ...previous } };
      try {
        await track(options.settings.save(next));
      } catch (error) {
        return failure('failed', `settings could not be saved: ${errorText(error)}`);
      }
      settings = next;
      coalescer.stateChanged();
      try {
        options.onSettingsChanged?.({ ...next }, previous);
      } catch {
        // The setting is saved; a side effect that failed (login item) must not undo it.
      }
      return { ok: true, value: { ...next } };
    };
    const result = settingsQueue.then(run);
    settingsQueue = result.catch(() => undefined);
    return result;
  }

  async function exportHistory(format: 'csv' | 'json'): Promise<IpcResult<CommandResponses['history:export']>> {
    let path: string | null;
    try {
      path = await options.exporter.choosePath(format, suggestedExportName(format, scheduler.now()));
    } catch (error) {
      addNotice('export-failed', 'error', errorText(error));
      return failure('failed', `export failed: ${errorText(error)}`);
    }
    if (path === null) return { ok: true, value: { kind: 'cancelled' } };
    try {
      await track(options.exporter.writeFile(path, format === 'csv' ? historyToCsv(history) : historyToJson(history)));
      return { ok: true, value: { kind: 'saved', path } };
    } catch (error) {
      addNotice('export-failed', 'error', `${path}: ${errorText(error)}`);
      return failure('failed', `export to ${path} failed: ${errorText(error)}`);
    }
  }

  async function copyDiagnostics(): Promise<IpcResult<CommandResponses['diagnostics:copy']>> {
    const text = diagnosticsText(getState(), history, scheduler.now());
    try {
      await options.clipboard.writeText(text);
    } catch (error) {
      return failure('failed', `the clipboard could not be written: ${errorText(error)}`);
    }
    return { ok: true, value: { text } };
  }

  async function answerReboot(answer: CommandRequest<'reboot:answer'>): Promise<IpcResult<CommandResponses['reboot:answer']>> {
    const outcome = await reboot.answer(answer, settings.rebootReminderHours);
    if (outcome.ok) return { ok: true, value: outcome.state };
    if (answer.answer !== 'later' && outcome.state.kind !== 'none') addNotice('restart-failed', 'error', outcome.message);
    return failure('failed', outcome.message);
  }

  /** Runs one validated command. The switch is exhaustive over the contract's channels. */
  async function run<C extends CommandChannel>(channel: C, request: CommandRequest<C>): Promise<IpcResult<unknown>> {
    const c: CommandChannel = channel;
    switch (c) {
      case 'state:get':
        return { ok: true, value: getState() };
      case 'update:start':
        return startUpdate('window', (request as CommandRequest<'update:start'>)?.source);
      case 'update:cancel':
        return cancelUpdate();
      case 'reboot:answer':
        return answerReboot(request as CommandRequest<'reboot:answer'>);
      case 'settings:get':
        return { ok: true, value: { ...settings } };
      case 'settings:set':
        return setSettings(request as CommandRequest<'settings:set'>);
      case 'history:get': {
        const filter = (request as CommandRequest<'history:get'>)?.result;
        // Newest first: the order the window lists them.
        return { ok: true, value: history.filter((entry) => !filter || entry.result === filter).reverse() };
      }
      case 'history:export':
        return exportHistory((request as CommandRequest<'history:export'>).format);
      case 'notice:dismiss': {
        const id = (request as CommandRequest<'notice:dismiss'>).id;
        if (notices.some((notice) => notice.id === id)) {
          notices = notices.filter((notice) => notice.id !== id);
          coalescer.stateChanged();
        }
        return { ok: true, value: null };
      }
      case 'diagnostics:copy':
        return copyDiagnostics();
    }
  }

  async function dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>> {
    try {
      if (typeof channel !== 'string' || !isCommandChannel(channel)) return failure('invalid-payload', `unknown channel ${describeChannel(channel)}`);
      if (disposed) return failure('failed', `${channel}: the app is shutting down`);
      const parsed = commandSchemas[channel].safeParse(payload);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}`)
          .join('; ');
        return failure('invalid-payload', `${channel}: ${problems}`);
      }
      return await run(channel, parsed.data as CommandRequest<typeof channel>);
    } catch (error) {
      return failure('failed', `${describeChannel(channel)}: ${errorText(error)}`);
    }
  }

  return {
    getState,
    dispatch,
    startUpdate: (trigger, source) => (disposed ? Promise.resolve(failure('failed', 'the app is shutting down')) : startUpdate(trigger, source)),
    cancelUpdate,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      unsubscribeEngine();
      coalescer.dispose();
      reboot.dispose();
      listeners.clear();
      await Promise.allSettled([...pending]);
    },
  };
}
