/** History as a person reads it in a spreadsheet (CSV, RFC 4180) or a program reads it (JSON). Pure functions. */
import type { HistoryEntry } from '../shared/app-state';
import type { UpdateOutcome } from '../shared/update';
import { formatHresult } from '../shared/hresult';
import { renderMessage, type Lang, type Message, type MessageParam } from '../shared/messages';

export const HISTORY_LIMIT = 500;

export const CSV_COLUMNS = [
  'time',
  'trigger',
  'source',
  'result',
  'hresult',
  'message',
  'versionBefore',
  'versionAfter',
] as const satisfies readonly (keyof HistoryEntry)[];

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection"); a message is
 * Defender's or a file's text, not ours, so such a field gets a leading `'`, which Excel shows as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. Never a formula. */
export function csvField(value: string | number | null): string {
  const raw = value === null ? '' : String(value);
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8's byte-order mark: without it Excel reads the file in the ANSI code page and garbles Cyrillic messages. */
export const UTF8_BOM = '\ufeff';

/** CRLF line ends, as RFC 4180 specifies and Excel expects, after a byte-order mark. Messages in `lang`, as the window shows them. */
export function historyToCsv(entries: readonly HistoryEntry[], lang: Lang): string {
  const cell = (entry: HistoryEntry, column: (typeof CSV_COLUMNS)[number]) =>
    column === 'message' ? renderMessage(lang, entry.message) : entry[column];
  const lines = [CSV_COLUMNS.join(','), ...entries.map((entry) => CSV_COLUMNS.map((column) => csvField(cell(entry, column))).join(','))];
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

/** `message` is the text in `lang`; `messageKey` says which sentence it is, whatever the language. */
export function historyToJson(entries: readonly HistoryEntry[], lang: Lang): string {
  const rows = entries.map((entry) => ({ ...entry, message: renderMessage(lang, entry.message), messageKey: entry.message.key }));
  return JSON.stringify({ format: 'defender-updater-history', version: 1, entries: rows }, null, 2) + '\n';
}

/** History keeps a message's text parameters to 4000 characters each (history-store's schema); Defender's are far shorter. */
function storedMessage(m: Message): Message {
  if (!m.params) return { key: m.key };
  const params: Record<string, MessageParam> = {};
  for (const [name, value] of Object.entries(m.params)) {
    params[name] = typeof value === 'object' ? renderMessage('en', value).slice(0, 4000) : typeof value === 'string' ? value.slice(0, 4000) : value;
  }
  return { key: m.key, params };
}

/** The antivirus signature version is the one people compare ("1.413.102.0"). */
export function historyEntryFor(outcome: UpdateOutcome): HistoryEntry {
  return {
    runId: outcome.runId,
    time: new Date(outcome.endedAt).toISOString(),
    trigger: outcome.trigger,
    source: outcome.source,
    result: outcome.result,
    hresult: formatHresult(outcome.hresult),
    message: storedMessage(outcome.message),
    versionBefore: outcome.versionsBefore?.antivirus.version ?? null,
    versionAfter: outcome.versionsAfter?.antivirus.version ?? null,
    ...(outcome.via === 'mpcmdrun' ? { via: outcome.via } : {}),
  };
}

/** Appends and keeps the newest HISTORY_LIMIT entries (oldest first). */
export function appendHistory(entries: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  const next = [...entries, entry];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
