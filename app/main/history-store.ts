/** history.json in the user data folder: `{ version: 1, entries: [...] }`, oldest first, at most 500 entries. */
import { z } from 'zod';
import type { HistoryEntry } from '../shared/app-state';
import { DICTIONARIES, isMessageKey, message, verbatim, type Message, type MessageKey } from '../shared/messages';
import { UPDATE_RESULTS, UPDATE_SOURCES, UPDATE_TRIGGERS } from '../shared/update';
import { HISTORY_LIMIT } from './history-format';
import { createJsonStore, type JsonStore, type StoreLocation } from './json-store';
import type { HistoryPort } from './ports';

export const HISTORY_FILE = 'history.json';

const version = z.string().max(64).nullable();

/** Sentences the engine wrote into history as English text before history kept message keys. */
const LEGACY_SENTENCES: readonly MessageKey[] = [
  'outcome.message.succeeded',
  'outcome.message.up-to-date',
  'outcome.message.reboot-required',
  'outcome.message.cancelled',
  'error.message.noResult',
];

/**
 * A message an older version stored as English text, as a Message again: the engine's own sentences get their keys
 * back (so they read in Russian too), anything else (Defender's own text) is kept as it was written.
 */
export function legacyMessage(text: string): Message {
  const known = LEGACY_SENTENCES.find((key) => DICTIONARIES.en[key] === text);
  if (known) return { key: known };
  const code = /^Error (0x[0-9A-F]{8})$/.exec(text);
  if (code) return message('error.message.code', { hex: code[1]! });
  const shared = /^This PC takes its security intelligence from a shared folder set by your organization \((.*)\); it is updated there\.$/.exec(text);
  if (shared) return message('outcome.message.sharedRoot', { path: shared[1]! });
  return verbatim(text);
}

const messageSchema = z.union([
  z.object({
    key: z.custom<MessageKey>(isMessageKey, 'not a message of this version'),
    params: z.record(z.string().max(64), z.union([z.string().max(4000), z.number()])).optional(),
  }),
  z.string().max(4000).transform(legacyMessage),
]);

export const historyEntrySchema = z.object({
  runId: z.number().int().nonnegative(),
  time: z.iso.datetime(),
  trigger: z.enum(UPDATE_TRIGGERS),
  source: z.enum(UPDATE_SOURCES),
  result: z.enum(UPDATE_RESULTS),
  hresult: z.string().regex(/^0x[0-9A-F]{8}$/),
  // A message this version cannot read (a newer version's key) costs the sentence, not the line.
  message: messageSchema.catch(verbatim('')),
  versionBefore: version,
  versionAfter: version,
  via: z.literal('mpcmdrun').optional(),
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

/** What the file held, then the entries added since the app started from memory (a file read late loses nothing). */
export function mergeHistory(fromFile: HistoryEntry[], current: HistoryEntry[], atLoad: HistoryEntry[]): HistoryEntry[] {
  const key = (entry: HistoryEntry) => `${entry.runId}|${entry.time}`;
  const known = new Set([...fromFile, ...atLoad].map(key));
  return [...fromFile, ...current.filter((entry) => !known.has(key(entry)))].slice(-HISTORY_LIMIT);
}

export function createHistoryStore(options: StoreLocation): JsonStore<HistoryEntry[]> & HistoryPort {
  return createJsonStore({
    ...options,
    file: HISTORY_FILE,
    schema: historyFileSchema,
    fallback: () => ({ version: 1 as const, entries: [] }),
    salvage: (file) => {
      const { value, dropped } = salvageHistory(file.entries);
      const leftOut = dropped > 0 ? `${HISTORY_FILE}: ${dropped} unreadable ${dropped === 1 ? 'entry was' : 'entries were'} left out` : null;
      return { value, leftOut };
    },
    toFile: (entries: readonly HistoryEntry[]) => ({ version: 1, entries: entries.slice(-HISTORY_LIMIT) }),
    noticeKey: 'history-reset',
    unreadableNoticeKey: 'history-unreadable',
    merge: mergeHistory,
  });
}
