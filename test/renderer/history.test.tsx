import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type HistoryEntry } from '../../app/shared/app-state';
import { historyEntry, makeState } from './fixtures';
import { renderApp } from './render';

/** `n` entries newest first, as main sends them: run n at the top, one hour apart. */
function entries(n: number, over: Partial<HistoryEntry> = {}): HistoryEntry[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const runId = n - i;
    return historyEntry({ runId, time: new Date(start + runId * 3_600_000).toISOString(), ...over });
  });
}

// Plain DOM queries: role queries over hundreds of rows are slow in jsdom, and a row is a row either way.
const bodyRows = () => Array.from(screen.getByRole('table').querySelectorAll('tbody tr'));
const timeOf = (row: Element | undefined) => row?.querySelector('time')?.getAttribute('dateTime');

describe('a long history', () => {
  it('shows the newest 50 and a button for the older ones, which the keyboard reveals, focus going to the first revealed row', async () => {
    const { user } = renderApp(makeState(), { history: entries(80) });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    await screen.findByRole('table');
    expect(bodyRows()).toHaveLength(50);
    expect(timeOf(bodyRows()[0])).toBe(entries(80)[0]!.time);
    // A screen reader hears how long the whole table is, not only the rows shown.
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('81');

    const more = screen.getByRole('button', { name: 'Show 30 older updates' });
    more.focus();
    await user.keyboard('{Enter}');

    const rows = bodyRows();
    expect(rows).toHaveLength(80);
    expect(screen.queryByRole('button', { name: /older update/ })).toBeNull();
    expect(screen.getByRole('table').hasAttribute('aria-rowcount')).toBe(false);
    expect(document.activeElement).toBe(rows[50]);
    expect(timeOf(rows[50])).toBe(entries(80)[50]!.time);
    expect(timeOf(rows[79])).toBe(entries(80)[79]!.time);
  });

  it('keeps the revealed history whole when a new update adds an entry', async () => {
    const { user, fake, store } = renderApp(makeState(), { history: entries(80) });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    await user.click(await screen.findByRole('button', { name: 'Show 30 older updates' }));
    fake.calls.getHistory.mockResolvedValue({ ok: true, value: entries(81) } as never);
    await act(() => store.getState().loadHistory());
    expect(bodyRows()).toHaveLength(81);
    expect(screen.queryByRole('button', { name: /older update/ })).toBeNull();
  });

  it('starts again at the newest 50 for another filter, which main applies to the whole history', async () => {
    const { user, fake } = renderApp(makeState(), { history: entries(80) });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    await user.click(await screen.findByRole('button', { name: 'Show 30 older updates' }));
    fake.calls.getHistory.mockResolvedValue({ ok: true, value: entries(70, { result: 'failed' }) } as never);
    await user.selectOptions(screen.getByLabelText('Show'), 'failed');
    expect(fake.calls.getHistory).toHaveBeenLastCalledWith({ result: 'failed' });
    expect(await screen.findByRole('button', { name: 'Show 20 older updates' })).toBeTruthy();
    expect(bodyRows()).toHaveLength(50);
  });

  it('says how many older updates there are in Russian plural forms', async () => {
    const ru = makeState({ settings: { ...DEFAULT_SETTINGS, language: 'ru' } });
    const { user } = renderApp(ru, { history: entries(52) });
    await user.click(await screen.findByRole('button', { name: 'История' }));
    expect(await screen.findByRole('button', { name: 'Показать ещё 2 более ранних обновления' })).toBeTruthy();
  });
});
