/** history.json in the user data folder: `{ version: 1, entries: [...] }`, oldest first, at most 500 entries. */
import { join } from 'node:path';
import { z } from 'zod';
import type { HistoryEntry, Notice } from '../shared/app-state';
import { UPDATE_RESULTS, UPDATE_SOURCES, UPDATE_TRIGGERS } from '../shared/update';
import { HISTORY_LIMIT } from './history-format';
import { JsonFileWriter, readJsonFile, resetDetail } from './json-file';
import type { HistoryPort, Loaded } from './ports';

export const HISTORY_FILE = 'history.json';

const version = z.string().max(64).nullable();

export const historyEntrySchema = z.object({
  runId: z.number().int().nonnegative(),
  time: z.iso.datetime(),
  trigger: z.enum(UPDATE_TRIGGERS),
  source: z.enum(UPDATE_SOURCES),
  result: z.enum(UPDATE_RESULTS),
  hresult: z.string().regex(/^0x[0-9A-F]{8}$/),
  message: z.string().max(4000),
  versionBefore: version,
  versionAfter: version,
}) satisfies z.ZodType<HistoryEntry>;

// The envelope must be right; entries are judged one by one, so one bad line costs that line, not the history.
const historyFileSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.unknown()),
});

export function salvageHistory(entries: readonly unknown[]): {
  value: HistoryEntry[];
  dropped: number;
} {
  const value: HistoryEntry[] = [];
  for (const entry of entries) {
    const parsed = historyEntrySchema.safeParse(entry);
    if (parsed.success) value.push(parsed.data);
  }
  return {
    value: value.slice(-HISTORY_LIMIT),
    dropped: entries.length - value.length,
  };
}

export interface HistoryStoreOptions {
  dir: string;
  now?: () => number;
}

export interface HistoryStore extends HistoryPort {
  readonly path: string;
  idle(): Promise<void>;
}

export function createHistoryStore(options: HistoryStoreOptions): HistoryStore {
  const path = join(options.dir, HISTORY_FILE);
  const now = options.now ?? Date.now;
  const writer = new JsonFileWriter(path);
  return {
    path,
    load(): Loaded<HistoryEntry[]> {
      const t = now();
      const read = readJsonFile(path, historyFileSchema, () => ({ version: 1 as const, entries: [] }), t);
      const { value, dropped } = salvageHistory(read.value.entries);
      const detail = resetDetail(
        read.problem,
        dropped > 0 ? `${HISTORY_FILE}: ${dropped} unreadable ${dropped === 1 ? 'entry was' : 'entries were'} left out` : null,
      );
      const notice: Notice | null =
        detail === null
          ? null
          : {
              id: `history-reset-${t}`,
              level: 'warning',
              key: 'history-reset',
              detail,
            };
      return { value, notice };
    },
    save: (entries) => writer.write({ version: 1, entries: entries.slice(-HISTORY_LIMIT) }),
    idle: () => writer.idle(),
  };
}
