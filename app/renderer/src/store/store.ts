/**
 * The one store: an app slice (main's snapshot and the event log, fed only by getState and events) and a UI slice
 * (view, pending actions, visible problems, history), combined once. Actions call the bridge and turn `{ok:false}`
 * into a visible, translated problem.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { AppState, EffectiveSettings, HistoryEntry } from '../../../shared/app-state';
import type { AppEvent, DefenderApi, DroppedFile, ExportOutcome, IpcError, IpcErrorCode, IpcResult } from '../../../shared/ipc';
import type { RebootAnswer, SettingsPatch } from '../../../shared/ipc-schemas';
import type { NotificationRecord, UpdateError, UpdateResult, UpdateSource } from '../../../shared/update';
import { formatHresult } from '../../../shared/hresult';
import { appendBounded, emptyFold, foldEvent, frameScheduler, LOG_LIMIT, type EventFold, type Scheduler } from './event-fold';

export type View = 'home' | 'history' | 'settings';
export type ProblemAction =
  | 'load'
  | 'start'
  | 'cancel'
  | 'reboot'
  | 'settings'
  | 'history'
  | 'export'
  | 'notice'
  | 'diagnostics'
  | 'elevate'
  | 'recheck'
  | 'security'
  | 'openExport'
  | 'package'
  | 'repair'
  | 'link';
export type HistoryFilter = UpdateResult | 'all';

export interface Problem {
  id: number;
  action: ProblemAction;
  code: IpcErrorCode;
  message: string;
}

export interface AppSlice {
  /** Main's snapshot; null until the first getState answer or state event. */
  app: AppState | null;
  /** The last LOG_LIMIT notification records of the current run. */
  log: NotificationRecord[];
  /** Number of state events applied, so a slow getState answer never overwrites a newer event. */
  stateSeq: number;
  /**
   * The newest history entry when the window connected: after a restart it is the only record of how the last update
   * ended (main's snapshot starts with no outcome), so the status header can still say it failed.
   */
  newestRun: HistoryEntry | null;
  /** How the newest few updates ended, newest first (history at connect, then each outcome): repeated failures. */
  recentResults: RecentResult[];
  applyEvents: (fold: EventFold) => void;
  load: () => Promise<void>;
  loadNewestRun: () => Promise<void>;
}

export interface UiSlice {
  view: View;
  /** The id of the element the view just opened should focus (Change → the source field); null when none. */
  focusTarget: string | null;
  problem: Problem | null;
  pending: { start: boolean; cancel: boolean; reboot: boolean; export: boolean; elevate: boolean; recheck: boolean; offline: boolean };
  /** The UAC prompt of "Restart as administrator" was declined (shown under the button until the next try). */
  elevationDeclined: boolean;
  cancelRefusal: UpdateError | null;
  history: { filter: HistoryFilter; entries: HistoryEntry[] | null; exported: ExportOutcome | null };
  /** Opens a view; `focus` names the element in it that takes the keyboard focus. */
  setView: (view: View, focus?: string) => void;
  /** The view has focused its target. */
  focusDone: () => void;
  dismissProblem: () => void;
  startUpdate: (source?: UpdateSource) => Promise<void>;
  cancelUpdate: () => Promise<void>;
  answerReboot: (answer: RebootAnswer) => Promise<void>;
  saveSettings: (patch: SettingsPatch) => Promise<EffectiveSettings | null>;
  loadHistory: (filter?: HistoryFilter) => Promise<void>;
  exportHistory: (format: 'csv' | 'json') => Promise<void>;
  dismissNotice: (id: string) => Promise<void>;
  /** Main builds the diagnostics block and writes the clipboard; true when it did. */
  copyDiagnostics: () => Promise<boolean>;
  /** Relaunches the app as administrator with --update; this window goes away if Windows starts it. */
  restartElevated: () => Promise<void>;
  /** Looks for Defender again (its availability arrives with the state). */
  recheckAvailability: () => Promise<void>;
  openWindowsSecurity: () => Promise<void>;
  /** Opens the file the last export wrote, or shows it in its folder. */
  openExport: (how: 'file' | 'folder') => Promise<void>;
  /** *Update from file…*: main's Open dialog, then MpCmdRun on the chosen package. */
  updateFromFile: () => Promise<void>;
  /** A file dropped on the window; its path goes from the preload to main, never through the page. */
  updateFromDroppedFile: (file: DroppedFile) => Promise<void>;
  /** MpCmdRun -RemoveDefinitions (-All), then an update; true when it started. */
  repair: (all: boolean) => Promise<boolean>;
  openDownloadPage: () => Promise<void>;
}

