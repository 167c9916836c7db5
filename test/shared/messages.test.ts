/** The one message table: complete in every language, one vocabulary, and the formatting that depends on language. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  COUNTS,
  DICTIONARIES,
  formatAgo,
  formatCount,
  formatElapsed,
  message,
  renderMessage,
  resolveLanguage,
  translator,
  verbatim,
  type MessageKey,
} from '../../app/shared/messages';
import { en } from '../../app/shared/messages/en';
import { repoRoot } from '../support/paths';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(en).sort() as MessageKey[];

describe('the message table', () => {
  for (const [lang, dict] of Object.entries(DICTIONARIES)) {
    test(`${lang} defines every key, and nothing else, with non-empty text`, () => {
      assert.deepEqual(Object.keys(dict).sort(), keys);
      for (const key of keys) assert.notEqual(dict[key].trim(), '', key);
    });
  }

  test('uses the same placeholders in every language', () => {
    for (const key of keys) for (const dict of Object.values(DICTIONARIES)) assert.deepEqual(placeholders(dict[key]), placeholders(en[key]), key);
  });

  test('Russian is really translated (no English sentence copied over)', () => {
    const same = keys.filter((k) => DICTIONARIES.ru[k] === en[k] && /[a-z]{4,} [a-z]{3,}/.test(en[k]));
    assert.deepEqual(same, []);
  });

  test('fills placeholders, including a message inside a message, in the reader’s language', () => {
    assert.equal(translator('en')('progress.of', { current: 2, total: 3 }), 'Update 2 of 3');
    assert.equal(translator('ru')('progress.of', { current: 2, total: 3 }), 'Обновление 2 из 3');
    const refusal = message('cancel.refused.other', { hex: '0x80004005', message: message('error.message.code', { hex: '0x80004005' }) });
    assert.equal(renderMessage('en', refusal), 'Defender refused to cancel (0x80004005): Error 0x80004005 The update continues.');
    assert.equal(renderMessage('ru', refusal), 'Defender отказался отменить обновление (0x80004005): Ошибка 0x80004005 Обновление продолжается.');
  });

  test('the static shell in index.html (painted before the language is known) shows only the product name, the same in every language', () => {
    const html = readFileSync(join(repoRoot, 'app', 'renderer', 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
    const texts = [...body.matchAll(/>([^<]+)</g)].map((m) => m[1]!.replace(/&nbsp;/g, ' ').trim()).filter(Boolean);
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
    assert.deepEqual(new Set(Object.values(DICTIONARIES).map((dict) => dict['app.title'])), new Set([title]));
    assert.deepEqual(texts, [title]);
  });

  test('Defender’s own text is shown exactly as Windows wrote it, in any language', () => {
    const text = 'Отказано в доступе. <&>';
    assert.equal(renderMessage('en', verbatim(text)), text);
    assert.equal(renderMessage('ru', verbatim(text)), text);
  });
});

describe('one vocabulary', () => {
  const entries = (lang: keyof typeof DICTIONARIES) => Object.entries(DICTIONARIES[lang]) as [MessageKey, string][];

  test('English says "security intelligence", never signatures, definitions or databases', () => {
    assert.deepEqual(
      entries('en').filter(([, text]) => /signature|definition|database/i.test(text)),
      [],
    );
  });

  test('Russian uses one term, «аналитика безопасности», wherever English says security intelligence', () => {
    assert.deepEqual(
      entries('ru').filter(([, text]) => /баз[аыуе]|сигнатур|определени/i.test(text)),
      [],
    );
    const missing = entries('en')
      .filter(([, text]) => /security intelligence/i.test(text))
      .filter(([key]) => !/аналитик\S* безопасности/i.test(DICTIONARIES.ru[key]))
      .map(([key]) => key);
    assert.deepEqual(missing, []);
  });

  test('in Russian «Журнал» is the event log only; History is «История»', () => {
    assert.deepEqual(
      // «Журнал событий Windows» is Windows' own name for its Event Log, where the CLI says a write failed.
      entries('ru').filter(([key, text]) => /журнал/i.test(text.replace(/Журнал событий Windows/g, '')) && !key.startsWith('log.')),
      [],
    );
    assert.equal(DICTIONARIES.ru['nav.history'], 'История');
  });
});

describe('language', () => {
  test('follows the system language when set to system', () => {
    assert.equal(resolveLanguage('system', 'ru-RU'), 'ru');
    assert.equal(resolveLanguage('system', 'en-GB'), 'en');
    assert.equal(resolveLanguage('system', 'de-DE'), 'en');
    assert.equal(resolveLanguage(undefined, undefined), 'en');
  });
  test('an explicit choice wins over the system', () => {
    assert.equal(resolveLanguage('en', 'ru-RU'), 'en');
    assert.equal(resolveLanguage('ru', 'en-US'), 'ru');
  });
});

describe('times in words', () => {
  const now = Date.parse('2026-05-12T12:00:00Z');
  test('says how long ago, in the largest unit', () => {
    assert.equal(formatAgo('en', now - 3 * 3_600_000, now), '3 hours ago');
    assert.equal(formatAgo('en', now - 86_400_000, now), '1 day ago');
    assert.equal(formatAgo('en', now - 10_000, now), 'just now');
    assert.equal(formatAgo('ru', now - 10_000, now), 'только что');
    assert.equal(formatAgo('ru', now - 3 * 3_600_000, now), '3 часа назад');
    assert.equal(formatAgo('ru', now - 5 * 60_000, now), '5 минут назад');
  });
  test('counts whole days past a day, never "last week" or "last month"', () => {
    const days = (n: number) => now - n * 86_400_000 - 3_600_000;
    assert.equal(formatAgo('en', days(11), now), '11 days ago');
    assert.equal(formatAgo('en', days(45), now), '45 days ago');
    assert.equal(formatAgo('en', days(400), now), '400 days ago');
    assert.equal(formatAgo('ru', days(1), now), '1 день назад');
    assert.equal(formatAgo('ru', days(3), now), '3 дня назад');
    assert.equal(formatAgo('ru', days(11), now), '11 дней назад');
    assert.equal(formatAgo('ru', days(21), now), '21 день назад');
    assert.equal(formatAgo('ru', days(45), now), '45 дней назад');
    assert.equal(formatAgo('ru', now - 22 * 3_600_000, now), '22 часа назад');
    assert.equal(formatAgo('ru', now - 21 * 60_000, now), '21 минуту назад');
  });
  test('every language has each plural form its grammar asks for', () => {
    for (const [lang, counts] of Object.entries(COUNTS)) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const [key, forms] of Object.entries(counts))
        for (const category of categories) assert.match(forms[category] ?? '', /\{n\}/, `${lang} ${key} ${category}`);
    }
    assert.equal(formatCount('ru', 'days', 2), '2 дня');
    assert.equal(formatCount('ru', 'showOlder', 1), 'Показать ещё 1 более раннее обновление');
    assert.equal(formatCount('ru', 'showOlder', 400), 'Показать ещё 400 более ранних обновлений');
    assert.equal(formatCount('en', 'showOlder', 1), 'Show 1 older update');
    assert.equal(formatCount('en', 'days', 1), '1 day');
  });
  test('elapsed time is m:ss, h:mm:ss past an hour', () => {
    assert.equal(formatElapsed(65_000), '1:05');
    assert.equal(formatElapsed(3_725_000), '1:02:05');
    assert.equal(formatElapsed(-5), '0:00');
  });
});
