/**
 * Folding main's events. A batch of events, however long, reduces to: the last whole state, the newest update
 * snapshot after it, the last few notification records, and an outcome newer than that state. That is what keeps a
 * storm cheap: the store changes once per animation frame.
 */
import type { AppState } from '../../../shared/app-state';
import type { AppEvent } from '../../../shared/ipc';
import { PROGRESS_RECORD_LIMIT, type NotificationRecord, type UpdateOutcome, type UpdateSnapshot } from '../../../shared/update';

/** Notification records kept for the event log; older ones are only counted (the snapshot has the count). */
export const LOG_LIMIT = PROGRESS_RECORD_LIMIT;

export interface EventFold {
  state: AppState | null;
  /** The newest update snapshot that came after `state` (progress events carry only the update). */
  update: UpdateSnapshot | null;
  records: NotificationRecord[];
  /** A `finished` outcome that arrived after the last state event (otherwise that state already has it). */
  outcome: UpdateOutcome | null;
  count: number;
}

export const emptyFold = (): EventFold => ({ state: null, update: null, records: [], outcome: null, count: 0 });

export function foldEvent(fold: EventFold, event: AppEvent): EventFold {
  fold.count++;
  switch (event.type) {
    case 'state':
      fold.state = event.state;
      fold.update = null;
      fold.outcome = null;
      break;
    case 'progress':
      fold.update = event.update;
      fold.records = appendBounded(fold.records, event.records, LOG_LIMIT);
      break;
    case 'finished':
      fold.outcome = event.outcome;
      break;
  }
  return fold;
}

export function appendBounded<T>(list: readonly T[], more: readonly T[], limit: number): T[] {
  if (more.length >= limit) return more.slice(more.length - limit);
  const joined = list.concat(more);
  return joined.length > limit ? joined.slice(joined.length - limit) : joined;
}

export type Scheduler = (flush: () => void) => () => void;

/**
 * Once per animation frame; a hidden window gets no frames, so a timer stands in (the tray window still needs the
 * final state when it is shown again).
 */
export const frameScheduler: Scheduler = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    flush();
  };
  const raf = requestAnimationFrame(run);
  const timer = setTimeout(run, 250);
  return () => {
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
};

export const immediateScheduler: Scheduler = (flush) => {
  flush();
  return () => {};
};
