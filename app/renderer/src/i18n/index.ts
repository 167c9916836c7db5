/** The one typed dictionary, language resolution and the formatting that depends on the language. */
import type { LanguageSetting } from '../../../shared/app-state';
import { en, type Dictionary, type MessageKey } from './en';
import { ru } from './ru';

export type { MessageKey } from './en';
export type Lang = 'en' | 'ru';

export const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };

/** `system` follows the browser's (Electron: the OS's) language; anything but Russian falls back to English. */
export function resolveLanguage(setting: LanguageSetting | undefined, systemLanguage: string | undefined): Lang {
  if (setting === 'en' || setting === 'ru') return setting;
  return systemLanguage?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTIONARIES[lang];
  return (key, vars) => {
    const text = dict[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago" / "3 часа назад": the largest unit that fits; under a minute, the dictionary's "just now". */
export function formatAgo(lang: Lang, thenMs: number, nowMs: number): string {
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const diff = Math.max(0, nowMs - thenMs);
  for (const [unit, size] of relativeUnits) if (diff >= size) return rtf.format(-Math.floor(diff / size), unit);
  return DICTIONARIES[lang]['time.justNow'];
}

export function formatDateTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function formatTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** Elapsed time as m:ss (h:mm:ss past an hour); language-neutral. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
