/**
 * The restart prompt. Defender sometimes needs a restart to finish an update; we ask, and only a click runs
 * `shutdown.exe`. Restart now schedules the restart 60 s out (so it can still be aborted with `shutdown /a`);
 * Later sets a reminder that raises the prompt again.
 */
import type { RebootState } from '../shared/app-state';
import type { IpcResult } from '../shared/ipc';
import { fail, ok } from '../shared/ipc-result';
import type { RebootAnswer } from '../shared/ipc-schemas';
import type { CommandResult, CommandRunner, Scheduler, TimerHandle } from './ports';

/** Seconds `shutdown /r /t` waits: long enough to save work or abort. */
export const RESTART_DELAY_SECONDS = 60;
const RESTART_DELAY_MS = RESTART_DELAY_SECONDS * 1000;
/**
 * How long past the scheduled time the app may still be running while Windows closes everything (an app that asks to
 * save can hold the restart up). Still running after that, the restart was aborted: `shutdown /a`, the app itself
 * suggests it.
 */
export const RESTART_GRACE_MS = 2 * 60_000;
/** `shutdown /a` with nothing to abort exits with ERROR_SHUTDOWN_NOT_IN_PROGRESS and prints it as "(1116)". */
const ERROR_SHUTDOWN_NOT_IN_PROGRESS = 1116;
export const RESTART_COMMENT = 'Defender Updater: restarting to finish the Microsoft Defender update. Run "shutdown /a" to cancel.';

export interface RebootFlowOptions {
  runner: CommandRunner;
  scheduler: Scheduler;
  /** Full path of shutdown.exe (System32), so a shutdown.exe elsewhere on PATH is never picked up. */
  shutdownPath: string;
  /** Called after every change of state. */
  onChange(state: RebootState): void;
  /** The reminder after "Later" fired: ask again (notification, tray). */
  onReminder(): void;
  /** Where the last run of the app left off (see restoreRebootState); none when omitted. */
  initial?: RebootState;
}

/**
 * What a saved restart state means now. A restart that was needed before Windows last booted has happened; a
 * scheduled restart whose time has passed (with the grace) without a boot was aborted outside the app, so it is needed
 * again. A restart time further ahead than shutdown's own delay was never ours (the clock was changed, or the file
 * damaged): not scheduled, so asked for again. `bootTime` is when Windows started (epoch ms).
 */
export function restoreRebootState(saved: RebootState, bootTime: number, now: number): RebootState {
  switch (saved.kind) {
    case 'none':
      return saved;
    case 'needed':
      return saved.since < bootTime ? { kind: 'none' } : saved;
    case 'restart-scheduled': {
      if (saved.at > now + RESTART_DELAY_MS) return { kind: 'needed', since: now, remindAt: null };
      const scheduledAt = saved.at - RESTART_DELAY_MS;
      if (scheduledAt < bootTime) return { kind: 'none' };
      return now < saved.at + RESTART_GRACE_MS ? saved : { kind: 'needed', since: scheduledAt, remindAt: null };
    }
  }
}

export interface RebootFlow {
  readonly state: RebootState;
  /** Defender reported that a restart is needed. Idempotent while one is already needed or scheduled. */
  markNeeded(): void;
  /** The user's answer, and the state it led to. `defaultLaterHours` comes from settings when the answer gives none. */
  answer(answer: RebootAnswer, defaultLaterHours: number): Promise<IpcResult<RebootState>>;
  dispose(): void;
}

function failureText(command: string, result: CommandResult): string {
  const detail = result.error ?? (result.stderr.trim() || result.stdout.trim() || `exit code ${String(result.code)}`);
  return `${command} failed: ${detail}`;
}

