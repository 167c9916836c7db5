/**
 * The one message table: every sentence a person sees, from the window, the tray, notifications, the command line and
 * the engine's results, by key, in English and Russian. Main and the CLI render with `translator(lang)` (the CLI
 * always in English); the renderer's `useT` hook wraps the same function. Data that crosses IPC or goes to disk (an
 * outcome, an error, Defender's availability, a history line) carries a `Message` (key and parameters), never a
 * rendered sentence, so it reads in whatever language is chosen when it is shown.
 */
import type { LanguageSetting } from '../app-state';
import { en, enCounts, type CountKey, type Counts, type Dictionary, type MessageKey } from './en';
import { ru, ruCounts } from './ru';
import { dateTimeFormat } from './date-time-format';

export type { CountKey, MessageKey } from './en';
export type Lang = 'en' | 'ru';

export const DICTIONARIES: Record<Lang, Dictionary> = { en, ru };
export const COUNTS: Record<Lang, Counts> = { en: enCounts, ru: ruCounts };

/** A parameter is text or a number as it is, or another Message rendered in the same language (Defender's text). */
export type MessageParam = string | number | Message;
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** A sentence to be rendered later, in the language of whoever reads it. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/** `'Version {before} → {after}'` → `'before' | 'after'`. */
type ParamNames<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamNames<Rest> : never;
/** The parameters a key's English text names; every language uses the same ones (a test checks). */
export type ParamsOf<K extends MessageKey> = Record<ParamNames<(typeof en)[K]>, MessageParam>;
type ParamArgs<K extends MessageKey> = [ParamNames<(typeof en)[K]>] extends [never] ? [] : [params: ParamsOf<K>];

/** Builds a Message, checked against the key's own placeholders: a missing or misspelt parameter does not compile. */
export function message<K extends MessageKey>(key: K, ...params: ParamArgs<K>): Message {
  return params.length ? { key, params: params[0] } : { key };
}

/** Defender's own text (MpErrorMessageFormat, already in Windows' language), or a sentence an older version stored. */
export function verbatim(text: string): Message {
  return { key: 'message.verbatim', params: { text } };
}

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(en, key);
}

/** `system` follows the OS (Electron: app.getLocale(); the renderer: navigator.language); anything but Russian is English. */
export function resolveLanguage(setting: LanguageSetting | undefined, systemLanguage: string | undefined): Lang {
  if (setting === 'en' || setting === 'ru') return setting;
  return systemLanguage?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export type Vars = MessageParams;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTIONARIES[lang];
  const t: Translate = (key, vars) => {
    const text = dict[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      if (!Object.prototype.hasOwnProperty.call(vars, name)) return m;
      const value = vars[name]!;
      return typeof value === 'object' ? t(value.key, value.params) : String(value);
    });
  };
  return t;
}

/** A Message in `lang`. */
export function renderMessage(lang: Lang, m: Message): string {
  return translator(lang)(m.key, m.params);
}

/**
 * "11 days" / "11 дней": the form Intl.PluralRules picks for the language (Russian has one, few and many), with `{n}`
 * filled in. A form the language never needs falls back to `other`.
 */
export function formatCount(lang: Lang, key: CountKey, n: number): string {
  const forms = COUNTS[lang][key];
  const { plural, number } = countFormats(lang);
  return (forms[plural.select(n)] ?? forms.other).replace('{n}', number.format(n));
}

// Built once per language: building an Intl object costs far more than using it (about half a millisecond for the
// pair, measured in the History view, which counts its older entries on every render).
const countFormatsByLang = new Map<Lang, { plural: Intl.PluralRules; number: Intl.NumberFormat }>();
function countFormats(lang: Lang): { plural: Intl.PluralRules; number: Intl.NumberFormat } {
  let formats = countFormatsByLang.get(lang);
  if (!formats) {
    formats = { plural: new Intl.PluralRules(lang), number: new Intl.NumberFormat(lang) };
    countFormatsByLang.set(lang, formats);
  }
  return formats;
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
