/** Issue 11 §2 and §4 in the window: last and next check, the freshness setting, and Change focusing the source field. */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import { formatDateTime } from '../../app/renderer/src/i18n';
import { historyEntry, HOUR, makeState } from './fixtures';
import { renderApp } from './render';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('last and next check in the status area', () => {
  it('with the schedule on, says when the next check is, beside when the last one was', async () => {
    const next = Date.now() + 3 * HOUR;
    renderApp(
      makeState({
        schedule: { lastCheckAt: Date.now() - HOUR, nextCheckAt: next },
        settings: { ...DEFAULT_SETTINGS, language: 'en', autoCheckHours: 4 },
      }),
      {
        history: [historyEntry({ result: 'up-to-date', time: ago(HOUR) })],
      },
    );
    const line = await screen.findByTestId('status-next-check');
    expect(line.textContent).toBe(`Next check: ${formatDateTime('en', next)}`);
    expect(line.querySelector('time')?.getAttribute('datetime')).toBe(new Date(next).toISOString());
    expect((await screen.findByTestId('status-checked')).textContent).toMatch(/^Checked 1 hour ago/);
  });

  it('with the schedule off (the default), says nothing about a next check', async () => {
    renderApp(makeState(), { history: [historyEntry({ time: ago(2 * HOUR) })] });
    await screen.findByTestId('status-checked');
    expect(screen.queryByTestId('status-next-check')).toBeNull();
  });

  it('a check with no update in history (Defender was busy or missing) still counts as the last check', async () => {
    renderApp(makeState({ schedule: { lastCheckAt: Date.now() - 2 * HOUR, nextCheckAt: null } }));
    expect((await screen.findByTestId('status-checked')).textContent).toMatch(/^Last checked 2 hours ago/);
  });

  it('speaks Russian', async () => {
    const next = Date.now() + 3 * HOUR;
    renderApp(makeState({ schedule: { lastCheckAt: null, nextCheckAt: next }, settings: { ...DEFAULT_SETTINGS, language: 'ru' } }));
    expect((await screen.findByTestId('status-next-check')).textContent).toBe(`Следующая проверка: ${formatDateTime('ru', next)}`);
  });
});

describe('settings', () => {
  it('watching freshness is on by default, explained, and can be turned off', async () => {
    const { user, fake } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const box = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Tell me when security intelligence is out of date' });
    expect(box.checked).toBe(true);
    expect(document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/without going online/);
    await user.click(box);
    expect(fake.calls.setSettings).toHaveBeenCalledWith({ watchFreshness: false });
  });
});

describe('Change next to the source', () => {
  it('opens Settings with the keyboard focus on the source field, not the page', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Change' }));
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Update source' }));
  });

  it('the Settings tab itself leaves the focus where it was', async () => {
    const { user } = renderApp();
    const tab = await screen.findByRole('button', { name: 'Settings' });
    await user.click(tab);
    expect(document.activeElement).not.toBe(screen.getByRole('combobox', { name: 'Update source' }));
  });
});