export type Store = AppSlice & UiSlice;
export type AppStore = StoreApi<Store>;

let problemIds = 0;
const RECENT = 5;

export type RecentResult = Pick<HistoryEntry, 'result' | 'hresult'>;

function problemFrom(action: ProblemAction, error: IpcError): Problem {
  return { id: ++problemIds, action, code: error.code, message: error.message };
}

/** Runs a bridge call; a failure (or a rejected promise, which the bridge should never produce) becomes a problem. */
async function call<T>(set: StoreApi<Store>['setState'], action: ProblemAction, run: () => Promise<IpcResult<T>>): Promise<T | undefined> {
  let result: IpcResult<T>;
  try {
    result = await run();
  } catch (error) {
    result = { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
  if (result.ok) return result.value;
  set({ problem: problemFrom(action, result.error) });
  return undefined;
}

const createAppSlice =
  (api: DefenderApi): StateCreator<Store, [], [], AppSlice> =>
  (set, get) => ({
    app: null,
    log: [],
    stateSeq: 0,
    newestRun: null,
    recentResults: [],
    applyEvents(fold) {
      set((s) => {
        let app = fold.state ?? s.app;
        if (fold.update && app) app = { ...app, update: fold.update };
        if (fold.outcome && app) app = { ...app, lastOutcome: fold.outcome };
        // A new run starts a new log.
        const newRun = app && s.app && app.update.runId !== s.app.update.runId;
        const log = fold.records.length ? appendBounded(newRun ? [] : s.log, fold.records, LOG_LIMIT) : newRun ? [] : s.log;
        return {
          app,
          log,
          // A progress event before any state has nothing to apply to: it must not make load() drop its answer.
          stateSeq: s.stateSeq + (fold.state || (fold.update && s.app) ? 1 : 0),
          cancelRefusal: newRun ? null : s.cancelRefusal,
        };
      });
      if (fold.outcome && get().history.entries) void get().loadHistory();
      const outcome = fold.outcome;
      if (outcome)
        set((s) => ({ recentResults: [{ result: outcome.result, hresult: formatHresult(outcome.hresult) }, ...s.recentResults].slice(0, RECENT) }));
    },
    async load() {
      const seq = get().stateSeq;
      const state = await call(set, 'load', () => api.getState());
      if (state && get().stateSeq === seq) set({ app: state });
    },
    async loadNewestRun() {
      // Main answers newest first.
      const entries = await call(set, 'history', () => api.getHistory());
      if (entries)
        set({ newestRun: entries[0] ?? null, recentResults: entries.slice(0, RECENT).map(({ result, hresult }) => ({ result, hresult })) });
    },
  });

const createUiSlice =
  (api: DefenderApi): StateCreator<Store, [], [], UiSlice> =>
  (set, get) => {
    const pending = (key: keyof UiSlice['pending'], value: boolean) => set((s) => ({ pending: { ...s.pending, [key]: value } }));
    /** One offline request at a time, as for Update: the button says it is on its way. */
    const offline = async <T>(action: ProblemAction, run: () => Promise<IpcResult<T>>): Promise<T | undefined> => {
      if (get().pending.offline) return undefined;
      pending('offline', true);
      set({ problem: null });
      const value = await call(set, action, run);
      pending('offline', false);
      return value;
    };
    return {
      view: 'home',
      focusTarget: null,
      problem: null,
      pending: { start: false, cancel: false, reboot: false, export: false, elevate: false, recheck: false, offline: false },
      elevationDeclined: false,
      cancelRefusal: null,
      history: { filter: 'all', entries: null, exported: null },
      setView: (view, focus) => set({ view, focusTarget: focus ?? null }),
      focusDone: () => set({ focusTarget: null }),
      dismissProblem: () => set({ problem: null }),
      async startUpdate(source) {
        if (get().pending.start) return;
        pending('start', true);
        set({ problem: null, cancelRefusal: null });
        await call(set, 'start', () => api.startUpdate(source ? { source } : undefined));
        pending('start', false);
      },
      async cancelUpdate() {
        if (get().pending.cancel) return;
        pending('cancel', true);
        const outcome = await call(set, 'cancel', () => api.cancelUpdate());
        if (outcome?.kind === 'refused') set({ cancelRefusal: outcome.error });
        pending('cancel', false);
      },
      async answerReboot(answer) {
        pending('reboot', true);
        const reboot = await call(set, 'reboot', () => api.answerReboot(answer));
        if (reboot) set((s) => (s.app ? { app: { ...s.app, reboot } } : {}));
        pending('reboot', false);
      },
      async saveSettings(patch) {
        const seq = get().stateSeq;
        const settings = await call(set, 'settings', () => api.setSettings(patch));
        if (!settings) return null;
        // A state event that came meanwhile is newer than this answer (a policy read again on focus may have changed
        // what is in force): the answer must not put back settings the state already replaced.
        if (get().stateSeq === seq) set((s) => (s.app ? { app: { ...s.app, settings } } : {}));
        return settings;
      },
      async loadHistory(filter = get().history.filter) {
        set((s) => ({ history: { ...s.history, filter } }));
        const entries = await call(set, 'history', () => api.getHistory(filter === 'all' ? undefined : { result: filter }));
        // A later filter change wins over a slower earlier answer.
        if (entries && get().history.filter === filter) set((s) => ({ history: { ...s.history, entries } }));
      },
      async exportHistory(format) {
        pending('export', true);
        set((s) => ({ history: { ...s.history, exported: null } }));
        const exported = await call(set, 'export', () => api.exportHistory({ format }));
        if (exported) set((s) => ({ history: { ...s.history, exported } }));
        pending('export', false);
      },
      async dismissNotice(id) {
        set((s) => (s.app ? { app: { ...s.app, notices: s.app.notices.filter((n) => n.id !== id) } } : {}));
        await call(set, 'notice', () => api.dismissNotice({ id }));
      },
      async copyDiagnostics() {
        set((s) => (s.problem?.action === 'diagnostics' ? { problem: null } : {}));
        return (await call(set, 'diagnostics', () => api.copyDiagnostics())) !== undefined;
      },
      async restartElevated() {
        if (get().pending.elevate) return;
        pending('elevate', true);
        set({ elevationDeclined: false });
        const outcome = await call(set, 'elevate', () => api.restartElevated());
        if (outcome?.kind === 'declined') set({ elevationDeclined: true });
        pending('elevate', false);
      },
      async recheckAvailability() {
        if (get().pending.recheck) return;
        pending('recheck', true);
        const availability = await call(set, 'recheck', () => api.recheckAvailability());
        if (availability) set((s) => (s.app ? { app: { ...s.app, availability } } : {}));
        pending('recheck', false);
      },
      async openWindowsSecurity() {
        await call(set, 'security', () => api.openWindowsSecurity());
      },
      async openExport(how) {
        const exported = get().history.exported;
        if (exported?.kind !== 'saved') return;
        await call(set, 'openExport', () => api.openExport({ path: exported.path, how }));
      },
      async updateFromFile() {
        await offline('package', () => api.chooseUpdatePackage());
      },
      async updateFromDroppedFile(file) {
        await offline('package', () => api.updateFromDroppedFile(file));
      },
      async repair(all) {
        return (await offline('repair', () => api.repair({ all }))) !== undefined;
      },
      async openDownloadPage() {
        await call(set, 'link', () => api.openLink({ link: 'package-download' }));
      },
    };
  };

export function createAppStore(api: DefenderApi): AppStore {
  return createStore<Store>()((...a) => ({ ...createAppSlice(api)(...a), ...createUiSlice(api)(...a) }));
}

/**
 * Subscribes the store to the bridge's events (folded, applied at most once per frame), then asks for the snapshot.
 * Subscribing first means no event between the two is lost. Returns the unsubscribe function.
 */
export function connectStore(store: AppStore, api: DefenderApi, schedule: Scheduler = frameScheduler): () => void {
  let fold = emptyFold();
  let scheduled = false;
  let cancelScheduled = () => {};
  const flush = () => {
    scheduled = false;
    const batch = fold;
    fold = emptyFold();
    store.getState().applyEvents(batch);
  };
  const off = api.onEvent((event: AppEvent) => {
    foldEvent(fold, event);
    if (scheduled) return;
    scheduled = true;
    cancelScheduled = schedule(flush);
  });
  void store.getState().load();
  void store.getState().loadNewestRun();
  return () => {
    off();
    cancelScheduled();
  };
}
