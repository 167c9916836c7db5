/** Settings an organisation manages: locked, labelled and read out as such; Cancel under AllowCancel=0; ignored values. */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, NO_POLICY, type PolicyState } from '../../app/shared/app-state';
import { message } from '../../app/shared/messages';
import { makeState, running } from './fixtures';
import { renderApp } from './render';

function managedState(
  policy: Partial<PolicyState>,
  settings: Partial<typeof DEFAULT_SETTINGS> | { autoCheckHours: number } = {},
  language: 'en' | 'ru' = 'en',
) {
  return makeState({ settings: { ...DEFAULT_SETTINGS, language, ...settings }, policy: { ...NO_POLICY, ...policy } });
}

/** The ids a control names in aria-describedby, resolved to their text. */
function description(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

describe('settings managed by policy', () => {
  it('locks each managed control, labels it and describes it to a screen reader; the others stay the user’s', async () => {
    const { user } = renderApp(
      managedState(
        { managed: { source: 'UpdateSource', language: 'Language', rebootReminderHours: 'RestartReminderHours' } },
        { source: 'wsus', rebootReminderHours: 48 },
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const source = screen.getByLabelText<HTMLSelectElement>('Update source');
    expect(source.disabled).toBe(true);
    expect(source.value).toBe('wsus');
    expect(description(source)).toContain('Managed by your organization');
    const language = screen.getByLabelText<HTMLSelectElement>('Language');
    expect(language.disabled).toBe(true);
    expect(description(language)).toBe('Managed by your organization');
    const reminder = screen.getByLabelText<HTMLSelectElement>('Remind me to restart after');
    expect(reminder.disabled).toBe(true);
    expect(reminder.value).toBe('48');
    const auto = screen.getByLabelText<HTMLSelectElement>('Check for updates automatically');
    expect(auto.disabled).toBe(false);
    expect(description(auto)).not.toContain('Managed');
    expect(screen.getAllByText('Managed by your organization')).toHaveLength(3);
  });

  it('says it in Russian when the window speaks Russian', async () => {
    const { user } = renderApp(managedState({ managed: { source: 'AllowSourceChoice' } }, {}, 'ru'));
    await user.click(await screen.findByRole('button', { name: 'Настройки' }));
    const source = screen.getByLabelText<HTMLSelectElement>('Источник обновлений');
    expect(source.disabled).toBe(true);
    expect(description(source)).toContain('Управляется вашей организацией');
  });

  it('shows an interval the policy set that the window does not offer, saying who set it', async () => {
    const { user } = renderApp(managedState({ managed: { autoCheckHours: 'AutoCheckHours' } }, { autoCheckHours: 6 }));
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const auto = screen.getByLabelText<HTMLSelectElement>('Check for updates automatically');
    expect(auto.disabled).toBe(true);
    expect(auto.selectedOptions[0]?.textContent).toBe('Every 6 hours (set by your organization)');
  });

  it('shows the FileSharePath folder read-only, labelled, with no Save button', async () => {
    const { user } = renderApp(
      managedState(
        { managed: { source: 'UpdateSource', sharePath: 'FileSharePath' }, fileSharePath: '\\\\files\\defender' },
        { source: 'file-share', sharePath: '\\\\files\\defender' },
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const folder = screen.getByLabelText<HTMLInputElement>('Folder or file share (optional)');
    expect(folder.value).toBe('\\\\files\\defender');
    expect(folder.readOnly).toBe(true);
    expect(description(folder)).toContain('Managed by your organization');
    expect(screen.queryByRole('button', { name: 'Save folder' })).toBeNull();
  });

  it('on the Update screen a managed source has no Change button, only who set it', async () => {
    renderApp(managedState({ managed: { source: 'UpdateSource' } }, { source: 'mmpc' }));
    expect(await screen.findByText('Set by your organization')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Change' })).toBeNull();
  });
});

describe('AllowCancel=0', () => {
  it('Cancel stays in place, unavailable, says why, and sends nothing when pressed', async () => {
    const { user, fake } = renderApp(makeState({ policy: { ...NO_POLICY, allowCancel: false } }, running()));
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    expect(cancel.getAttribute('aria-disabled')).toBe('true');
    expect(description(cancel)).toBe('Managed by your organization: an update that has started runs to its end.');
    await user.click(cancel);
    expect(fake.calls.cancelUpdate).not.toHaveBeenCalled();
  });

  it('without the policy Cancel works as before', async () => {
    const { user, fake } = renderApp(makeState({}, running()));
    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    expect(cancel.getAttribute('aria-disabled')).toBeNull();
    await user.click(cancel);
    expect(fake.calls.cancelUpdate).toHaveBeenCalled();
  });
});

describe('ignored policy values', () => {
  const ignored: PolicyState['ignored'] = [
    { name: 'AutoCheckHours', hive: 'HKLM', reason: message('policy.invalid.range', { name: 'AutoCheckHours', value: '48', min: 0, max: 24 }) },
    { name: 'Langauge', hive: 'HKCU', reason: message('policy.invalid.unknown', { name: 'Langauge' }) },
  ];

  it('are one notice in About, naming each value with its reason', async () => {
    const { user } = renderApp(makeState({ policy: { ...NO_POLICY, ignored } }));
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'About' });
    const notice = within(about).getByRole('region', { name: 'Policy values ignored' });
    expect(
      within(notice)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['HKLM: AutoCheckHours is 48; allowed: 0 to 24.', 'HKCU: "Langauge" is not a Defender Updater policy.']);
    expect(screen.getAllByRole('region', { name: 'Policy values ignored' })).toHaveLength(1);
  });

  it('read in Russian in a Russian window', async () => {
    const { user } = renderApp(makeState({ settings: { ...DEFAULT_SETTINGS, language: 'ru' }, policy: { ...NO_POLICY, ignored } }));
    await user.click(await screen.findByRole('button', { name: 'Настройки' }));
    expect(screen.getByText('HKLM: AutoCheckHours равно 48; допустимо: от 0 до 24.')).toBeTruthy();
  });

  it('no notice when every value was used', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(screen.queryByTestId('policy-ignored')).toBeNull();
  });
});
