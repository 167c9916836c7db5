/** Snapshots and a fake bridge for component tests: the fake records calls and lets a test push events. */
import { vi } from 'vitest';
import { DEFAULT_SETTINGS, NO_POLICY, type AppState, type HistoryEntry } from '../../app/shared/app-state';
import type { AppEvent, DefenderApi, IpcResult } from '../../app/shared/ipc';
import { message, verbatim, type Message } from '../../app/shared/messages';
import { IDLE_SNAPSHOT, type DefenderVersions, type NotificationRecord, type UpdateError, type UpdateSnapshot } from '../../app/shared/update';

export const HOUR = 3_600_000;

export function versions(av: string, updatedAt: string | null, engine = '1.1.24090.11', platform = '4.18.24090.11'): DefenderVersions {
  const c = (version: string, at: string | null = updatedAt) => ({ version, updatedAt: at });
  return {
    product: c(platform),
    service: c(platform),
    engine: c(engine),
    antivirus: c(av),
    antispyware: c(av),
    nisEngine: c('1.1.24090.4'),
    nisSignature: c('1.413.90.0'),
  };
}

export function makeState(over: Partial<AppState> = {}, update: Partial<UpdateSnapshot> = {}): AppState {
  return {
    appVersion: '0.1.0',
    platform: 'win32',
    availability: { kind: 'available', libraryPath: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\MpClient.dll', demo: false },
    versions: versions('1.413.100.0', new Date(Date.now() - 3 * HOUR).toISOString()),
    update: { ...IDLE_SNAPSHOT, ...update },
    lastOutcome: null,
    reboot: { kind: 'none' },
    settings: { ...DEFAULT_SETTINGS, language: 'en' },
    policy: NO_POLICY,
    notices: [],
    schedule: { lastCheckAt: null, nextCheckAt: null },
    elevation: 'standard',
    ...over,
  };
}

export function running(over: Partial<UpdateSnapshot> = {}): Partial<UpdateSnapshot> {
  return {
    runId: 1,
    phase: 'downloading',
    source: 'default',
    trigger: 'window',
    startedAt: Date.now() - 65_000,
    percent: 40,
    current: 2,
    total: 3,
    notificationCount: 12,
    ...over,
  };
}

/** A failure whose message is Defender's own text (`text`), or any Message. */
export function failure(hresult: number, text: string | Message = 'Defender message', over: Partial<UpdateError> = {}): UpdateError {
  return {
    kind: 'update-failed',
    hresult,
    hex: '0x' + hresult.toString(16).toUpperCase().padStart(8, '0'),
    message: typeof text === 'string' ? verbatim(text) : text,
    source: 'default',
    updateType: null,
    ...over,
  };
}

export function record(seq: number, over: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    seq,
    notify: 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS',
    code: 0x8006,
    hresult: 0,
    phase: 'downloading',
    percent: seq % 101,
    current: 1,
    total: 2,
    sigType: 'http',
    path: null,
    receivedAt: Date.now(),
    ...over,
  };
}

export function historyEntry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    runId: 1,
    time: '2026-05-12T09:30:00.000Z',
    trigger: 'window',
    source: 'default',
    result: 'succeeded',
    hresult: '0x00000000',
    message: message('outcome.message.succeeded'),
    versionBefore: '1.413.100.0',
    versionAfter: '1.413.102.0',
    ...over,
  };
}

const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

export type FakeApi = ReturnType<typeof fakeApi>;

/** A DefenderApi whose every method is a vi.fn with a sensible answer; `emit` delivers an event to subscribers. */
export function fakeApi(initial: AppState = makeState()) {
  let state = initial;
  const listeners = new Set<(event: AppEvent) => void>();
  const api = {
    getState: vi.fn(() => ok(state)),
    startUpdate: vi.fn(() => ok({ runId: 1, joined: false })),
    cancelUpdate: vi.fn(() => ok({ kind: 'requested' as const })),
    answerReboot: vi.fn(() => ok(state.reboot)),
    getSettings: vi.fn(() => ok(state.settings)),
    setSettings: vi.fn((patch: Partial<AppState['settings']>) => ok({ ...state.settings, ...patch })),
    getHistory: vi.fn(() => ok([] as HistoryEntry[])),
    exportHistory: vi.fn(() => ok({ kind: 'saved' as const, path: '/tmp/history.csv' })),
    dismissNotice: vi.fn(() => ok(null)),
    copyDiagnostics: vi.fn(() => ok({ text: 'Defender Updater diagnostics (format 1)\n' })),
    restartElevated: vi.fn(() => ok({ kind: 'started' as const })),
    recheckAvailability: vi.fn(() => ok(state.availability)),
    openWindowsSecurity: vi.fn(() => ok(null)),
    openExport: vi.fn(() => ok(null)),
    updateFromPackage: vi.fn(() => ok({ runId: 1, joined: false })),
    updateFromDroppedFile: vi.fn(() => ok({ runId: 1, joined: false })),
    chooseUpdatePackage: vi.fn(() => ok({ kind: 'started' as const, start: { runId: 1, joined: false } })),
    repair: vi.fn(() => ok({ runId: 1, joined: false })),
    openLink: vi.fn(() => ok(null)),
    onEvent: vi.fn((listener: (event: AppEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  return {
    api: api as unknown as DefenderApi,
    calls: api,
    emit(event: AppEvent) {
      if (event.type === 'state') state = event.state;
      for (const l of listeners) l(event);
    },
    setState(next: AppState) {
      state = next;
      this.emit({ type: 'state', state: next });
    },
    get state() {
      return state;
    },
    listenerCount: () => listeners.size,
  };
}
