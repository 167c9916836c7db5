/**
 * Issue 11 §2, §4 and §8 in the window: last and next check, the freshness setting, Change focusing the source field,
 * Restart as administrator, Check again and Open Windows Security, and opening an export.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import { formatDateTime } from '../../app/renderer/src/i18n';
import { verbatim } from '../../app/shared/messages';
import { failure, historyEntry, HOUR, makeState } from './fixtures';
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

describe('access denied: Restart as administrator first', () => {
  const denied = (elevation: 'standard' | 'elevated' | 'unsupported' = 'standard') =>
    makeState({ elevation }, { runId: 3, phase: 'failed', error: failure(0x80070005, 'Access is denied.') });

  it('is the primary button, before Retry, and says what will happen', async () => {
    const { user, fake } = renderApp(denied());
    const restart = await screen.findByRole('button', { name: 'Restart as administrator' });
    const card = screen.getByTestId('error-card');
    const buttons = within(card).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Restart as administrator', 'Retry']);
    expect(restart.className).toMatch(/btn--primary/);
    expect(buttons[1]!.className).not.toMatch(/btn--primary/);
    expect(document.getElementById(restart.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/Windows asks for permission/);
    await user.click(restart);
    expect(fake.calls.restartElevated).toHaveBeenCalledTimes(1);
  });

  it('after a declined prompt says nothing happened, and can be tried again', async () => {
    const { user, fake } = renderApp(denied());
    fake.calls.restartElevated.mockResolvedValueOnce({ ok: true, value: { kind: 'declined' } } as never);
    await user.click(await screen.findByRole('button', { name: 'Restart as administrator' }));
    expect((await screen.findByTestId('restart-declined')).textContent).toBe(
      'Defender Updater was not restarted: Windows did not give administrator rights.',
    );
    await user.click(screen.getByRole('button', { name: 'Restart as administrator' }));
    expect(fake.calls.restartElevated).toHaveBeenCalledTimes(2);
  });

  it('is not offered when the app already runs as administrator, or outside the Windows app', async () => {
    for (const elevation of ['elevated', 'unsupported'] as const) {
      const { unmount } = renderApp(denied(elevation));
      const retry = await screen.findByRole('button', { name: 'Retry' });
      expect(screen.queryByRole('button', { name: 'Restart as administrator' })).toBeNull();
      expect(retry.className).toMatch(/btn--primary/);
      unmount();
    }
  });

  it('is translated', async () => {
    renderApp(makeState({ settings: { ...DEFAULT_SETTINGS, language: 'ru' } }, { runId: 3, phase: 'failed', error: failure(0x80070005) }));
    expect(await screen.findByRole('button', { name: 'Перезапустить от имени администратора' })).toBeTruthy();
  });
});

describe('Defender not available', () => {
  const unavailable = (reason: 'manager-open-failed' | 'not-windows') =>
    makeState({ availability: { kind: 'unavailable', reason, message: verbatim('MpManagerOpen returned 0x800106BA'), demo: false }, versions: null });

  it('offers Check again first, then Open Windows Security', async () => {
    const { user, fake } = renderApp(unavailable('manager-open-failed'));
    const check = await screen.findByRole('button', { name: 'Check again' });
    expect(check.className).toMatch(/btn--primary/);
    await user.click(check);
    expect(fake.calls.recheckAvailability).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Open Windows Security' }));
    expect(fake.calls.openWindowsSecurity).toHaveBeenCalledTimes(1);
  });

  it('when Check again finds Defender, the window becomes the normal one', async () => {
    const { user, fake } = renderApp(unavailable('manager-open-failed'));
    fake.calls.recheckAvailability.mockResolvedValueOnce({
      ok: true,
      value: { kind: 'available', libraryPath: 'C:\\MpClient.dll', demo: false },
    } as never);
    await user.click(await screen.findByRole('button', { name: 'Check again' }));
    expect((await screen.findByRole('button', { name: 'Update security intelligence' })).hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
  });

  it('off Windows there is no Windows Security to open', async () => {
    renderApp(unavailable('not-windows'));
    await screen.findByRole('button', { name: 'Check again' });
    expect(screen.queryByRole('button', { name: 'Open Windows Security' })).toBeNull();
  });
});

describe('after an export', () => {
  it('offers Open file and Show in folder for the file just written', async () => {
    const { user, fake } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'History' }));
    expect(screen.queryByRole('button', { name: 'Open file' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await user.click(await screen.findByRole('button', { name: 'Open file' }));
    expect(fake.calls.openExport).toHaveBeenLastCalledWith({ path: '/tmp/history.csv', how: 'file' });
    await user.click(screen.getByRole('button', { name: 'Show in folder' }));
    expect(fake.calls.openExport).toHaveBeenLastCalledWith({ path: '/tmp/history.csv', how: 'folder' });
  });
});
