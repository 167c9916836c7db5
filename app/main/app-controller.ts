/**
 * The app's commands, free of Electron: the IPC adapter, the tray, the command line and the browser test harness all
 * drive the same controller. It checks every payload against the contract, runs the command from a table that the
 * contract types check (request in, response out), records finished updates, drives the restart prompt and sends
 * coalesced events. The state the window sees is assembled in state-assembly.ts.
 */
import { eventForOutcome, type EventRecord } from './event-log/event-record';
import type { AppState, EffectiveSettings, HistoryEntry, ScheduleStatus, Settings } from '../shared/app-state';
import type { CommandChannel } from '../shared/ipc-channels';
import { commandSchemas, type CommandRequest } from '../shared/ipc-schemas';
import type { AppEvent, CommandResponses, IpcResult, PackageChoice } from '../shared/ipc';
import { clipMessage, fail, messageOf, ok } from '../shared/ipc-result';
import { message, renderMessage, resolveLanguage, type Lang } from '../shared/messages';
import {
  isActivePhase,
  type DefenderVersions,
  type EngineEvent,
  type OfflineJob,
  type StartOutcome,
  type UpdateOutcome,
  type UpdateResult,
  type UpdateSource,
  type UpdateTrigger,
} from '../shared/update';
import type { z } from 'zod';
import type { UpdateEngine } from './update/engine-types';
import { createEventCoalescer, FRAME_MS } from './event-coalescer';
import { appendHistory, historyEntryFor, historyToCsv, historyToJson } from './history-format';
import { diagnosticsText } from './diagnostics';
import type {
  ClipboardPort,
  CommandRunner,
  ExportPort,
  HistoryPort,
  LinkPort,
  PackageDialogPort,
  PolicyPort,
  RebootStorePort,
  Scheduler,
  SettingsPort,
} from './ports';
import { createRebootFlow, restoreRebootState } from './reboot';
import type { ElevationPort } from './elevation';
import type { ShellPort } from './security';
import { createStateAssembly } from './state-assembly';
import { managedConflict, NO_POLICIES, samePolicies, sourceRefusal } from './policy/effective-settings';
import { createWindowActions } from './window-actions';

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
  /** *Update from file…*'s Open dialog. */
  packageDialog: PackageDialogPort;
  /** The browser, for the app's fixed links (the package download page). */
  links: LinkPort;
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
  /** Settles when an engine that was still connecting has arrived (EngineHolder.ready): Defender's versions are read then. */
  engineReady?: Promise<void>;
  /**
   * The settings in force changed, saved by the user or set by a policy (auto-check interval, login item, language
   * follow this).
   */
  onSettingsChanged?: (settings: EffectiveSettings, previous: EffectiveSettings) => void;
  /** The organisation's policies (Group Policy, Intune); none when absent. Read at start and by `rereadPolicies`. */
  policies?: PolicyPort;
  /** The system's language (Electron: app.getLocale()), which the "system" language setting follows; English if absent. */
  systemLocale?: () => string;
  /** The automatic check's last and next time, for the window; its changes are announced to `subscribe`. */
  schedule?: ScheduleSource;
  /** "Restart as administrator"; absent where the app cannot relaunch itself (the state then says `unsupported`). */
  elevation?: ElevationPort;
  /** Windows Security and the exported file, through the guarded shell (security.ts); absent in tests. */
  shell?: ShellPort;
  /** Quits the app (after "Restart as administrator" started the elevated one). */
  quit?: () => void;
  /** Writes an update's result to the Windows Application log for the organisation's collector; never throws. */
  writeEvent?: (record: EventRecord) => Promise<unknown>;
}

export interface ScheduleSource {
  status(): ScheduleStatus;
  /** Calls the listener after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

const NO_SCHEDULE: ScheduleStatus = { lastCheckAt: null, nextCheckAt: null };

export interface AppController {
  getState(): AppState;
  /** Validates `payload` for `channel` and runs the command. Never throws. */
  dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>>;
  /** Reads Defender's versions now and shows them; null when they cannot be read (the freshness watch looks hourly). */
  refreshVersions(): Promise<DefenderVersions | null>;
  /** How the newest `count` updates in history ended, newest first. */
  recentResults(count: number): UpdateResult[];
  /** Starts (or joins) an update for a caller that is not the window: tray, command line, schedule. */
  startUpdate(trigger: UpdateTrigger, source?: UpdateSource): Promise<IpcResult<StartOutcome>>;
  cancelUpdate(): Promise<IpcResult<CommandResponses['update:cancel']>>;
  /**
   * Reads the policies again (the window gained focus); when anything changed the window gets a whole state, and the
   * settings in force follow. True when something changed.
   */
  rereadPolicies(): boolean;
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Stops listening to the engine, clears timers, waits for pending writes. Does not dispose the engine. */
  dispose(): Promise<void>;
}

