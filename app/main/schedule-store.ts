/**
 * schedule.json in the user data folder: when the last check was (any result) and when the last freshness
 * notification was shown, so the schedule counts from the real last check and "at most once a day" holds across
 * restarts of the app.
 */
import { z } from 'zod';
import { createJsonStore, keepAll, type StoreLocation } from './json-store';

export const SCHEDULE_FILE = 'schedule.json';

export interface ScheduleRecord {
  lastCheckAt: number | null;
  freshnessNotifiedAt: number | null;
}

const time = z.number().int().nonnegative().nullable();
const scheduleSchema = z.object({ lastCheckAt: time, freshnessNotifiedAt: time }) satisfies z.ZodType<ScheduleRecord>;

export interface ScheduleStore {
  load(): ScheduleRecord;
  /** Merges and writes; writes land in order. */
  update(patch: Partial<ScheduleRecord>): Promise<void>;
  /** Resolves when every write so far has landed. */
  idle(): Promise<void>;
}

export function createScheduleStore(options: StoreLocation): ScheduleStore {
  const store = createJsonStore<ScheduleRecord, ScheduleRecord>({
    ...options,
    file: SCHEDULE_FILE,
    schema: scheduleSchema,
    fallback: () => ({ lastCheckAt: null, freshnessNotifiedAt: null }),
    salvage: keepAll,
    // Losing it costs one early check or one repeated notification: nothing to tell the user about.
    noticeKey: null,
  });
  let current = store.load().value;
  return {
    load: () => ({ ...current }),
    update(patch) {
      current = { ...current, ...patch };
      return store.save(current);
    },
    idle: () => store.idle(),
  };
}
