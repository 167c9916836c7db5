/** Update without internet in the window: the file, the drop, the download link, repair and the share folder. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/shared/app-state';
import { failure, historyEntry, makeState, record, running } from './fixtures';
import { renderApp } from './render';

const button = (name: string | RegExp) => screen.getByRole('button', { name });

async function openOffline(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByText('Update without internet'));
  return screen.getByTestId('offline');
}

describe('update without internet', () => {
  it('Update from file… asks main for its Open dialog; the page names no file', async () => {
    const { user, fake } = renderApp();
    await openOffline(user);
    await user.click(button('Update from file…'));
    expect(fake.calls.chooseUpdatePackage).toHaveBeenCalledTimes(1);
    expect(fake.calls.chooseUpdatePackage.mock.calls[0]).toEqual([]);
  });

  it('links to Microsoft’s download page by name and says what the package is for', async () => {
    const { user, fake } = renderApp();
    const panel = await openOffline(user);
    expect(within(panel).getByText(/Microsoft’s official page for mpam-fe\.exe, the full security intelligence package/)).toBeTruthy();
    await user.click(button('Download the package from Microsoft'));
    expect(fake.calls.openLink).toHaveBeenCalledWith({ link: 'package-download' });
  });

  it('a refused file is explained: what failed, why, and the exact reason', async () => {
    const { user, fake } = renderApp();
    fake.calls.chooseUpdatePackage.mockResolvedValueOnce({
      ok: false,
      error: { code: 'invalid-input', message: 'C:\\notes.txt is not a Windows program (it does not start with "MZ").' },
    } as never);
    await openOffline(user);
    await user.click(button('Update from file…'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The package could not be installed. This file or folder cannot be used.');
    expect(alert.textContent).toContain('is not a Windows program');
  });

  it('its buttons wait while an update runs: one update at a time', async () => {
    const { user, push } = renderApp();
    await openOffline(user);
    push(makeState({}, running()));
    expect((button('Update from file…') as HTMLButtonElement).disabled).toBe(true);
    expect((button('Repair security intelligence') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('repair', () => {
  it('asks first, saying what it does; the safe answer has the focus, and Escape keeps things as they are', async () => {
    const { user, fake } = renderApp();
    await openOffline(user);
    await user.click(button('Repair security intelligence'));
    const dialog = screen.getByRole('alertdialog', { name: 'Repair security intelligence?' });
    expect(dialog.textContent).toMatch(/MpCmdRun, removes the security intelligence Defender downloaded between full updates; then an update runs/);
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep as it is' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(button('Repair security intelligence'));
    expect(fake.calls.repair).not.toHaveBeenCalled();
  });

  it('runs the repair once confirmed; "all" only when ticked', async () => {
    const { user, fake } = renderApp();
    await openOffline(user);
    await user.click(button('Repair security intelligence'));
    await user.click(button('Remove and update'));
    expect(fake.calls.repair).toHaveBeenLastCalledWith({ all: false });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(button('Repair security intelligence'));
    await user.click(screen.getByRole('checkbox', { name: /Remove all security intelligence/ }));
    await user.click(button('Remove and update'));
    expect(fake.calls.repair).toHaveBeenLastCalledWith({ all: true });
  });

  it('a failure with broken definitions offers Repair first', async () => {
    renderApp(makeState({}, { runId: 3, phase: 'failed', error: failure(0x8050a004) }));
    const card = await screen.findByTestId('error-card');
    const actions = within(card).getAllByRole('button');
    expect(actions[0]?.textContent).toBe('Repair security intelligence');
    expect(actions[0]?.className).toContain('btn--primary');
    expect(within(card).getByTestId('error-next').textContent).toMatch(/^Repair security intelligence/);
  });

  it('0x80070643 offers Repair only when it failed that way twice in a row', async () => {
    const failed643 = historyEntry({ result: 'failed', hresult: '0x80070643' });
    const once = renderApp(makeState({}, { runId: 3, phase: 'failed', error: failure(0x80070643) }), { history: [failed643, historyEntry()] });
    expect(within(await once.findByTestId('error-card')).queryByRole('button', { name: 'Repair security intelligence' })).toBeNull();
    once.unmount();
    renderApp(makeState({}, { runId: 3, phase: 'failed', error: failure(0x80070643) }), { history: [failed643, failed643] });
    const card = await screen.findByTestId('error-card');
    expect(await within(card).findByRole('button', { name: 'Repair security intelligence' })).toBeTruthy();
  });
});

describe('drag and drop', () => {
  function drag(type: 'dragEnter' | 'dragOver' | 'drop', files: File[]) {
    const dataTransfer = { types: ['Files'], files, dropEffect: 'none' };
    act(() => {
      fireEvent[type](window, { dataTransfer });
    });
  }

  it('a file over the window shows where to drop it; the drop hands the File to the bridge', async () => {
    const { fake } = renderApp();
    await screen.findByRole('button', { name: 'Update security intelligence' });
    const file = new File(['MZ'], 'mpam-fe.exe');
    drag('dragEnter', [file]);
    expect(screen.getByTestId('drop-target').textContent).toBe('Drop mpam-fe.exe to update from it');
    drag('drop', [file]);
    expect(screen.queryByTestId('drop-target')).toBeNull();
    expect(fake.calls.updateFromDroppedFile).toHaveBeenCalledWith(file);
  });

  it('from another view, the drop brings the window back to the update view to show its progress', async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    drag('drop', [new File(['MZ'], 'mpam-fe.exe')]);
    expect(await screen.findByRole('button', { name: 'Update security intelligence' })).toBeTruthy();
  });
});

describe('file share folder in Settings', () => {
  const fileShare = () => makeState({ settings: { ...DEFAULT_SETTINGS, language: 'en', source: 'file-share' } });

  it('appears with the file-share source, and is saved with its own button', async () => {
    const { user, fake } = renderApp(makeState());
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(screen.queryByLabelText('Folder or file share (optional)')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Update source'), 'file-share');
    const field = await screen.findByLabelText('Folder or file share (optional)');
    await user.type(field, '\\\\srv\\updates\\x64');
    await user.click(button('Save folder'));
    expect(fake.calls.setSettings).toHaveBeenLastCalledWith({ sharePath: '\\\\srv\\updates\\x64' });
  });

  it('a folder main refuses is marked invalid and the reason shown', async () => {
    const { user, fake } = renderApp(fileShare());
    fake.calls.setSettings.mockResolvedValueOnce({
      ok: false,
      error: { code: 'invalid-input', message: 'C:\\Empty does not hold x64\\mpam-fe.exe.' },
    } as never);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.type(screen.getByLabelText('Folder or file share (optional)'), 'C:\\Empty');
    await user.click(button('Save folder'));
    expect((await screen.findByRole('alert')).textContent).toContain('does not hold x64\\mpam-fe.exe');
    expect(screen.getByLabelText('Folder or file share (optional)').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('progress and history of an MpCmdRun update', () => {
  it('says what MpCmdRun is doing, and the event log shows its lines', async () => {
    const { user, fake } = renderApp(
      makeState({}, running({ phase: 'searching', percent: null, offline: { kind: 'folder', path: '\\\\srv\\updates' } })),
    );
    expect((await screen.findByTestId('offline-job')).textContent).toBe('From \\\\srv\\updates, with MpCmdRun');
    const line = 'Search Started (UNC share update) (Path: \\\\srv\\updates)...';
    act(() =>
      fake.emit({
        type: 'progress',
        update: makeState({}, running({ phase: 'searching', percent: null, offline: { kind: 'folder', path: '\\\\srv\\updates' } })).update,
        records: [record(1, { notify: 'MPCMDRUN_PHASE', phase: 'searching', percent: null, current: null, total: null, via: 'mpcmdrun', line })],
        omitted: 0,
      }),
    );
    await user.click(screen.getByText(/Event log/));
    const log = screen.getByText(/Event log/).closest('details')!;
    expect(
      within(log)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([`#1 MPCMDRUN_PHASE · searching · ${line}`]);
  });

  it('a repair is named as one', async () => {
    renderApp(makeState({}, running({ phase: 'starting', offline: { kind: 'repair', all: true } })));
    expect((await screen.findByTestId('offline-job')).textContent).toBe('Repair: removing all security intelligence, then updating');
  });

  it('history marks an update that ran through MpCmdRun', async () => {
    const { user } = renderApp(makeState(), { history: [historyEntry({ source: 'file-share', via: 'mpcmdrun' })] });
    await user.click(await screen.findByRole('button', { name: 'History' }));
    expect(await screen.findByText('via MpCmdRun')).toBeTruthy();
  });
});

describe('in Russian', () => {
  it('says «аналитика безопасности» and explains the download link', async () => {
    const { user } = renderApp(makeState({ settings: { ...DEFAULT_SETTINGS, language: 'ru' } }));
    await user.click(await screen.findByText('Обновление без интернета'));
    expect(button('Восстановить аналитику безопасности')).toBeTruthy();
    expect(button('Обновить из файла…')).toBeTruthy();
    expect(screen.getByText(/полным пакетом аналитики безопасности/)).toBeTruthy();
  });
});
