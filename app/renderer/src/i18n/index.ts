/** The one typed dictionary, language resolution and the formatting that depends on the language. */
import type { LanguageSetting } from '../../../shared/app-state';
import { dateTimeFormat } from './date-time-format';
import { en, enCounts, type CountKey, type Counts, type Dictionary, type MessageKey } from './en';
import { ru, ruCounts } from './ru';

export type { CountKey, MessageKey } from './en';
export type Lang = 'en' | 'ru';

export const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };
export const COUNTS: Record<Lang, Counts> = { en: enCounts, ru: ruCounts };

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

/**
 * "11 days" / "11 дней": the form Intl.PluralRules picks for the language (Russian has one, few and many), with `{n}`
 * filled in. A form the language never needs falls back to `other`.
 */
export function formatCount(lang: Lang, key: CountKey, n: number): string {
  const forms = COUNTS[lang][key];
  const category = new Intl.PluralRules(lang).select(n);
  return (forms[category] ?? forms.other).replace('{n}', new Intl.NumberFormat(lang).format(n));
}

/**
 * How long ago, exactly: minutes under an hour, hours under a day, then whole days ("45 days ago"), never "last week"
 * or "last month", which hide how old security intelligence really is. Under a minute, "just now".
 */
export function formatAgo(lang: Lang, thenMs: number, nowMs: number): string {
  const diff = Math.max(0, nowMs - thenMs);
  if (diff >= 86_400_000) return formatCount(lang, 'daysAgo', Math.floor(diff / 86_400_000));
  if (diff >= 3_600_000) return formatCount(lang, 'hoursAgo', Math.floor(diff / 3_600_000));
  if (diff >= 60_000) return formatCount(lang, 'minutesAgo', Math.floor(diff / 60_000));
  return DICTIONARIES[lang]['time.justNow'];
}

export function formatDateTime(lang: Lang, ms: number): string {
  return dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function formatTime(lang: Lang, ms: number): string {
  return dateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** Elapsed time as m:ss (h:mm:ss past an hour); language-neutral. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
