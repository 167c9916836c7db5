/** Issue 11: protection at a glance, the right action first, the smaller points, and the update type Defender used. */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import type { SigUpdateType } from '../../app/shared/update';
import { formatDateTime } from '../../app/renderer/src/i18n';
import { failure, historyEntry, HOUR, makeState, running, versions } from './fixtures';
import { renderApp } from './render';

const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ru = { ...DEFAULT_SETTINGS, language: 'ru' as const };
/** The text an element's aria-describedby points at, as a screen reader would read it after the name. */
const description = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
/** Text as shown, without the exact-time tooltips that appear only on hover or focus. */
function visibleText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('[role=tooltip]').forEach((tip) => tip.remove());
  return copy.textContent ?? '';
}

describe('status header at a glance', () => {
  it('after "Already up to date" says it was checked just now and the newest version is installed', async () => {
    renderApp(makeState({ versions: versions('1.413.100.0', ago(3 * DAY)) }, { runId: 1, phase: 'up-to-date', endedAt: Date.now() }));
    expect(await screen.findByRole('heading', { name: 'Protected and up to date' })).toBeTruthy();
    expect(visibleText(screen.getByTestId('status-checked'))).toBe('Checked just now; the newest version is installed');
    expect(screen.getByTestId('signature-age-text').textContent).toBe('3 days ago');
  });

  it('a failed last update survives a restart: the newest history entry still says so', async () => {
    // The window reopened: main's snapshot has no run and no outcome; only history knows.
    renderApp(makeState({ versions: versions('1.413.100.0', ago(3 * DAY)) }), {
      history: [historyEntry({ result: 'failed', time: ago(2 * HOUR), hresult: '0x80072EE7' }), historyEntry({ time: ago(DAY) })],
    });
    expect(await screen.findByRole('heading', { name: 'Needs attention' })).toBeTruthy();
    expect(screen.getByText('The last update failed.')).toBeTruthy();
    expect(visibleText(screen.getByTestId('status-checked'))).toBe('Last checked 2 hours ago');
  });

  it('that failure stops counting once security intelligence was updated after it', async () => {
    renderApp(makeState({ versions: versions('1.413.101.0', ago(1 * HOUR)) }), {
      history: [historyEntry({ result: 'failed', time: ago(5 * HOUR) })],
    });
    // Wait for the history answer, which brings the "Last checked" line.
    expect(visibleText(await screen.findByTestId('status-checked'))).toBe('Last checked 5 hours ago');
    expect(screen.getByRole('heading', { name: 'Protected and up to date' })).toBeTruthy();
    expect(screen.queryByText('The last update failed.')).toBeNull();
  });

  it('says ages in exact days, never "last week" or "last month"', async () => {
    renderApp(makeState({ versions: versions('1.413.100.0', ago(45 * DAY + HOUR)) }));
    expect((await screen.findByTestId('signature-age-text')).textContent).toBe('45 days ago');
    expect(screen.getByText('Security intelligence is 45 days old.')).toBeTruthy();
  });

  it('says ages in Russian with the right plural', async () => {
    renderApp(makeState({ settings: ru, versions: versions('1.413.100.0', ago(11 * DAY + HOUR)) }));
    expect((await screen.findByTestId('signature-age-text')).textContent).toBe('11 дней назад');
    expect(screen.getByText('Аналитика безопасности не обновлялась 11 дней.')).toBeTruthy();
  });

  it('keeps the exact date and time one keystroke away, and tells screen readers', async () => {
    const updatedAt = ago(3 * DAY);
    const { user } = renderApp(makeState({ versions: versions('1.413.100.0', updatedAt) }));
    const age = await screen.findByTestId('signature-age-text');
    expect(age.getAttribute('title')).toBeNull();
    expect(age.tabIndex).toBe(0);
    // Tab, Tab, Tab: the three tabs; the next stop is the age.
    for (let i = 0; i < 4; i++) await user.tab();
    expect(document.activeElement).toBe(age);
    expect(description(age)).toBe(formatDateTime('en', Date.parse(updatedAt)));
  });
});

describe('one vocabulary', () => {
  it('the big button says security intelligence, in both languages', async () => {
    renderApp();
    expect(await screen.findByRole('button', { name: 'Update security intelligence' })).toBeTruthy();
    renderApp(makeState({ settings: ru }));
    expect(await screen.findByRole('button', { name: 'Обновить аналитику безопасности' })).toBeTruthy();
  });

  it('in Russian, History and the event log have different names', async () => {
    const { user } = renderApp(makeState({ settings: ru }));
    const history = await screen.findByRole('button', { name: 'История' });
    expect(screen.getByText(/^Журнал событий/)).toBeTruthy();
    await user.click(history);
    expect(await screen.findByRole('heading', { name: 'История' })).toBeTruthy();
  });
});

