/**
 * The automatic check, scheduled from the last check rather than from when the app started: a laptop used eight
 * hours a day would otherwise never reach "every 24 hours". Off by default (Windows updates Defender on its own
 * schedule). Electron-free: time comes from a clock port, the last check from the caller (persisted in
 * schedule-store.ts), and "the computer woke up" from a call (powerMonitor `resume` in index.ts).
 *
 * - The next check is due one interval after the last check (any result, whoever started it).
 * - A check that is due already (the app was closed, or the computer asleep, when it fell due) runs a minute after
 *   start or wake-up, when the network has had a moment to come back.
 * - A clock that moved back (the last check looks like it is in the future) never pushes the next check further out
 *   than one interval from now.
 * - Timers measure elapsed time; sleep and clock changes are caught by re-evaluating on resume and on every change.
 */
import type { ScheduleStatus } from '../shared/app-state';
import type { Scheduler, TimerHandle } from './ports';

export type { ScheduleStatus };

const HOUR_MS = 3_600_000;
/** How long after start or wake-up an overdue check waits. */
export const OVERDUE_DELAY_MS = 60_000;

export interface CheckSchedule {
  /** Applies the interval in hours (0: off; the user picks 4, 8 or 24, a policy any of 1–24); the same one keeps its plan. */
  configure(hours: number): void;
  /** A check ended (any result) at this time: the next one counts from it. */
  checked(at: number): void;
  /** The computer woke up: what fell due while it slept runs soon; the plan is made again from the wall clock. */
  resume(): void;
  status(): ScheduleStatus;
  dispose(): void;
}

export interface CheckScheduleOptions {
  clock: Scheduler;
  /** When the last check was, as persisted; null when there was none. */
  lastCheckAt: number | null;
  /** Starts the scheduled check (the controller's startUpdate('schedule')). */
  run: () => void;
  /** The status changed (persist the last check, tell the window). */
  onChange?: (status: ScheduleStatus) => void;
}

export function createCheckSchedule(options: CheckScheduleOptions): CheckSchedule {
  const { clock } = options;
  let hours = 0;
  let lastCheckAt = options.lastCheckAt;
  let nextCheckAt: number | null = null;
  let timer: TimerHandle | null = null;
  let disposed = false;

  const status = (): ScheduleStatus => ({ lastCheckAt, nextCheckAt });
  const changed = (): void => options.onChange?.(status());

  const stop = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };

  /** Plans the next check from the wall clock now. */
  const plan = (): void => {
    stop();
    if (hours === 0 || disposed) {
      nextCheckAt = null;
      return;
    }
    const now = clock.now();
    const interval = hours * HOUR_MS;
    const due = lastCheckAt === null ? now : Math.min(lastCheckAt + interval, now + interval);
    nextCheckAt = due <= now ? now + OVERDUE_DELAY_MS : due;
    timer = clock.setTimeout(fire, nextCheckAt - now);
  };

  function fire(): void {
    timer = null;
    // The attempt is a check whatever comes of it (Defender missing, an update already running): the next one counts
    // from here, and the outcome, if any, moves it to when the update ended.
    lastCheckAt = clock.now();
    plan();
    changed();
    options.run();
  }

  return {
    configure(next) {
      if (next === hours || disposed) return;
      hours = next;
      plan();
      changed();
    },
    checked(at) {
      if (disposed) return;
      lastCheckAt = at;
      plan();
      changed();
    },
    resume() {
      if (disposed || hours === 0) return;
      plan();
      changed();
    },
    status,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
