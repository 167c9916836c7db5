import { describe, expect, it } from 'vitest';
import { COUNTS, DICTIONARIES, formatAgo, formatCount, formatElapsed, resolveLanguage, translator } from '../../app/renderer/src/i18n';
import { en } from '../../app/renderer/src/i18n/en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionary', () => {
  const keys = Object.keys(en).sort();

  it.each(Object.keys(DICTIONARIES))('%s defines every key, and nothing else, with non-empty text', (lang) => {
    const dict = DICTIONARIES[lang as keyof typeof DICTIONARIES];
    expect(Object.keys(dict).sort()).toEqual(keys);
    for (const key of keys) expect(dict[key as keyof typeof dict].trim(), key).not.toBe('');
  });

  it('uses the same placeholders in every language', () => {
    for (const key of keys) {
      for (const dict of Object.values(DICTIONARIES))
        expect(placeholders(dict[key as keyof typeof en]), key).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it('Russian is really translated (no English sentence copied over)', () => {
    const same = keys.filter(
      (k) => DICTIONARIES.ru[k as keyof typeof en] === en[k as keyof typeof en] && /[a-z]{4,} [a-z]{3,}/.test(en[k as keyof typeof en]),
    );
    expect(same).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translator('en')('progress.of', { current: 2, total: 3 })).toBe('Update 2 of 3');
    expect(translator('ru')('progress.of', { current: 2, total: 3 })).toBe('Обновление 2 из 3');
  });
});

describe('one vocabulary', () => {
  const entries = (lang: keyof typeof DICTIONARIES) => Object.entries(DICTIONARIES[lang]) as [keyof typeof en, string][];

  it('English says "security intelligence", never signatures, definitions or databases', () => {
    expect(entries('en').filter(([, text]) => /signature|definition|database/i.test(text))).toEqual([]);
  });

  it('Russian uses one term, «аналитика безопасности», wherever English says security intelligence', () => {
    expect(entries('ru').filter(([, text]) => /баз[аыуе]|сигнатур|определени/i.test(text))).toEqual([]);
    const missing = entries('en')
      .filter(([, text]) => /security intelligence/i.test(text))
      .filter(([key]) => !/аналитик\S* безопасности/i.test(DICTIONARIES.ru[key]))
      .map(([key]) => key);
    expect(missing).toEqual([]);
  });

  it('in Russian «Журнал» is the event log only; History is «История»', () => {
    expect(entries('ru').filter(([key, text]) => /журнал/i.test(text) && !key.startsWith('log.'))).toEqual([]);
    expect(DICTIONARIES.ru['nav.history']).toBe('История');
  });
});

describe('language', () => {
  it('follows the system language when set to system', () => {
    expect(resolveLanguage('system', 'ru-RU')).toBe('ru');
    expect(resolveLanguage('system', 'en-GB')).toBe('en');
    expect(resolveLanguage('system', 'de-DE')).toBe('en');
    expect(resolveLanguage(undefined, undefined)).toBe('en');
  });
  it('an explicit choice wins over the system', () => {
    expect(resolveLanguage('en', 'ru-RU')).toBe('en');
    expect(resolveLanguage('ru', 'en-US')).toBe('ru');
  });
});

describe('times in words', () => {
  const now = Date.parse('2026-05-12T12:00:00Z');
  it('says how long ago, in the largest unit', () => {
    expect(formatAgo('en', now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(formatAgo('en', now - 86_400_000, now)).toBe('1 day ago');
    expect(formatAgo('en', now - 10_000, now)).toBe('just now');
    expect(formatAgo('ru', now - 10_000, now)).toBe('только что');
    expect(formatAgo('ru', now - 3 * 3_600_000, now)).toBe('3 часа назад');
    expect(formatAgo('ru', now - 5 * 60_000, now)).toBe('5 минут назад');
  });
  it('counts whole days past a day, never "last week" or "last month"', () => {
    const days = (n: number) => now - n * 86_400_000 - 3_600_000;
    expect(formatAgo('en', days(11), now)).toBe('11 days ago');
    expect(formatAgo('en', days(45), now)).toBe('45 days ago');
    expect(formatAgo('en', days(400), now)).toBe('400 days ago');
    expect(formatAgo('ru', days(1), now)).toBe('1 день назад');
    expect(formatAgo('ru', days(3), now)).toBe('3 дня назад');
    expect(formatAgo('ru', days(11), now)).toBe('11 дней назад');
    expect(formatAgo('ru', days(21), now)).toBe('21 день назад');
    expect(formatAgo('ru', days(45), now)).toBe('45 дней назад');
    expect(formatAgo('ru', now - 22 * 3_600_000, now)).toBe('22 часа назад');
    expect(formatAgo('ru', now - 21 * 60_000, now)).toBe('21 минуту назад');
  });
  it('every language has each plural form its grammar asks for', () => {
    for (const [lang, counts] of Object.entries(COUNTS)) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const [key, forms] of Object.entries(counts))
        for (const category of categories) expect(forms[category], `${lang} ${key} ${category}`).toMatch(/\{n\}/);
    }
    expect(formatCount('ru', 'days', 2)).toBe('2 дня');
    expect(formatCount('en', 'days', 1)).toBe('1 day');
  });
  it('elapsed time is m:ss, h:mm:ss past an hour', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});
