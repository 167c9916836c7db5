/**
 * The small interfaces main's modules are written against, so each can run in plain Node (tests, the browser
 * harness) with fakes, and in Electron with the real thing. Nothing here imports electron.
 */
import type { ExternalLink, HistoryEntry, Notice, RebootState, Settings } from '../shared/app-state';
import type { ResolvedPolicies } from '../shared/policy';

/** An Electron event whose default can be cancelled (a window's `close`, a page's `will-navigate`). */
export interface PreventableEvent {
  preventDefault(): void;
}

/** Opaque timer token: whatever the scheduler's setTimeout returned. */
export type TimerHandle = object | number;

/** Time and timers, injected so tests drive them by hand instead of sleeping. */
export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The longest delay Node's setTimeout takes: past 2^31-1 ms (24.8 days) it warns and fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer made of chunks no longer than MAX_TIMER_MS; `current` is the chunk running now. */
interface ChunkedTimer {
  current: ReturnType<typeof setTimeout>;
}

function chunkedTimeout(callback: () => void, ms: number): ChunkedTimer {
  let remaining = Math.max(0, ms);
  const timer: ChunkedTimer = { current: undefined as unknown as ReturnType<typeof setTimeout> };
  const next = (): void => {
    const chunk = Math.min(remaining, MAX_TIMER_MS);
    remaining -= chunk;
    timer.current = setTimeout(remaining > 0 ? next : callback, chunk);
  };
  next();
  return timer;
}

/** Node's own clock and timers; a delay of any length (a 30-day reminder) fires when it is due, never early. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => chunkedTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout((handle as ChunkedTimer).current),
};

/** What a store found on disk: the value to use, and a notice when the file had to be reset. */
export interface Loaded<T> {
  value: T;
  notice: Notice | null;
}

export interface SettingsPort {
  /** Reads once at start; never throws (a bad file gives defaults and a notice). */
  load(): Loaded<Settings>;
  save(settings: Settings): Promise<void>;
}

export interface HistoryPort {
  /** Oldest first. Never throws. */
  load(): Loaded<HistoryEntry[]>;
  /** Writes the whole list (already trimmed by the caller). */
  save(entries: readonly HistoryEntry[]): Promise<void>;
}

export interface CommandResult {
  /** Exit code; null when the process could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not run (ENOENT, ...), when it could not. */
  error: string | null;
}

/** Runs an external program with an argument vector (never a shell string). */
export interface CommandRunner {
  run(file: string, args: readonly string[]): Promise<CommandResult>;
}

export type ExportFormat = 'csv' | 'json';

/** Where an export goes: a save dialog and a file write in Electron, a temp dir in tests. */
export interface ExportPort {
  /** The chosen path, or null when the user cancelled. */
  choosePath(format: ExportFormat, suggestedName: string): Promise<string | null>;
  writeFile(path: string, contents: string): Promise<void>;
}

/** *Update from file…*: Windows' Open dialog in the app, a preset answer in tests; the window never names the path. */
export interface PackageDialogPort {
  /** The mpam-fe.exe the user chose, or null when the dialog was closed. */
  choosePackage(): Promise<string | null>;
}

/** Opens one of the app's fixed web pages in the browser (security.ts holds the only addresses). */
export interface LinkPort {
  open(link: ExternalLink): Promise<void>;
}

/** The restart prompt's state, kept so a "Later" survives the app restarting. load() never throws. */
export interface RebootStorePort {
  load(): RebootState;
  save(state: RebootState): Promise<void>;
}

/** The system clipboard: Electron's `clipboard` in the app, a recorder in tests and the browser harness. */
export interface ClipboardPort {
  /** Electron 45's clipboard.writeText is asynchronous; a test double may answer at once. */
  writeText(text: string): void | Promise<void>;
}

/** What the organisation's policy keys hold now; `problem` says why some could not be read (a notice, never a crash). */
export interface PolicyRead {
  policies: ResolvedPolicies;
  problem: string | null;
}

/**
 * Group Policy / Intune values: the registry through advapi32 in the app (none off Windows), what the test says in
 * the harness. Read at start and whenever the window gains focus, so it must be quick and must not throw.
 */
export interface PolicyPort {
  read(): PolicyRead;
}
