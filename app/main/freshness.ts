/**
 * Watching that security intelligence stays fresh, on by default: this app's job when Windows updates Defender by
 * itself is to notice when that stops working. Defender's versions are read (MpManagerVersionQuery, no network) at
 * start, every hour and on wake-up; when security intelligence is more than 7 days old, or the last three checks
 * failed, one notification says so, at most once a day (the time of the last one is persisted, so restarting the app
 * does not repeat it). Electron-free: the clock, the versions, the results and the notification are ports.
 */
import type { DefenderVersions, UpdateResult } from '../shared/update';
import { ageInDays, STALE_AFTER_DAYS } from '../shared/versions';
import type { Scheduler, TimerHandle } from './ports';

/** Why security intelligence needs a look: too old (and how old), or the updates keep failing. */
export type FreshnessAlert = { kind: 'old'; days: number } | { kind: 'failing' };
/** Failed checks in a row that make updates "not working" even while security intelligence is still young. */
export const FAILURES_IN_A_ROW = 3;
export const WATCH_INTERVAL_MS = 3_600_000;
export const NOTIFY_AT_MOST_EVERY_MS = 86_400_000;

export interface FreshnessWatchOptions {
  clock: Scheduler;
  /** The setting (on by default), read at each look. */
  enabled: () => boolean;
  /** Reads Defender's versions now (and shows them in the window); null when they cannot be read. */
  readVersions: () => Promise<DefenderVersions | null>;
  /** Results of the newest checks, newest first (history). */
  recentResults: () => Promise<readonly UpdateResult[]>;
  notify: (alert: FreshnessAlert) => void;
  /** When the last notification was shown, as persisted. */
  notifiedAt: number | null;
  /** Persists the time of a notification (or a correction after the clock moved back). */
  saveNotifiedAt: (at: number) => void;
}

export interface FreshnessWatch {
  /** Looks now, then every hour. */
  start(): void;
  /** The computer woke up: look now, and count the hour from here; resolves when the look is done. */
  resume(): Promise<FreshnessAlert | null>;
  /** One look (also what the timer and resume do); resolves with the alert it raised, if any. */
  check(): Promise<FreshnessAlert | null>;
  dispose(): void;
}

/** What needs saying, if anything: too old first (it says how old), else failing. */
export function freshnessAlert(versions: DefenderVersions | null, recent: readonly UpdateResult[], now: number): FreshnessAlert | null {
  const days = ageInDays(versions?.antivirus.updatedAt ?? null, now);
  if (days !== null && days > STALE_AFTER_DAYS) return { kind: 'old', days };
  const failing = recent.length >= FAILURES_IN_A_ROW && recent.slice(0, FAILURES_IN_A_ROW).every((result) => result === 'failed');
  return failing ? { kind: 'failing' } : null;
}

export function createFreshnessWatch(options: FreshnessWatchOptions): FreshnessWatch {
  const { clock } = options;
  let notifiedAt = options.notifiedAt;
  let timer: TimerHandle | null = null;
  let disposed = false;
  let looking: Promise<FreshnessAlert | null> | null = null;

  const arm = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = disposed
      ? null
      : clock.setTimeout(() => {
          timer = null;
          void check();
          arm();
        }, WATCH_INTERVAL_MS);
  };

  /** Whether a notification is allowed now: none in the last day. */
  const mayNotify = (now: number): boolean => {
    if (notifiedAt === null) return true;
    if (notifiedAt > now) {
      // The clock moved back past the last notification: count the day from now rather than from a time to come.
      notifiedAt = now;
      options.saveNotifiedAt(now);
      return false;
    }
    return now - notifiedAt >= NOTIFY_AT_MOST_EVERY_MS;
  };

  async function look(): Promise<FreshnessAlert | null> {
    if (!options.enabled()) return null;
    const [versions, recent] = await Promise.all([options.readVersions(), options.recentResults()]);
    const now = clock.now();
    if (disposed || !options.enabled()) return null;
    const alert = freshnessAlert(versions, recent, now);
    if (!alert || !mayNotify(now)) return null;
    notifiedAt = now;
    options.saveNotifiedAt(now);
    options.notify(alert);
    return alert;
  }

  // One look at a time: a wake-up during the hourly look does not notify twice.
  function check(): Promise<FreshnessAlert | null> {
    looking ??= look()
      .catch(() => null)
      .finally(() => (looking = null));
    return looking;
  }

  return {
    start() {
      void check();
      arm();
    },
    resume() {
      if (disposed) return Promise.resolve(null);
      arm();
      return check();
    },
    check,
    dispose() {
      disposed = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
