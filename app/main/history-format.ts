/** History as a person reads it in a spreadsheet (CSV, RFC 4180) or a program reads it (JSON). Pure functions. */
import type { HistoryEntry } from '../shared/app-state';
import type { UpdateOutcome } from '../shared/update';
import { formatHresult } from '../shared/hresult';

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

/** CRLF line ends, as RFC 4180 specifies and Excel expects, after a byte-order mark. */
export function historyToCsv(entries: readonly HistoryEntry[]): string {
  const lines = [CSV_COLUMNS.join(','), ...entries.map((entry) => CSV_COLUMNS.map((column) => csvField(entry[column])).join(','))];
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

export function historyToJson(entries: readonly HistoryEntry[]): string {
  return JSON.stringify({ format: 'defender-updater-history', version: 1, entries }, null, 2) + '\n';
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
    // The file keeps at most 4000 characters of a message (history-store's schema); Defender's are far shorter.
    message: outcome.message.slice(0, 4000),
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
