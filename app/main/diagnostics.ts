/**
 * The text behind "Copy diagnostics": what support needs to read a report, in a stable plain-text format (the first
 * line names the format's version). Pure: the same state, history and time give the same text. It holds only what is
 * listed here (app and Defender versions, availability, settings, recent results), nothing else from the machine.
 * It is a support format, not the window: labels are fixed English and sentences are rendered in English, so support
 * reads every report the same way whatever language its sender uses.
 */
import { DEFAULT_SETTINGS, type AppState, type EffectiveSettings, type HistoryEntry, type PolicyState, type Settings } from '../shared/app-state';
import { renderMessage } from '../shared/messages';
import type { DefenderVersions } from '../shared/update';

export const DIAGNOSTICS_FORMAT = 'Defender Updater diagnostics (format 1)';
/** History lines in the block: enough to see a pattern, short enough to paste into a ticket. */
export const DIAGNOSTICS_HISTORY_LINES = 20;

/** Every component Defender reports; the `satisfies` keeps the list complete when the type grows. */
const COMPONENTS = {
  product: 'Platform (product)',
  service: 'Service',
  engine: 'Engine',
  antivirus: 'Security intelligence (antivirus)',
  antispyware: 'Antispyware signatures',
  nisEngine: 'Network inspection engine',
  nisSignature: 'Network inspection signatures',
} as const satisfies Record<keyof DefenderVersions, string>;

const LABEL_WIDTH = Math.max(...Object.values(COMPONENTS).map((label) => label.length)) + 1;

/** One line, whatever Defender or a file put in the text: control characters and line breaks become one space. */
function flat(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
}

function availabilityLines(availability: AppState['availability']): string[] {
  const demo = `Demo: ${availability.demo ? 'yes' : 'no'}`;
  if (availability.kind === 'available') return ['Availability: available', `Library: ${flat(availability.libraryPath)}`, demo];
  if (availability.kind === 'connecting') return ['Availability: connecting (MpManagerOpen has not answered yet)', demo];
  return [`Availability: unavailable (${availability.reason})`, `Reason: ${flat(renderMessage('en', availability.message))}`, demo];
}

function versionLines(versions: DefenderVersions | null): string[] {
  if (!versions) return ['Defender versions: not read'];
  return [
    'Defender versions:',
    ...(Object.keys(COMPONENTS) as (keyof DefenderVersions)[]).map((key) => {
      const { version, updatedAt } = versions[key];
      return `  ${(COMPONENTS[key] + ':').padEnd(LABEL_WIDTH)} ${flat(version)}, updated ${updatedAt ?? 'unknown'}`;
    }),
  ];
}

function settingsLines(settings: EffectiveSettings): string[] {
  // DEFAULT_SETTINGS fixes the order and the set: a key the contract does not know is never printed.
  return ['Settings:', ...(Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).map((key) => `  ${key}: ${String(settings[key])}`)];
}

/** Only when an organisation set something: support then knows why a setting will not change. */
function policyLines(policy: PolicyState): string[] {
  const lines = [
    ...Object.entries(policy.managed).map(([setting, name]) => `  ${setting}: set by policy ${name}`),
    ...(policy.allowCancel ? [] : ['  cancel: not allowed (AllowCancel=0)']),
    ...(policy.showTrayIcon ? [] : ['  tray icon: hidden (ShowTrayIcon=0)']),
    ...policy.ignored.map((ignored) => `  ignored ${ignored.hive}\\${ignored.name}: ${flat(renderMessage('en', ignored.reason))}`),
  ];
  return lines.length ? ['Policies:', ...lines] : [];
}

function historyLine(entry: HistoryEntry): string {
  const versions = `${entry.versionBefore ?? '-'} -> ${entry.versionAfter ?? '-'}`;
  return `  ${[entry.time, entry.trigger, entry.source, entry.result, entry.hresult, versions, flat(renderMessage('en', entry.message))].join(' | ')}`;
}

function historyLines(history: readonly HistoryEntry[]): string[] {
  if (history.length === 0) return ['History: none'];
  const newest = history.slice(-DIAGNOSTICS_HISTORY_LINES).reverse();
  return [
    `History, newest first (${newest.length} of ${history.length}):`,
    '  time | trigger | source | result | hresult | versions | message',
    ...newest.map(historyLine),
  ];
}

/** `history` is oldest first, as history keeps it; the block lists the newest DIAGNOSTICS_HISTORY_LINES, newest first. */
export function diagnosticsText(state: AppState, history: readonly HistoryEntry[], now: number): string {
  const sections = [
    [DIAGNOSTICS_FORMAT, `Generated: ${new Date(now).toISOString()}`],
    [`App version: ${state.appVersion}`, `Platform: ${state.platform}`],
    availabilityLines(state.availability),
    versionLines(state.versions),
    settingsLines(state.settings),
    policyLines(state.policy),
    historyLines(history),
  ].filter((lines) => lines.length > 0);
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