describe('history table', () => {
  it('shows a code only for failures, not 0x00000000 beside a success', async () => {
    const { user } = renderApp(makeState(), {
      history: [
        historyEntry({ runId: 3, result: 'up-to-date', hresult: '0x00000001' }),
        historyEntry({ runId: 2, result: 'failed', hresult: '0x80072EE7' }),
        historyEntry({ runId: 1, result: 'succeeded', hresult: '0x00000000' }),
      ],
    });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    const table = await screen.findByRole('table');
    const codes = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.querySelectorAll('td')[5]!.textContent);
    expect(codes).toEqual(['', '0x80072EE7', '']);
  });

  it('its scrolling region has a name of its own, not a second "History"', async () => {
    const { user } = renderApp(makeState(), { history: [historyEntry()] });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    await screen.findByRole('table');
    expect(screen.getAllByRole('region', { name: 'History' })).toHaveLength(1);
    expect(screen.getByRole('region', { name: 'Past updates' }).querySelector('table')).toBeTruthy();
  });
});

describe('error card: the right action first', () => {
  it('puts the plain-language cause before the code, and the helpful retry first as the primary button', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'failed', error: failure(0x80072ee7, 'The server name or address could not be resolved') }));
    const card = await screen.findByTestId('error-card');
    const cause = within(card).getByTestId('error-cause');
    const hex = within(card).getByTestId('error-hex');
    expect(cause.compareDocumentPosition(hex) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const buttons = within(card).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Retry with direct download from Microsoft', 'Retry']);
    expect(buttons[0]!.className).toContain('btn--primary');
    expect(buttons[1]!.className).not.toContain('btn--primary');
  });

  it('with the default source offered, that comes first too', async () => {
    renderApp(
      makeState(
        {},
        { runId: 1, phase: 'failed', error: failure(0x80070057, 'The parameter is incorrect.', { kind: 'source-unsupported', source: 'wsus' }) },
      ),
    );
    const buttons = within(await screen.findByTestId('error-card')).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Retry with the default source', 'Retry']);
    expect(buttons[0]!.className).toContain('btn--primary');
  });

  it('with nothing better to offer (access denied to an app already running as administrator), plain Retry is the primary button', async () => {
    renderApp(
      makeState({ elevation: 'elevated' }, { runId: 1, phase: 'failed', error: failure(0x80070005, 'Access is denied.', { kind: 'start-failed' }) }),
    );
    const buttons = within(await screen.findByTestId('error-card')).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Retry']);
    expect(buttons[0]!.className).toContain('btn--primary');
  });
});

describe('smaller points', () => {
  it('the demo explanation is visible text, not only a tooltip', async () => {
    renderApp(makeState({ availability: { kind: 'available', libraryPath: '/x.so', demo: true } }));
    const badge = await screen.findByText('Demo');
    expect(badge.getAttribute('title')).toBeNull();
    expect(screen.getByText('Demo mode: a simulated Defender; nothing on this computer changes.')).toBeTruthy();
  });

  it('"Restart now" says Windows restarts in one minute', async () => {
    renderApp(makeState({ reboot: { kind: 'needed', since: Date.now(), remindAt: null } }, { runId: 1, phase: 'reboot-required' }));
    const restart = await screen.findByRole('button', { name: 'Restart now' });
    expect(description(restart)).toMatch(/restarts Windows in one minute/);
    expect(screen.getByText(/restarts Windows in one minute/)).toBeTruthy();
  });
});

describe('the update type Defender used', () => {
  const cases: [SigUpdateType | null, string | null][] = [
    ['http', 'Direct download from Microsoft'],
    ['http-srv', 'Direct download from Microsoft'],
    ['unc', 'File share'],
    ['unmanaged', 'Windows Update'],
    ['unmanaged-platform', 'Windows Update'],
    ['managed', 'WSUS'],
    ['managed-platform', 'WSUS'],
    ['none', null],
    ['unknown', null],
    [null, null],
  ];

  it.each(cases)('%s during an update: %s', async (sigType, words) => {
    renderApp(makeState({}, running({ sigType })));
    await screen.findByRole('progressbar');
    if (words) expect(screen.getByTestId('update-type').textContent).toBe(`Defender is using: ${words}`);
    else expect(screen.queryByTestId('update-type')).toBeNull();
  });

  it('after the update, next to the source that was asked for', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'up-to-date', source: 'default', sigType: 'managed', versionsAfter: versions('1.413.100.0', null) }));
    const card = await screen.findByTestId('result-card');
    expect(within(card).getByText('Source: Default (as Windows is set up)')).toBeTruthy();
    expect(within(card).getByTestId('update-type').textContent).toBe('Defender used: WSUS');
  });

  it('after a failure, on the error card', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'failed', sigType: 'unc', error: failure(0x80072ee7, 'x', { source: 'file-share' }) }));
    expect(within(await screen.findByTestId('error-card')).getByTestId('update-type').textContent).toBe('Defender used: File share');
  });

  it('in Russian', async () => {
    renderApp(makeState({ settings: ru }, running({ sigType: 'unmanaged' })));
    expect((await screen.findByTestId('update-type')).textContent).toBe('Defender использует: Центр обновления Windows');
  });
});
