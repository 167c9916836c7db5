/** Everything the window shows, as one snapshot the renderer can rebuild itself from after a reload. */
import type { Message } from './messages';
import type { Hive, PolicyName } from './policy';
import type { Availability, DefenderVersions, UpdateOutcome, UpdateResult, UpdateSnapshot, UpdateSource, UpdateTrigger } from './update';

export const LANGUAGES = ['system', 'en', 'ru'] as const;
export type LanguageSetting = (typeof LANGUAGES)[number];

/** Automatic check interval in hours; 0 is off. Counted from the last check, while the app runs (app/main/schedule.ts). */
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
  /** Notify (at most daily) when security intelligence is over 7 days old or the last three checks failed. */
  watchFreshness: boolean;
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
  watchFreshness: true,
  sharePath: '',
};

/**
 * The settings the app runs with: the user's own, with each one an organisation's policy sets in its place. A policy
 * may set any whole number of hours from 0 to 24 (AutoCheckHours), not only the choices Settings offers.
 */
export type EffectiveSettings = Omit<Settings, 'autoCheckHours'> & { autoCheckHours: number };

/** Policy values that were ignored (wrong type, out of range, no such policy), each with why: one notice in About. */
export interface IgnoredPolicy {
  /** The value's name as found in the registry. */
  name: string;
  hive: Hive;
  reason: Message;
}

/** What an organisation's policies (app/shared/policy.ts) do to the window. */
export interface PolicyState {
  /** Each setting a policy sets, with the policy that sets it: its control is locked and labelled. */
  managed: Partial<Record<keyof Settings, PolicyName>>;
  /** The share folder the FileSharePath policy sets (also in the effective settings' sharePath); null when not set. */
  fileSharePath: string | null;
  /** AllowCancel=0: no Cancel in the window or the tray; an update that has started runs to its end. */
  allowCancel: boolean;
  /** ShowTrayIcon=0: no tray icon, and closing the window quits the app. */
  showTrayIcon: boolean;
  ignored: IgnoredPolicy[];
}

/** No policy set: what the app does on its own. */
export const NO_POLICY: PolicyState = { managed: {}, fileSharePath: null, allowCancel: true, showTrayIcon: true, ignored: [] };

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
  /** The outcome's message as key and parameters, so it reads in the language chosen when it is shown. */
  message: Message;
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
  key:
    | 'settings-reset'
    | 'history-reset'
    | 'settings-unreadable'
    | 'history-unreadable'
    | 'history-not-saved'
    | 'restart-failed'
    | 'export-failed'
    /** The organisation's policies could not be read; those that could are applied. */
    | 'policies-unreadable';
  detail: string;
}

/** The automatic check (app/main/schedule.ts): when the last check was, and the next one while the schedule is on. */
export interface ScheduleStatus {
  /** Epoch ms of the last check, any result; null before the first. */
  lastCheckAt: number | null;
  /** Epoch ms of the next automatic check; null when the schedule is off. */
  nextCheckAt: number | null;
}

export interface AppState {
  appVersion: string;
  platform: string;
  availability: Availability;
  versions: DefenderVersions | null;
  update: UpdateSnapshot;
  lastOutcome: UpdateOutcome | null;
  reboot: RebootState;
  /** The settings in force: the user's, with what policies set in their place (`policy.managed` says which). */
  settings: EffectiveSettings;
  policy: PolicyState;
  notices: Notice[];
  schedule: ScheduleStatus;
  /**
   * Whether "Restart as administrator" can help: `standard` (it can), `elevated` (already; it would change nothing) or
   * `unsupported` (not the Windows app).
   */
  elevation: 'standard' | 'elevated' | 'unsupported';
}
