import { describe, expect, it, vi } from 'vitest';
import { emptyFold, foldEvent, immediateScheduler, LOG_LIMIT, type Scheduler } from '../../app/renderer/src/store/event-fold';
import { connectStore, createAppStore } from '../../app/renderer/src/store/store';
import { outcomeOf } from '../support/outcome';
import { fakeApi, historyEntry, makeState, record, running } from './fixtures';

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A scheduler a test flushes by hand, like one animation frame. */
function manualFrames() {
  const pending: (() => void)[] = [];
  const schedule: Scheduler = (flush) => {
    pending.push(flush);
    return () => pending.splice(pending.indexOf(flush), 1);
  };
  return { schedule, frame: () => pending.splice(0).forEach((f) => f()), pending };
}

describe('the store', () => {
  it('starts from the bridge snapshot', async () => {
    const fake = fakeApi(makeState({}, running()));
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    await settle();
    expect(store.getState().app?.update.phase).toBe('downloading');
  });

  it('subscribes before asking for the snapshot, so nothing in between is lost', () => {
    const fake = fakeApi();
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    expect(fake.calls.onEvent.mock.invocationCallOrder[0]).toBeLessThan(fake.calls.getState.mock.invocationCallOrder[0]!);
  });

  it('a slow snapshot answer never overwrites a newer state event', async () => {
    const fake = fakeApi(makeState());
    let answer!: () => void;
    fake.calls.getState.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve({ ok: true, value: makeState() }))));
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    fake.emit({ type: 'state', state: makeState({}, running({ phase: 'installing' })) });
    answer();
    await settle();
    expect(store.getState().app?.update.phase).toBe('installing');
  });

  it('a settings answer that comes after a newer state event does not put back what that state replaced', async () => {
    const fake = fakeApi(makeState());
    let answer!: () => void;
    const asked = makeState().settings;
    fake.calls.setSettings.mockImplementationOnce(
      () => new Promise((resolve) => (answer = () => resolve({ ok: true, value: { ...asked, source: 'wsus' } }))),
    );
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    await settle();
    const saving = store.getState().saveSettings({ source: 'wsus' });
    // Meanwhile a policy read on focus sets the source for everyone: main's state says so first.
    fake.emit({ type: 'state', state: { ...makeState(), settings: { ...asked, source: 'mmpc' } } });
    answer();
    await saving;
    expect(store.getState().app?.settings.source).toBe('mmpc');
  });

  it('applies a burst of events once per frame, ending on the exact last state', () => {
    const fake = fakeApi();
    const store = createAppStore(fake.api);
    const frames = manualFrames();
    connectStore(store, fake.api, frames.schedule);
    fake.emit({ type: 'state', state: makeState({}, running({ percent: 0, notificationCount: 0 })) });
    frames.frame();
    const changes = vi.fn();
    store.subscribe(changes);
    for (let i = 1; i <= 10_000; i++) {
      fake.emit({
        type: 'progress',
        update: makeState({}, running({ percent: Math.floor(i / 100), notificationCount: i })).update,
        records: [record(i)],
        omitted: 0,
      });
    }
    expect(changes).not.toHaveBeenCalled();
    expect(frames.pending).toHaveLength(1);
    frames.frame();
    expect(changes).toHaveBeenCalledTimes(1);
    const s = store.getState();
    expect(s.app?.update.notificationCount).toBe(10_000);
    expect(s.app?.update.percent).toBe(100);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.log.at(-1)?.seq).toBe(10_000);
  });

  it('a progress event that comes before the first state does not make the first load be dropped', async () => {
    const fake = fakeApi(makeState({}, running({ phase: 'searching' })));
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    // connectStore has asked for the state; a progress event overtakes the answer.
    fake.emit({ type: 'progress', update: makeState({}, running({ phase: 'downloading' })).update, records: [], omitted: 0 });
    await settle();
    expect(store.getState().app?.update.phase).toBe('searching');
  });

  it('keeps only the last notifications, and starts a new log for a new run', () => {
    const fake = fakeApi();
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    fake.emit({ type: 'state', state: makeState({}, running({ runId: 1 })) });
    fake.emit({
      type: 'progress',
      update: makeState({}, running({ runId: 1 })).update,
      records: Array.from({ length: 100 }, (_, i) => record(i + 1)),
      omitted: 0,
    });
    expect(store.getState().log.map((r) => r.seq)).toEqual(Array.from({ length: LOG_LIMIT }, (_, i) => 100 - LOG_LIMIT + i + 1));
    fake.emit({ type: 'progress', update: makeState({}, running({ runId: 2 })).update, records: [], omitted: 0 });
    expect(store.getState().log).toEqual([]);
    expect(store.getState().app?.update.runId).toBe(2);
  });

  it('an outcome that arrives after the last state is kept; a later state replaces it', () => {
    const fold = emptyFold();
    const outcome = outcomeOf({ result: 'succeeded', startedAt: 1, endedAt: 2 });
    foldEvent(fold, { type: 'state', state: makeState() });
    foldEvent(fold, { type: 'finished', outcome });
    expect(fold.outcome).toBe(outcome);
    foldEvent(fold, { type: 'state', state: makeState() });
    expect(fold.outcome).toBeNull();
  });

  it('turns a refused command into a visible problem', async () => {
    const fake = fakeApi();
    fake.calls.startUpdate.mockResolvedValueOnce({ ok: false, error: { code: 'unavailable', message: 'no library' } } as never);
    const store = createAppStore(fake.api);
    await store.getState().startUpdate();
    expect(store.getState().problem).toMatchObject({ action: 'start', code: 'unavailable', message: 'no library' });
    expect(store.getState().pending.start).toBe(false);
  });

  it('a bridge that throws is a problem too, never an unhandled rejection', async () => {
    const fake = fakeApi();
    fake.calls.cancelUpdate.mockRejectedValueOnce(new Error('boom'));
    const store = createAppStore(fake.api);
    await store.getState().cancelUpdate();
    expect(store.getState().problem).toMatchObject({ action: 'cancel', code: 'failed', message: 'boom' });
  });

  it('keeps a refused cancel to explain it', async () => {
    const fake = fakeApi();
    const error = { kind: 'update-failed', hresult: 0x80070005, hex: '0x80070005', message: 'Access is denied.', source: 'wsus' } as const;
    fake.calls.cancelUpdate.mockResolvedValueOnce({ ok: true, value: { kind: 'refused', error } } as never);
    const store = createAppStore(fake.api);
    await store.getState().cancelUpdate();
    expect(store.getState().cancelRefusal).toEqual(error);
  });

  it('reloads open history when an update finishes', async () => {
    const fake = fakeApi();
    fake.calls.getHistory.mockResolvedValue({ ok: true, value: [historyEntry()] } as never);
    const store = createAppStore(fake.api);
    connectStore(store, fake.api, immediateScheduler);
    await store.getState().loadHistory('failed');
    expect(fake.calls.getHistory).toHaveBeenLastCalledWith({ result: 'failed' });
    const calls = fake.calls.getHistory.mock.calls.length;
    fake.emit({
      type: 'finished',
      outcome: outcomeOf({ result: 'failed', startedAt: 1, endedAt: 2, hresult: 1 }),
    });
    expect(fake.calls.getHistory).toHaveBeenCalledTimes(calls + 1);
    expect(fake.calls.getHistory).toHaveBeenLastCalledWith({ result: 'failed' });
  });

  it('unsubscribes from the bridge when disconnected', () => {
    const fake = fakeApi();
    const store = createAppStore(fake.api);
    const disconnect = connectStore(store, fake.api, immediateScheduler);
    expect(fake.listenerCount()).toBe(1);
    disconnect();
    expect(fake.listenerCount()).toBe(0);
  });
});
