import { act, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import { verbatim } from '../../app/shared/messages';
import { outcomeOf } from '../support/outcome';
import { failure, historyEntry, HOUR, makeState, record, running, versions } from './fixtures';
import { renderApp } from './render';

const button = (name: string | RegExp) => screen.getByRole('button', { name });

describe('status header', () => {
  it('says protected, with the signature version, its age in words, engine and platform', async () => {
    renderApp(
      makeState({ versions: versions('1.413.102.0', new Date(Date.now() - 3 * HOUR - 60_000).toISOString(), '1.1.24090.11', '4.18.24090.11') }),
    );
    expect(await screen.findByRole('heading', { name: 'Protected and up to date' })).toBeTruthy();
    expect(screen.getByText('1.413.102.0')).toBeTruthy();
    expect(screen.getByText('3 hours ago')).toBeTruthy();
    expect(screen.getByText('Engine 1.1.24090.11 · Platform 4.18.24090.11')).toBeTruthy();
  });

  it('shows an impossible age as "unknown", never as a number, and asks for attention', async () => {
    // A time far in the future is what UINT32_MAX days look like once converted.
    renderApp(makeState({ versions: versions('1.413.102.0', '9999-12-31T00:00:00.000Z') }));
    expect(await screen.findByRole('heading', { name: 'Needs attention' })).toBeTruthy();
    expect(screen.getByTestId('signature-age').textContent).toBe('unknown');
    expect(screen.getByText(/does not say when security intelligence was last updated/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/4294967295|4,294,967,295/);
  });

  it('asks for attention when signatures are more than a week old', async () => {
    renderApp(makeState({ versions: versions('1.413.102.0', new Date(Date.now() - 10 * 24 * HOUR).toISOString()) }));
    expect(await screen.findByRole('heading', { name: 'Needs attention' })).toBeTruthy();
    expect(screen.getByText('Security intelligence is 10 days old.')).toBeTruthy();
  });
});

describe('update button', () => {
  it('starts an update, with the chosen source beside it', async () => {
    const { user, fake } = renderApp(makeState({ settings: { ...DEFAULT_SETTINGS, language: 'en', source: 'mmpc' } }));
    expect(await screen.findByText('Source: Direct download from Microsoft')).toBeTruthy();
    await user.click(button('Update security intelligence'));
    expect(fake.calls.startUpdate).toHaveBeenCalledTimes(1);
  });

  it('becomes Cancel while an update runs, and keeps focus', async () => {
    const { user, fake, push } = renderApp();
    const update = await screen.findByRole('button', { name: 'Update security intelligence' });
    update.focus();
    push(makeState({}, running()));
    const cancel = button('Cancel');
    expect(cancel).toBe(update);
    expect(document.activeElement).toBe(cancel);
    await user.click(cancel);
    expect(fake.calls.cancelUpdate).toHaveBeenCalledTimes(1);
  });

  it('keeps keyboard focus while the start request is on its way, and ignores a second press', async () => {
    const { user, fake } = renderApp();
    let answer!: (value: unknown) => void;
    fake.calls.startUpdate.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)) as never);
    const update = await screen.findByRole('button', { name: 'Update security intelligence' });
    update.focus();
    await user.keyboard('{Enter}');
    expect(update.getAttribute('aria-disabled')).toBe('true');
    expect((update as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement).toBe(update);
    await user.keyboard('{Enter}');
    expect(fake.calls.startUpdate).toHaveBeenCalledTimes(1);
    answer({ ok: true, value: { runId: 1, joined: false } });
  });

  it('shows a refused command as a translated message that can be dismissed', async () => {
    const { user, fake } = renderApp();
    fake.calls.startUpdate.mockResolvedValueOnce({ ok: false, error: { code: 'failed', message: 'engine busy' } } as never);
    await user.click(await screen.findByRole('button', { name: 'Update security intelligence' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The update could not be started.');
    expect(alert.textContent).toContain('engine busy');
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('progress', () => {
  it('shows the stepper, a determinate progress bar, update i of n and elapsed time', async () => {
    renderApp(makeState({}, running({ phase: 'downloading', percent: 42.4, current: 2, total: 3, startedAt: Date.now() - 65_000 })));
    const bar = await screen.findByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(screen.getByRole('heading', { name: 'Downloading…' })).toBeTruthy();
    expect(screen.getByText('Update 2 of 3')).toBeTruthy();
    expect(screen.getByTestId('elapsed').textContent).toMatch(/^Elapsed 1:0\d$/);
    const steps = within(screen.getByRole('list', { name: 'Update progress' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual(['Search (completed)', 'Download (in progress)', 'Install', 'Done']);
    expect(steps[1]!.getAttribute('aria-current')).toBe('step');
  });

  it('has no value while Defender gives no percent', async () => {
    renderApp(makeState({}, running({ phase: 'searching', percent: null, current: null, total: null })));
    expect((await screen.findByRole('progressbar')).hasAttribute('aria-valuenow')).toBe(false);
  });

  it('says a stalled update is stuck and offers Cancel', async () => {
    const { user, fake } = renderApp(makeState({}, running({ stalled: true, lastNotificationAt: Date.now() - 11 * 60_000 })));
    expect(await screen.findByText(/has not reported progress for 11 min/)).toBeTruthy();
    await user.click(button('Cancel update'));
    expect(fake.calls.cancelUpdate).toHaveBeenCalled();
  });

  it('explains a refused cancel from the update type Defender reported, not the source asked for', async () => {
    const refusal = failure(0x80070005, 'Access is denied.', { kind: 'cancel-refused', source: 'default', updateType: 'unmanaged' });
    renderApp(makeState({}, running({ source: 'default', cancelRefusal: refusal })));
    expect(
      await screen.findByText(
        'Defender refused to cancel (0x80070005): Access is denied. Only an administrator can cancel updates from Windows Update; this one goes on.',
      ),
    ).toBeTruthy();
  });

  it('a refusal that is not about rights does not blame the source', async () => {
    const refusal = failure(0x80070006, 'The handle is invalid.', { kind: 'cancel-refused', source: 'mmpc', updateType: 'http' });
    renderApp(makeState({}, running({ source: 'mmpc', cancelRefusal: refusal })));
    expect(await screen.findByText('Defender refused to cancel (0x80070006): The handle is invalid. The update goes on.')).toBeTruthy();
  });

  it('renders a storm of 10,000 notifications and ends on the exact final state', async () => {
    const { push, fake, user } = renderApp(makeState({}, running()));
    await screen.findByRole('progressbar');
    act(() => {
      for (let i = 1; i <= 10_000; i++) {
        fake.emit({
          type: 'progress',
          update: makeState({}, running({ percent: Math.floor(i / 100), notificationCount: i })).update,
          records: [record(i)],
          omitted: 0,
        });
      }
    });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    push(
      makeState(
        {},
        {
          ...running(),
          phase: 'succeeded',
          percent: 100,
          notificationCount: 10_003,
          versionsBefore: versions('1.413.100.0', null),
          versionsAfter: versions('1.413.102.0', null),
        },
      ),
    );
    expect(screen.getByText('Security intelligence updated')).toBeTruthy();
    expect(screen.getByTestId('notification-count').textContent).toBe('Event log (10003 notifications)');
    await user.click(screen.getByText('Event log (10003 notifications)'));
    expect(screen.getAllByRole('listitem').at(-1)?.textContent).toMatch(/^#10000 /);
  });
});

describe('results', () => {
  it('succeeded shows old → new version', async () => {
    renderApp(
      makeState(
        {},
        {
          runId: 1,
          phase: 'succeeded',
          startedAt: 1000,
          endedAt: 43_000,
          versionsBefore: versions('1.413.100.0', null),
          versionsAfter: versions('1.413.102.0', null),
        },
      ),
    );
    expect(await screen.findByRole('heading', { name: 'Security intelligence updated' })).toBeTruthy();
    expect(screen.getByText('Version 1.413.100.0 → 1.413.102.0')).toBeTruthy();
    expect(screen.getByText('Took 0:42')).toBeTruthy();
  });

  it('already up to date', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'up-to-date', versionsAfter: versions('1.413.100.0', null) }));
    expect(await screen.findByRole('heading', { name: 'Already up to date' })).toBeTruthy();
    expect(screen.getByText('Version 1.413.100.0 is the latest.')).toBeTruthy();
  });

  it('up to date on a PC fed from a shared signature folder says where its security intelligence comes from', async () => {
    renderApp(
      makeState({}, { runId: 1, phase: 'up-to-date', sharedSignatureRoot: '\\\\vdi\\Signatures', versionsAfter: versions('1.413.100.0', null) }),
    );
    expect(await screen.findByRole('heading', { name: 'Already up to date' })).toBeTruthy();
    expect(
      screen.getByText(
        'This PC takes its security intelligence from a shared folder set by your organization (\\\\vdi\\Signatures); it is updated there.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/is the latest/)).toBeNull();
  });

  it('cancelled', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'cancelled' }));
    expect(await screen.findByRole('heading', { name: 'Update cancelled' })).toBeTruthy();
  });

  it('failed shows the code, Defender’s text, cause and next step, and both retries', async () => {
    const { user, fake } = renderApp(
      makeState({}, { runId: 1, phase: 'failed', error: failure(0x80072ee7, 'The server name or address could not be resolved') }),
    );
    expect(await screen.findByRole('heading', { name: 'Update failed' })).toBeTruthy();
    expect(screen.getByText('0x80072EE7')).toBeTruthy();
    expect(screen.getByText('The server name or address could not be resolved')).toBeTruthy();
    expect(screen.getByTestId('error-cause').textContent).toMatch(/no internet connection, or DNS/);
    await user.click(button('Retry with direct download from Microsoft'));
    expect(fake.calls.startUpdate).toHaveBeenLastCalledWith({ source: 'mmpc' });
    await user.click(button('Retry'));
    expect(fake.calls.startUpdate).toHaveBeenLastCalledWith({ source: 'default' });
  });

  it('access denied advises administrator rights and offers no other source', async () => {
    renderApp(makeState({}, { runId: 1, phase: 'failed', error: failure(0x80070005, 'Access is denied.', { kind: 'start-failed' }) }));
    expect(await screen.findByText(/Run Defender Updater as an administrator/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /direct download/ })).toBeNull();
    expect(button('Retry')).toBeTruthy();
  });

  it('an unsupported source offers the default one', async () => {
    const { user, fake } = renderApp(
      makeState(
        {},
        {
          runId: 1,
          phase: 'failed',
          error: failure(0x80070057, 'The parameter is incorrect.', { kind: 'source-unsupported', source: 'file-share' }),
        },
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Retry with the default source' }));
    expect(fake.calls.startUpdate).toHaveBeenLastCalledWith({ source: 'default' });
  });

  it('moves focus to an error that happens while the window is open, and announces it', async () => {
    const { push } = renderApp(makeState({}, running()));
    await screen.findByRole('progressbar');
    push(makeState({}, { ...running(), phase: 'failed', error: failure(0x8050a004) }));
    const heading = screen.getByRole('heading', { name: 'Update failed' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByTestId('live-region').textContent).toBe('Update failed with error 0x8050A004.');
  });
});

describe('live region', () => {
  it('announces phase changes and results politely, not the state found on opening', async () => {
    const { push } = renderApp(makeState({}, { runId: 1, phase: 'up-to-date' }));
    const region = await screen.findByTestId('live-region');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('');
    push(makeState({}, running({ runId: 2, phase: 'searching' })));
    expect(region.textContent).toBe('Searching for updates…');
    push(makeState({}, running({ runId: 2, phase: 'downloading', percent: 10 })));
    expect(region.textContent).toBe('Downloading…');
    push(makeState({}, running({ runId: 2, phase: 'downloading', percent: 60 })));
    expect(region.textContent).toBe('Downloading…');
    // The result arrives a moment before the engine has read the new version: nothing about versions is said yet.
    push(makeState({}, { ...running({ runId: 2 }), phase: 'succeeded' }));
    expect(region.textContent).toBe('Finishing…');
    expect(screen.queryByTestId('result-versions')).toBeNull();
    const after = versions('1.413.102.0', null);
    const outcome = outcomeOf({ runId: 2, result: 'succeeded', versionsAfter: after });
    push(makeState({ lastOutcome: outcome, versions: after }, { ...running({ runId: 2 }), phase: 'succeeded', versionsAfter: after }));
    expect(region.textContent).toBe('Security intelligence updated to version 1.413.102.0.');
  });
});

describe('reboot prompt', () => {
  it('asks Restart now / Later, takes focus, and Later waits the chosen hours', async () => {
    const { push, user, fake } = renderApp();
    await screen.findByRole('button', { name: 'Update security intelligence' });
    push(makeState({ reboot: { kind: 'needed', since: Date.now(), remindAt: null } }, { runId: 1, phase: 'reboot-required' }));
    const heading = screen.getByRole('heading', { name: 'Restart to finish the update' });
    expect(document.activeElement).toBe(heading);
    await user.click(button('Later'));
    expect(fake.calls.answerReboot).toHaveBeenCalledWith({ answer: 'later', hours: 4 });
  });

  it('after Restart now offers Cancel restart', async () => {
    const { user, fake } = renderApp(makeState({ reboot: { kind: 'needed', since: Date.now(), remindAt: null } }));
    const at = Date.now() + 60_000;
    fake.calls.answerReboot.mockResolvedValueOnce({ ok: true, value: { kind: 'restart-scheduled', at } } as never);
    await user.click(await screen.findByRole('button', { name: 'Restart now' }));
    expect(fake.calls.answerReboot).toHaveBeenCalledWith({ answer: 'restart-now' });
    expect(await screen.findByRole('heading', { name: 'Restart scheduled' })).toBeTruthy();
    await user.click(button('Cancel restart'));
    expect(fake.calls.answerReboot).toHaveBeenLastCalledWith({ answer: 'abort-restart' });
  });

  it('after Later still offers Restart now, with the reminder time', async () => {
    renderApp(makeState({ reboot: { kind: 'needed', since: Date.now(), remindAt: Date.now() + 4 * HOUR } }));
    expect(await screen.findByRole('button', { name: 'Restart now' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Later' })).toBeNull();
    expect(screen.getByText(/We will remind you at/)).toBeTruthy();
  });
});

describe('Defender not available', () => {
  it('says why and disables Update', async () => {
    renderApp(makeState({ availability: { kind: 'unavailable', reason: 'not-windows', message: verbatim('linux'), demo: false }, versions: null }));
    expect(await screen.findByRole('heading', { name: 'Microsoft Defender is not available' })).toBeTruthy();
    expect(screen.getByText(/this computer runs another system/)).toBeTruthy();
    expect((button('Update security intelligence') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('while Defender has not answered yet', () => {
  it('says "Connecting to Defender…" at once, with Update disabled, then shows what Defender answered', async () => {
    const { push, user } = renderApp(makeState({ availability: { kind: 'connecting', demo: false }, versions: null }));
    expect(await screen.findByRole('heading', { name: 'Connecting to Defender…' })).toBeTruthy();
    expect(screen.getByText(/If it does not within 30 seconds, this window says so/)).toBeTruthy();
    expect((button('Update security intelligence') as HTMLButtonElement).disabled).toBe(true);
    const region = screen.getByTestId('live-region');
    expect(region.textContent, 'the state found on opening is not spoken').toBe('');

    push(
      makeState({
        availability: { kind: 'unavailable', reason: 'no-answer', message: verbatim('MpManagerOpen did not return within 30 s.'), demo: false },
        versions: null,
      }),
    );
    expect(screen.getByRole('heading', { name: 'Microsoft Defender is not available' })).toBeTruthy();
    expect(screen.getByText('Defender did not answer when the app started.')).toBeTruthy();
    expect(region.textContent, 'the late answer is announced').toBe('Microsoft Defender is not available');

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    push(makeState({ availability: { kind: 'connecting', demo: false }, versions: null }));
    const about = screen.getByRole('region', { name: 'About' });
    expect(within(about).getByText('Microsoft Defender').nextElementSibling?.textContent).toBe('Connecting to Defender…');
  });

  it('becomes the usual window once Defender answers', async () => {
    const { push } = renderApp(makeState({ availability: { kind: 'connecting', demo: false }, versions: null }));
    await screen.findByRole('heading', { name: 'Connecting to Defender…' });
    push(makeState());
    expect(screen.getByRole('heading', { name: 'Protected and up to date' })).toBeTruthy();
    expect((button('Update security intelligence') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('demo badge', () => {
  it('is visible on every screen', async () => {
    const { user } = renderApp(makeState({ availability: { kind: 'available', libraryPath: '/x.so', demo: true } }));
    for (const tab of ['Update', 'History', 'Settings']) {
      await user.click(await screen.findByRole('button', { name: tab }));
      expect(screen.getByText('Demo')).toBeTruthy();
    }
  });
});

describe('notices', () => {
  it('are shown translated and can be dismissed', async () => {
    const { user, fake } = renderApp(
      makeState({ notices: [{ id: 'n1', level: 'warning', key: 'settings-reset', detail: 'settings.json.corrupt-1' }] }),
    );
    expect(await screen.findByText(/settings file was damaged/)).toBeTruthy();
    await user.click(button('Dismiss'));
    expect(screen.queryByText(/settings file was damaged/)).toBeNull();
    expect(fake.calls.dismissNotice).toHaveBeenCalledWith({ id: 'n1' });
  });
});

describe('settings', () => {
  it('saves each change and can switch the whole window to Russian', async () => {
    const { user, fake } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.selectOptions(screen.getByLabelText('Update source'), 'mmpc');
    expect(fake.calls.setSettings).toHaveBeenCalledWith({ source: 'mmpc' });
    await user.selectOptions(screen.getByLabelText('Check for updates automatically'), '8');
    expect(fake.calls.setSettings).toHaveBeenLastCalledWith({ autoCheckHours: 8 });
    await user.click(screen.getByLabelText('Start at login, in the tray'));
    expect(fake.calls.setSettings).toHaveBeenLastCalledWith({ startAtLogin: true });
    await user.click(screen.getByLabelText('Show a notification when an update ends'));
    expect(fake.calls.setSettings).toHaveBeenLastCalledWith({ notifications: false });
    await user.selectOptions(screen.getByLabelText('Remind me to restart after'), '8');
    expect(fake.calls.setSettings).toHaveBeenLastCalledWith({ rebootReminderHours: 8 });
    await user.selectOptions(screen.getByLabelText('Language'), 'ru');
    expect(await screen.findByRole('heading', { name: 'Настройки' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('ru');
  });

  it('is keyboard reachable', async () => {
    const { user } = renderApp();
    await screen.findByRole('button', { name: 'Settings' });
    await user.tab();
    await user.tab();
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Settings');
    await user.keyboard('{Enter}');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByLabelText('Update source'));
  });
});

describe('about', () => {
  it('closes the Settings view with the app version, Defender’s versions and when signatures were updated', async () => {
    const updatedAt = '2026-05-12T09:30:00.000Z';
    const { user } = renderApp(makeState({ versions: versions('1.413.102.0', updatedAt, '1.1.24090.11', '4.18.24090.11') }));
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'About' });
    const value = (label: string) => within(about).getByText(label).nextElementSibling?.textContent;
    expect(value('Defender Updater version')).toBe('0.1.0');
    expect(value('Defender platform')).toBe('4.18.24090.11');
    expect(value('Defender engine')).toBe('1.1.24090.11');
    expect(value('Security intelligence')).toBe('1.413.102.0');
    expect(within(about).getByText('Security intelligence updated').nextElementSibling?.querySelector('time')?.getAttribute('dateTime')).toBe(
      updatedAt,
    );
  });

  it('Copy diagnostics asks main to copy and says so politely', async () => {
    const { user, fake } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'About' });
    expect(within(about).getByRole('status').textContent).toBe('');
    await user.click(within(about).getByRole('button', { name: 'Copy diagnostics' }));
    expect(fake.calls.copyDiagnostics).toHaveBeenCalledTimes(1);
    expect(fake.calls.copyDiagnostics).toHaveBeenCalledWith();
    expect((await within(about).findByRole('status')).textContent).toBe('Copied to the clipboard.');
  });

  it('a copy that fails says so beside the button and in the banner, and a later copy clears it', async () => {
    const { user, fake } = renderApp();
    fake.calls.copyDiagnostics.mockResolvedValueOnce({
      ok: false,
      error: { code: 'failed', message: 'the clipboard could not be written: busy' },
    } as never);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'About' });
    await user.click(within(about).getByRole('button', { name: 'Copy diagnostics' }));
    expect(await within(about).findByText('Diagnostics could not be copied.')).toBeTruthy();
    expect(within(about).getByRole('status').textContent).toBe('');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Diagnostics could not be copied.');
    expect(alert.textContent).toContain('the clipboard could not be written: busy');
    await user.click(within(about).getByRole('button', { name: 'Copy diagnostics' }));
    expect((await within(about).findByRole('status')).textContent).toBe('Copied to the clipboard.');
    expect(within(about).queryByText('Diagnostics could not be copied.')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('without Defender still shows the app version and can copy diagnostics', async () => {
    const { user, fake } = renderApp(
      makeState({ availability: { kind: 'unavailable', reason: 'not-windows', message: verbatim('Windows only'), demo: false }, versions: null }),
    );
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'About' });
    expect(within(about).getByText('Defender Updater version').nextElementSibling?.textContent).toBe('0.1.0');
    expect(within(about).getByText('Microsoft Defender').nextElementSibling?.textContent).toBe('Defender not available');
    await user.click(within(about).getByRole('button', { name: 'Copy diagnostics' }));
    expect(fake.calls.copyDiagnostics).toHaveBeenCalledTimes(1);
  });

  it('is reached with Tab after the last setting', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    screen.getByLabelText('Remind me to restart after').focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Copy diagnostics' }));
  });

  it('is translated', async () => {
    const { user } = renderApp(makeState({ settings: { ...DEFAULT_SETTINGS, language: 'ru' } }));
    await user.click(await screen.findByRole('button', { name: 'Настройки' }));
    const about = screen.getByRole('region', { name: 'О программе' });
    await user.click(within(about).getByRole('button', { name: 'Скопировать диагностические сведения' }));
    expect((await within(about).findByRole('status')).textContent).toBe('Скопировано в буфер обмена.');
  });
});

describe('history', () => {
  it('lists results, filters by result and exports', async () => {
    const { user, fake } = renderApp();
    fake.calls.getHistory.mockResolvedValue({
      ok: true,
      value: [
        historyEntry(),
        historyEntry({
          runId: 2,
          result: 'failed',
          hresult: '0x80072EE7',
          message: verbatim('The server name could not be resolved'),
          versionAfter: '1.413.100.0',
          versionBefore: '1.413.100.0',
        }),
      ],
    } as never);
    await user.click(await screen.findByRole('button', { name: 'History' }));
    const table = await screen.findByRole('table');
    expect(within(table).getByText('1.413.100.0 → 1.413.102.0')).toBeTruthy();
    expect(within(table).getByText('0x80072EE7')).toBeTruthy();
    expect(within(table).getByText('Failed')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Show'), 'failed');
    expect(fake.calls.getHistory).toHaveBeenLastCalledWith({ result: 'failed' });
    await user.click(button('Export CSV'));
    expect(fake.calls.exportHistory).toHaveBeenCalledWith({ format: 'csv' });
    expect(await screen.findByText('Saved to /tmp/history.csv')).toBeTruthy();
  });

  it('says when there is nothing yet', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'History' }));
    expect(await screen.findByText('No updates yet.')).toBeTruthy();
  });
});

describe('Russian', () => {
  it('follows a Russian system when the language is "system"', async () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('ru-RU');
    renderApp(
      makeState({
        settings: { ...DEFAULT_SETTINGS, language: 'system' },
        versions: versions('1.413.102.0', new Date(Date.now() - 3 * HOUR - 60_000).toISOString()),
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Защита включена, аналитика безопасности актуальна' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Обновить аналитику безопасности' })).toBeTruthy();
    expect(screen.getByText('3 часа назад')).toBeTruthy();
  });
});

describe('signature age after an update', () => {
  it('a time just newer than the last clock tick is "now", not unknown', async () => {
    const { push } = renderApp();
    await screen.findByRole('heading', { name: 'Protected and up to date' });
    push(makeState({ versions: versions('1.413.103.0', new Date(Date.now() + 5_000).toISOString()) }));
    expect(screen.getByTestId('signature-age-text').textContent).toBe('just now');
    expect(screen.getByRole('heading', { name: 'Protected and up to date' })).toBeTruthy();
  });
});
