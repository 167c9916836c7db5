import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime, type Lang } from '../../app/renderer/src/i18n';
import { historyEntry, makeState } from './fixtures';
import { renderApp } from './render';

// Moments around both 2026 daylight-saving changes in Europe and the US, midnight and the end of the year.
const MOMENTS = [
  '2026-01-01T00:00:00Z',
  '2026-03-08T10:30:00Z',
  '2026-03-29T00:59:00Z',
  '2026-03-29T01:00:00Z',
  '2026-07-15T12:34:56Z',
  '2026-10-25T01:30:00Z',
  '2026-12-31T23:59:59Z',
].map((iso) => Date.parse(iso));

describe('dates and times', () => {
  it('read exactly as a date format built for each call writes them, in English and Russian, whatever was formatted before', () => {
    // Interleaved: a format kept for one language or style must never answer for another.
    for (const ms of MOMENTS) {
      for (const lang of ['en', 'ru'] as Lang[]) {
        expect(formatDateTime(lang, ms)).toBe(new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms));
        expect(formatTime(lang, ms)).toBe(new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms));
      }
    }
  });

  it('the History view builds its date format once, not once per row', async () => {
    const entries = Array.from({ length: 50 }, (_, i) =>
      historyEntry({ runId: 50 - i, time: new Date(MOMENTS[0]! + (50 - i) * 3_600_000).toISOString() }),
    );
    const expected = entries.map((entry) =>
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(entry.time)),
    );
    const { user, container } = renderApp(makeState(), { history: entries });
    const Real = Intl.DateTimeFormat;
    let built = 0;
    Intl.DateTimeFormat = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        built++;
      }
    } as unknown as typeof Real;
    try {
      await user.click(await screen.findByRole('button', { name: 'History' }));
      await screen.findByRole('table');
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect([...container.querySelectorAll('tbody time')].map((time) => time.textContent)).toEqual(expected);
    expect(built).toBeLessThanOrEqual(2);
  });
});
