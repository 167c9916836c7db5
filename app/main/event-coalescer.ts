/**
 * Main's one throttle between the engine and the windows: at most one `progress` and one `state` message per frame
 * (~16 ms). Progress carries the newest snapshot and the newest records (bounded as the window's log is, with the
 * count of the rest); a full `state` goes out only when something besides the update changed (settings, notices,
 * versions, the restart prompt). `flush()` sends what is pending at once; the controller calls it on `finished`, so the
 * final snapshot always arrives before the outcome.
 */
import type { AppState } from '../shared/app-state';
import type { AppEvent } from '../shared/ipc';
import { PROGRESS_RECORD_LIMIT, type NotificationRecord, type ProgressEvent, type UpdateSnapshot } from '../shared/update';
import type { Scheduler, TimerHandle } from './ports';

/** One animation frame at 60 Hz. */
export const FRAME_MS = 16;

export interface EventCoalescer {
  /** Something besides the update changed; `read` is called when the frame is sent, so only the newest state is built. */
  stateChanged(): void;
  /** The engine published a snapshot and the records that led to it. */
  progress(event: ProgressEvent): void;
  /** Sends what is pending now, then `extra` (if any), in that order. */
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
  let update: UpdateSnapshot | null = null;
  let records: NotificationRecord[] = [];
  let omitted = 0;
  let disposed = false;

  const send = (): void => {
    if (timer !== null) options.scheduler.clearTimeout(timer);
    timer = null;
    lastSent = options.scheduler.now();
    if (update !== null) {
      const event: AppEvent = { type: 'progress', update, records, omitted };
      update = null;
      records = [];
      omitted = 0;
      options.emit(event);
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
    progress(event) {
      update = event.snapshot;
      omitted += event.omitted;
      if (event.records.length > 0) {
        const joined = records.concat(event.records);
        const drop = Math.max(0, joined.length - PROGRESS_RECORD_LIMIT);
        omitted += drop;
        records = drop > 0 ? joined.slice(drop) : joined;
      }
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
      update = null;
      records = [];
      stateDirty = false;
    },
  };
}
