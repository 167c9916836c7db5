/**
 * Turns a storm of engine events into at most one `state` and one `notifications` message per frame (~16 ms), so a
 * renderer is never flooded: the newest state wins, notification records are batched in order. `flush()` sends what
 * is pending at once; the controller calls it on `finished`, so the final state always arrives before the outcome.
 */
import type { AppState } from '../shared/app-state';
import type { AppEvent } from '../shared/ipc';
import type { NotificationRecord } from '../shared/update';
import type { Scheduler, TimerHandle } from './ports';

/** One animation frame at 60 Hz. */
export const FRAME_MS = 16;

export interface EventCoalescer {
  /** The state changed; `read` is called when the frame is sent, so only the newest state is built. */
  stateChanged(): void;
  notification(record: NotificationRecord): void;
  /** Sends pending notifications and state now, then `extra` (if any), in that order. */
  flush(extra?: AppEvent): void;
  dispose(): void;
}

export function createEventCoalescer(options: {
  scheduler: Scheduler;
  read: () => AppState;
  emit: (event: AppEvent) => void;
  frameMs?: number;
}): EventCoalescer {
  const frameMs = options.frameMs ?? FRAME_MS;
  let timer: TimerHandle | null = null;
  let lastSent = -Infinity;
  let stateDirty = false;
  let records: NotificationRecord[] = [];
  let disposed = false;

  const send = (): void => {
    if (timer !== null) options.scheduler.clearTimeout(timer);
    timer = null;
    lastSent = options.scheduler.now();
    // Records first: the state that follows already reflects them.
    if (records.length > 0) {
      const batch = records;
      records = [];
      options.emit({ type: 'notifications', records: batch });
    }
    if (stateDirty) {
      stateDirty = false;
      options.emit({ type: 'state', state: options.read() });
    }
  };
  // A throttle, not a debounce: the first change after a quiet frame goes out at once (no added latency), later ones
  // wait for the rest of the frame, so there is never more than one message of each kind per frame.
  const schedule = (): void => {
    if (disposed || timer !== null) return;
    const wait = Math.max(0, frameMs - (options.scheduler.now() - lastSent));
    timer = options.scheduler.setTimeout(() => {
      timer = null;
      send();
    }, wait);
  };

  return {
    stateChanged() {
      stateDirty = true;
      schedule();
    },
    notification(record) {
      records.push(record);
      schedule();
    },
    flush(extra) {
      if (disposed) return;
      send();
      if (extra) options.emit(extra);
    },
    dispose() {
      disposed = true;
      if (timer !== null) options.scheduler.clearTimeout(timer);
      timer = null;
      records = [];
      stateDirty = false;
    },
  };
}