export function createRebootFlow(options: RebootFlowOptions): RebootFlow {
  const { runner, scheduler } = options;
  let state: RebootState = options.initial ?? { kind: 'none' };
  let reminder: TimerHandle | null = null;
  let overdue: TimerHandle | null = null;
  // One answer at a time: a double click must not run shutdown.exe twice.
  let busy: Promise<unknown> = Promise.resolve();

  const set = (next: RebootState): void => {
    state = next;
    watchScheduledRestart();
    options.onChange(state);
  };
  const clearReminder = (): void => {
    if (reminder !== null) scheduler.clearTimeout(reminder);
    reminder = null;
  };

  /**
   * While a restart is scheduled: the app still running past its time (and the grace) means it was aborted outside
   * the app, so the prompt comes back instead of saying "Restart scheduled" for ever.
   */
  function watchScheduledRestart(): void {
    if (overdue !== null) scheduler.clearTimeout(overdue);
    overdue = null;
    if (state.kind !== 'restart-scheduled') return;
    const { at } = state;
    // Never longer than shutdown's own delay, whatever the clock says.
    const wait = Math.max(0, Math.min(at - scheduler.now(), RESTART_DELAY_MS)) + RESTART_GRACE_MS;
    overdue = scheduler.setTimeout(() => {
      overdue = null;
      if (state.kind === 'restart-scheduled') set({ kind: 'needed', since: at - RESTART_DELAY_MS, remindAt: null });
    }, wait);
  }
  watchScheduledRestart();

  function armReminder(delay: number): void {
    clearReminder();
    reminder = scheduler.setTimeout(() => {
      reminder = null;
      if (state.kind !== 'needed') return;
      set({ ...state, remindAt: null });
      options.onReminder();
    }, delay);
  }

  // A "Later" from the last run of the app still reminds, at its time or at once if that has passed.
  if (state.kind === 'needed' && state.remindAt !== null) armReminder(Math.max(0, state.remindAt - scheduler.now()));

  async function run(answer: RebootAnswer, defaultLaterHours: number): Promise<IpcResult<RebootState>> {
    switch (answer.answer) {
      case 'restart-now': {
        if (state.kind !== 'needed') return fail('failed', 'No restart is needed, so none was scheduled.');
        const result = await runner.run(options.shutdownPath, ['/r', '/t', String(RESTART_DELAY_SECONDS), '/c', RESTART_COMMENT]);
        if (result.code !== 0) return fail('failed', failureText('shutdown /r', result));
        clearReminder();
        set({ kind: 'restart-scheduled', at: scheduler.now() + RESTART_DELAY_MS });
        return ok(state);
      }
      case 'abort-restart': {
        if (state.kind !== 'restart-scheduled') return fail('failed', 'No restart is scheduled, so there is nothing to abort.');
        const result = await runner.run(options.shutdownPath, ['/a']);
        // Nothing to abort: the restart was already aborted (or refused) outside the app, which is what was wanted.
        const notInProgress = result.code === ERROR_SHUTDOWN_NOT_IN_PROGRESS || `${result.stdout}${result.stderr}`.includes('(1116)');
        if (result.code !== 0 && !notInProgress) return fail('failed', failureText('shutdown /a', result));
        // The update still needs the restart; ask again later rather than forget it.
        set({ kind: 'needed', since: scheduler.now(), remindAt: null });
        return ok(state);
      }
      case 'later': {
        if (state.kind !== 'needed') return fail('failed', 'No restart is needed.');
        const hours = answer.hours ?? defaultLaterHours;
        const delay = Math.round(hours * 3_600_000);
        armReminder(delay);
        set({ ...state, remindAt: scheduler.now() + delay });
        return ok(state);
      }
    }
  }

  return {
    get state() {
      return state;
    },
    markNeeded() {
      if (state.kind !== 'none') return;
      set({ kind: 'needed', since: scheduler.now(), remindAt: null });
    },
    answer(answer, defaultLaterHours) {
      const next = busy.then(() => run(answer, defaultLaterHours));
      busy = next.catch(() => undefined);
      return next;
    },
    dispose() {
      clearReminder();
      if (overdue !== null) scheduler.clearTimeout(overdue);
      overdue = null;
    },
  };
}

export interface ShutdownPathSources {
  /** System32 as Windows reports it (GetSystemDirectoryW); null when it cannot be asked. */
  systemDirectory(): string | null;
  env: Record<string, string | undefined>;
  /** Whether %SystemRoot% may stand in when Windows cannot be asked: development and tests, never a packaged app. */
  trustEnvironment: boolean;
}

/** shutdown.exe in System32, never from PATH, and never from a folder the environment names in a packaged app. */
export function shutdownExePath(sources: ShutdownPathSources): string {
  const system = sources.systemDirectory();
  if (system) return `${system.replace(/[\\/]+$/, '')}\\shutdown.exe`;
  const { env } = sources;
  const root = (sources.trustEnvironment ? (env.SystemRoot ?? env.SYSTEMROOT ?? env.windir) : undefined) ?? 'C:\\Windows';
  return `${root.replace(/[\\/]+$/, '')}\\System32\\shutdown.exe`;
}