/** One handler per command of the contract: a command missing here, or answering the wrong type, does not compile. */
export type CommandTable = { [C in CommandChannel]: (request: CommandRequest<C>) => Promise<IpcResult<CommandResponses[C]>> };

/** The contract's schemas, seen per channel, so a parsed payload has its own channel's request type. */
const requestSchemas: { [C in CommandChannel]: z.ZodType<CommandRequest<C>> } = commandSchemas;

function isCommandChannel(channel: string): channel is CommandChannel {
  return Object.prototype.hasOwnProperty.call(commandSchemas, channel);
}

function describeChannel(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(clipMessage(channel).slice(0, 80)) : `(${typeof channel})`;
}

function parseRequest<C extends CommandChannel>(channel: C, payload: unknown): IpcResult<CommandRequest<C>> {
  const schema: z.ZodType<CommandRequest<C>> = requestSchemas[channel];
  const parsed = schema.safeParse(payload);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}`)
    .join('; ');
  return fail('invalid-payload', `${channel}: ${problems}`);
}

async function runCommand<C extends CommandChannel>(commands: CommandTable, channel: C, payload: unknown): Promise<IpcResult<CommandResponses[C]>> {
  const request = parseRequest(channel, payload);
  return request.ok ? commands[channel](request.value) : request;
}

function suggestedExportName(format: 'csv' | 'json', now: number): string {
  return `defender-updater-history-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

