/** history.json in the user data folder: `{ version: 1, entries: [...] }`, oldest first, at most 500 entries. */
import { join } from 'node:path';
import { z } from 'zod';
import type { HistoryEntry, Notice } from '../shared/app-state';
import { UPDATE_RESULTS, UPDATE_SOURCES, UPDATE_TRIGGERS } from '../shared/update';
import { HISTORY_LIMIT } from './history-format';
import { JsonFileWriter, readJsonFile } from './json-file';
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

const historyFileSchema = z
  .object({ version: z.literal(1), entries: z.array(historyEntrySchema) })
  .transform((file): HistoryEntry[] => file.entries.slice(-HISTORY_LIMIT));

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
      const read = readJsonFile<HistoryEntry[]>(path, historyFileSchema, () => [], t);
      const notice: Notice | null = read.problem && {
        id: `history-reset-${t}`,
        level: 'warning',
        key: 'history-reset',
        detail: read.problem.movedTo ? `${read.problem.reason}; the old file was kept as ${read.problem.movedTo}` : read.problem.reason,
      };
      return { value: read.value, notice };
    },
    save: (entries) => writer.write({ version: 1, entries: entries.slice(-HISTORY_LIMIT) }),
    idle: () => writer.idle(),
  };
}
