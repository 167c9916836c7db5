/** Everything the window shows, as one snapshot the renderer can rebuild itself from after a reload. */
import type { Availability, DefenderVersions, UpdateOutcome, UpdateResult, UpdateSnapshot, UpdateSource, UpdateTrigger } from './update';

export const LANGUAGES = ['system', 'en', 'ru'] as const;
export type LanguageSetting = (typeof LANGUAGES)[number];

/** Automatic check interval in hours; 0 is off. Runs only while the app is in the tray. */
export const AUTO_CHECK_HOURS = [0, 4, 8, 24] as const;
export type AutoCheckHours = (typeof AUTO_CHECK_HOURS)[number];

export interface Settings {
  source: UpdateSource;
  autoCheckHours: AutoCheckHours;
  startAtLogin: boolean;
  notifications: boolean;
  language: LanguageSetting;
  /** How long "Later" waits before reminding about a needed restart. */
  rebootReminderHours: number;
  /**
   * For the file-share source: a folder or share holding x64\mpam-fe.exe, updated from through MpCmdRun.exe; empty
   * means the file shares Windows is set up with, through MpClient.
   */
  sharePath: string;
}

export const DEFAULT_SETTINGS: Settings = {
  source: 'default',
  autoCheckHours: 0,
  startAtLogin: false,
  notifications: true,
  language: 'system',
  rebootReminderHours: 4,
  sharePath: '',
};

/** The web pages the app opens in the browser, by name: the window asks for a name, never sends an address. */
export const EXTERNAL_LINKS = ['package-download'] as const;
export type ExternalLink = (typeof EXTERNAL_LINKS)[number];

/** One line of history: what a person needs to see later, and what support needs. */
export interface HistoryEntry {
  runId: number;
  /** ISO-8601 UTC of the end of the update. */
  time: string;
  trigger: UpdateTrigger;
  source: UpdateSource;
  result: UpdateResult;
  /** `0x80070005`. */
  hresult: string;
  message: string;
  versionBefore: string | null;
  versionAfter: string | null;
  /** `mpcmdrun` for an update through MpCmdRun.exe (a folder, a package, a repair); absent: through MpClient. */
  via?: 'mpcmdrun';
}

export type RebootState =
  | { kind: 'none' }
  /** Defender said a restart is needed; `remindAt` is set after "Later". */
  | { kind: 'needed'; since: number; remindAt: number | null }
  /** `shutdown /r /t 60` was run after the user's click; it can still be aborted until `at`. */
  | { kind: 'restart-scheduled'; at: number };

/** Something the user should know that is not an update result (a file that was reset, a refused command). */
export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  /** Key into the renderer's dictionary, so the text is translated; `detail` is shown as is. */
  key: 'settings-reset' | 'history-reset' | 'settings-unreadable' | 'history-unreadable' | 'restart-failed' | 'export-failed';
  detail: string;
}

export interface AppState {
  appVersion: string;
  platform: string;
  availability: Availability;
  versions: DefenderVersions | null;
  update: UpdateSnapshot;
  lastOutcome: UpdateOutcome | null;
  reboot: RebootState;
  settings: Settings;
  notices: Notice[];
}