export function createAppController(options: AppControllerOptions): AppController {
  const { engine, scheduler } = options;
  const listeners = new Set<(event: AppEvent) => void>();
  const pending = new Set<Promise<unknown>>();
  let disposed = false;

  const settingsLoad = options.settings.load();
  const historyLoad = options.history.load();
  const policyRead = readPolicies();
  let history: HistoryEntry[] = historyLoad.value;

  const emit = (event: AppEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window) must not stop the others.
      }
    }
  };

  const state = createStateAssembly(
    {
      appVersion: options.appVersion,
      platform: options.platform,
      availability: () => engine.availability,
      reboot: () => reboot.state,
      schedule: () => options.schedule?.status() ?? NO_SCHEDULE,
      elevation: () => options.elevation?.status() ?? 'unsupported',
      now: () => scheduler.now(),
      onChange: () => coalescer.stateChanged(),
    },
    {
      settings: settingsLoad.value,
      policies: policyRead.policies,
      snapshot: engine.getSnapshot(),
      notices: [settingsLoad.notice, historyLoad.notice].filter((notice) => notice !== null),
    },
  );
  let policyProblem: string | null = null;

  /** The port never throws by contract; a broken one still only costs the policies, never the app. */
  function readPolicies(): { policies: typeof NO_POLICIES; problem: string | null } {
    if (!options.policies) return { policies: NO_POLICIES, problem: null };
    try {
      return options.policies.read();
    } catch (error) {
      return { policies: NO_POLICIES, problem: messageOf(error) };
    }
  }

  /** One notice per distinct problem: a read that fails on every focus must not pile notices up; a good read clears it. */
  function notePolicyProblem(problem: string | null): void {
    if (problem !== null && problem !== policyProblem) state.addNotice('policies-unreadable', 'warning', problem);
    if (problem === null && policyProblem !== null)
      for (const notice of state.read().notices) if (notice.key === 'policies-unreadable') state.dismissNotice(notice.id);
    policyProblem = problem;
  }

  function rereadPolicies(): boolean {
    const read = readPolicies();
    notePolicyProblem(read.problem);
    // A read that went wrong (a registry or koffi failure on one focus) keeps the policies last read in force: it must
    // not unlock managed settings, Cancel or the tray icon until the next good read.
    if (read.problem !== null) return false;
    if (samePolicies(read.policies, state.policies)) return false;
    const previous = state.settings;
    state.setPolicies(read.policies);
    const next = state.settings;
    if ((Object.keys(next) as (keyof EffectiveSettings)[]).some((key) => next[key] !== previous[key])) {
      try {
        options.onSettingsChanged?.({ ...next }, previous);
      } catch {
        // The policy applies to the window anyway; a side effect that failed must not stop it.
      }
    }
    return true;
  }
  const coalescer = createEventCoalescer({ scheduler, read: state.read, emit, frameMs: options.frameMs ?? FRAME_MS });
  notePolicyProblem(policyRead.problem);

  const reboot = createRebootFlow({
    runner: options.runner,
    scheduler,
    shutdownPath: options.shutdownPath,
    initial: restoreRebootState(options.rebootStore?.load() ?? { kind: 'none' }, options.bootTime ?? 0, scheduler.now()),
    onChange: (next) => {
      if (options.rebootStore) track(options.rebootStore.save(next)).catch(() => undefined);
      coalescer.stateChanged();
    },
    onReminder: () => options.onRebootReminder?.(),
  });

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  // Callers that ask while a read is out share its answer: the engine asks Defender one question at a time and
  // answers a second asker with null, which would read as "versions unknown" (the freshness watch at start did).
  let versionsRead: Promise<DefenderVersions | null> | null = null;
  /** Reads Defender's versions; keeps what we had when the query gives nothing. */
  function refreshVersions(): Promise<DefenderVersions | null> {
    if (engine.availability.kind !== 'available') return Promise.resolve(null);
    versionsRead ??= track(
      engine.readVersions().then(
        (read) => {
          if (!disposed && read !== null) state.setVersions(read);
          return read;
        },
        () => null,
      ),
    ).finally(() => (versionsRead = null));
    return versionsRead;
  }

  function onFinished(outcome: UpdateOutcome): void {
    state.recordOutcome(outcome);
    if (options.writeEvent) track(options.writeEvent(eventForOutcome(outcome, { appVersion: options.appVersion }))).catch(() => undefined);
    if (!outcome.versionsAfter) void refreshVersions();
    history = appendHistory(history, historyEntryFor(outcome));
    track(options.history.save(history)).catch((error: unknown) => state.addNotice('history-not-saved', 'warning', messageOf(error)));
    if (outcome.result === 'reboot-required') reboot.markNeeded();
    coalescer.flush({ type: 'finished', outcome });
  }

  void refreshVersions();
  void options.engineReady?.then(() => {
    if (!disposed) void refreshVersions();
  });
  const unsubscribeSchedule = options.schedule?.subscribe(() => coalescer.stateChanged()) ?? (() => undefined);

  // The engine arrives after the window while Defender takes its time ("connecting"): that is news for the whole state.
  let availability = engine.availability.kind;
  const unsubscribeEngine = engine.subscribe((event: EngineEvent) => {
    if (disposed) return;
    switch (event.type) {
      case 'progress':
        state.setSnapshot(event.snapshot);
        coalescer.progress(event);
        if (engine.availability.kind !== availability) {
          availability = engine.availability.kind;
          coalescer.stateChanged();
        }
        break;
      case 'finished':
        onFinished(event.outcome);
        break;
    }
  });

  /** The window's language: what main says (an export, a refusal) reads the same as the window around it. */
  const language = (): Lang => resolveLanguage(state.settings.language, options.systemLocale?.());

  async function startUpdate(trigger: UpdateTrigger, source?: UpdateSource): Promise<IpcResult<StartOutcome>> {
    const availability = engine.availability;
    if (availability.kind === 'connecting') return fail('unavailable', renderMessage(language(), message('defender.notAnsweredYet')));
    if (availability.kind !== 'available') return fail('unavailable', renderMessage(language(), availability.message));
    // A source the window names (a retry with another source) must still be one the organisation allows.
    const refusal = source === undefined ? null : sourceRefusal(source, state.policies.values);
    if (refusal) return fail('managed', renderMessage(language(), refusal));
    const chosen = source ?? state.settings.source;
    // The file-share source with a folder named in Settings goes through MpCmdRun (-SignatureUpdate -UNC -Path), which
    // checks the folder again as it starts; without one, MpClient uses the shares Windows is set up with.
    const path = chosen === 'file-share' ? state.settings.sharePath : '';
    return start({ source: chosen, trigger, ...(path ? { offline: { kind: 'folder', path } } : {}) });
  }

  async function start(request: Parameters<UpdateEngine['start']>[0]): Promise<IpcResult<StartOutcome>> {
    try {
      return ok(await engine.start(request));
    } catch (error) {
      return fail(engine.availability.kind === 'available' ? 'failed' : 'unavailable', messageOf(error));
    }
  }

  /**
   * A package or a repair the user just asked for: refused while another update runs (joining it would quietly drop
   * their file), and checked before it starts, so a text file is refused at once rather than failing as an update.
   */
  async function startOffline(job: OfflineJob): Promise<IpcResult<StartOutcome>> {
    const availability = engine.availability;
    if (availability.kind === 'connecting') return fail('unavailable', renderMessage(language(), message('defender.notAnsweredYet')));
    if (availability.kind !== 'available') return fail('unavailable', renderMessage(language(), availability.message));
    if (isActivePhase(engine.getSnapshot().phase)) return fail('busy', 'another update is running; try again when it has finished');
    const check = await engine.checkOffline(job);
    if (!check.ok)
      return fail(check.refusal.kind === 'tool-missing' ? 'unavailable' : 'invalid-input', renderMessage(language(), check.refusal.message));
    // A package is a file-share update; a repair's update after the removal uses the chosen source.
    return start({ source: job.kind === 'repair' ? state.settings.source : 'file-share', trigger: 'window', offline: check.job });
  }

  async function choosePackage(): Promise<IpcResult<PackageChoice>> {
    if (isActivePhase(engine.getSnapshot().phase)) return fail('busy', 'another update is running; try again when it has finished');
    let file: string | null;
    try {
      file = await options.packageDialog.choosePackage();
    } catch (error) {
      return fail('failed', `the Open dialog failed: ${messageOf(error)}`);
    }
    if (file === null) return ok({ kind: 'cancelled' });
    const started = await startOffline({ kind: 'package', file });
    return started.ok ? ok({ kind: 'started', start: started.value }) : started;
  }

  async function openLink(link: CommandRequest<'link:open'>['link']): Promise<IpcResult<null>> {
    try {
      await options.links.open(link);
      return ok(null);
    } catch (error) {
      return fail('failed', `the page could not be opened: ${messageOf(error)}`);
    }
  }

  async function cancelUpdate(): Promise<IpcResult<CommandResponses['update:cancel']>> {
    if (!state.applied.policy.allowCancel) return fail('managed', renderMessage(language(), message('policy.refused.cancel')));
    try {
      return ok(await engine.cancel());
    } catch (error) {
      return fail('failed', messageOf(error));
    }
  }

  /** The file the last export wrote: the one file "Open file" and "Show in folder" may open. */
  let lastExport: string | null = null;

  // Settings changes are applied one at a time so a save failure can put back exactly what was there.
  let settingsQueue: Promise<unknown> = Promise.resolve();
  function setSettings(patch: CommandRequest<'settings:set'>): Promise<IpcResult<EffectiveSettings>> {
    const run = async (): Promise<IpcResult<EffectiveSettings>> => {
      // A setting the organisation manages is refused, naming the policy, rather than saved beneath it: the window
      // never offers it, so a request for it is a mistake the sender should hear about.
      const conflict = managedConflict(patch, state.applied);
      if (conflict) return fail('managed', renderMessage(language(), message('policy.refused.setting', { policy: conflict.policy })));
      const previous = state.userSettings;
      const previousInForce = state.settings;
      const next: Settings = { ...previous };
      for (const [key, value] of Object.entries(patch) as [keyof Settings, Settings[keyof Settings] | undefined][]) {
        // A managed value repeated as it is in force is no change of the user's own.
        if (value !== undefined && !state.applied.policy.managed[key]) (next as Record<keyof Settings, unknown>)[key] = value;
      }
      if ((Object.keys(next) as (keyof Settings)[]).every((key) => next[key] === previous[key])) return ok({ ...state.settings });
      if (next.sharePath !== previous.sharePath && next.sharePath.trim()) {
        // Checked when saved (and again when run): the folder must hold x64\mpam-fe.exe; one ending in x64 is kept
        // as its parent, which is what MpCmdRun must be given.
        const check = await engine.checkOffline({ kind: 'folder', path: next.sharePath });
        if (!check.ok)
          return fail(check.refusal.kind === 'tool-missing' ? 'unavailable' : 'invalid-input', renderMessage(language(), check.refusal.message));
        if (check.job.kind === 'folder') next.sharePath = check.job.path;
      } else next.sharePath = next.sharePath.trim();
      try {
        await track(options.settings.save(next));
      } catch (error) {
        return fail('failed', `settings could not be saved: ${messageOf(error)}`);
      }
      state.setSettings(next);
      try {
        options.onSettingsChanged?.({ ...state.settings }, previousInForce);
      } catch {
        // The setting is saved; a side effect that failed (login item) must not undo it.
      }
      return ok({ ...state.settings });
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
      state.addNotice('export-failed', 'error', messageOf(error));
      return fail('failed', `export failed: ${messageOf(error)}`);
    }
    if (path === null) return ok({ kind: 'cancelled' });
    try {
      const lang = language();
      await track(options.exporter.writeFile(path, format === 'csv' ? historyToCsv(history, lang) : historyToJson(history, lang)));
      lastExport = path;
      return ok({ kind: 'saved', path });
    } catch (error) {
      state.addNotice('export-failed', 'error', `${path}: ${messageOf(error)}`);
      return fail('failed', `export to ${path} failed: ${messageOf(error)}`);
    }
  }

  async function copyDiagnostics(): Promise<IpcResult<CommandResponses['diagnostics:copy']>> {
    const text = diagnosticsText(state.read(), history, scheduler.now());
    try {
      await options.clipboard.writeText(text);
    } catch (error) {
      return fail('failed', `the clipboard could not be written: ${messageOf(error)}`);
    }
    return ok({ text });
  }

  async function answerReboot(answer: CommandRequest<'reboot:answer'>): Promise<IpcResult<CommandResponses['reboot:answer']>> {
    const result = await reboot.answer(answer, state.settings.rebootReminderHours);
    // A refused "Later" says enough in the window; a failed restart (or abort) also stays as a notice.
    if (!result.ok && answer.answer !== 'later' && reboot.state.kind !== 'none') state.addNotice('restart-failed', 'error', result.error.message);
    return result;
  }

  const commands = {
    'state:get': () => Promise.resolve(ok(state.read())),
    'update:start': (request) => startUpdate('window', request?.source),
    'update:cancel': cancelUpdate,
    'reboot:answer': answerReboot,
    'settings:get': () => Promise.resolve(ok({ ...state.settings })),
    'settings:set': setSettings,
    // Newest first: the order the window lists them.
    'history:get': (request) => Promise.resolve(ok(history.filter((entry) => !request?.result || entry.result === request.result).reverse())),
    'history:export': (request) => exportHistory(request.format),
    'notice:dismiss': (request) => {
      state.dismissNotice(request.id);
      return Promise.resolve(ok(null));
    },
    'diagnostics:copy': copyDiagnostics,
    ...createWindowActions({
      engine,
      scheduler,
      elevation: options.elevation,
      shell: options.shell,
      quit: options.quit,
      language,
      lastExport: () => lastExport,
      refreshVersions: () => void refreshVersions(),
      stateChanged: () => coalescer.stateChanged(),
    }),
    'update:package': (request) => startOffline({ kind: 'package', file: request.file }),
    'update:choose-package': choosePackage,
    'update:repair': (request) => startOffline({ kind: 'repair', all: request.all }),
    'link:open': (request) => openLink(request.link),
  } satisfies CommandTable;

  async function dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>> {
    try {
      if (typeof channel !== 'string' || !isCommandChannel(channel)) return fail('invalid-payload', `unknown channel ${describeChannel(channel)}`);
      if (disposed) return fail('failed', `${channel}: the app is shutting down`);
      return await runCommand(commands, channel, payload);
    } catch (error) {
      return fail('failed', `${describeChannel(channel)}: ${messageOf(error)}`);
    }
  }

  return {
    getState: state.read,
    dispatch,
    refreshVersions: () => (disposed ? Promise.resolve(null) : refreshVersions()),
    recentResults: (count) =>
      history
        .slice(-count)
        .reverse()
        .map((entry) => entry.result),
    startUpdate: (trigger, source) => (disposed ? Promise.resolve(fail('failed', 'the app is shutting down')) : startUpdate(trigger, source)),
    cancelUpdate,
    rereadPolicies: () => (disposed ? false : rereadPolicies()),
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
      unsubscribeSchedule();
      coalescer.dispose();
      reboot.dispose();
      listeners.clear();
      await Promise.allSettled([...pending]);
    },
  };
}
