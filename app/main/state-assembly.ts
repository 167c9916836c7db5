/**
 * The one AppState that the window, the tray and the notifications read. It is put together from what the controller
 * keeps here (the user's settings and the organisation's policies, which give the settings in force; notices, the
 * last outcome, Defender's versions, the engine's latest snapshot) and from what others own (the engine's
 * availability, the restart prompt). Every change but the update's snapshot calls `onChange`,
 * which schedules a `state` event; the snapshot travels in `progress` events.
 */
import type { AppState, EffectiveSettings, Notice, RebootState, ScheduleStatus, Settings } from '../shared/app-state';
import { clipMessage } from '../shared/ipc-result';
import type { ResolvedPolicies } from '../shared/policy';
import { applyPolicies, NO_POLICIES, type Applied } from './policy/effective-settings';
import type { Availability, DefenderVersions, UpdateOutcome, UpdateSnapshot } from '../shared/update';

/** Notices kept at once; older ones drop off. */
export const MAX_NOTICES = 20;

export interface StateSources {
  appVersion: string;
  platform: string;
  availability(): Availability;
  reboot(): RebootState;
  schedule(): ScheduleStatus;
  elevation(): AppState['elevation'];
  now(): number;
  onChange(): void;
}

export interface StateAssembly {
  /** The whole state now (a fresh object: callers may keep it). */
  readonly read: () => AppState;
  /** The settings in force: the user's, with what policies set in their place. */
  readonly settings: EffectiveSettings;
  /** The user's own settings, as stored; policies never change them. */
  readonly userSettings: Settings;
  /** The effective settings and what the policies do, as the window sees them. */
  readonly applied: Applied;
  readonly policies: ResolvedPolicies;
  /** The user's settings changed (saved). */
  setSettings(settings: Settings): void;
  /** The organisation's policies as read now. */
  setPolicies(policies: ResolvedPolicies): void;
  /** Keeps the update's newest snapshot; not a change of its own: the controller sends it as `progress`. */
  setSnapshot(snapshot: UpdateSnapshot): void;
  setVersions(versions: DefenderVersions): void;
  /** Keeps the outcome (and the versions it read after the update, if any). */
  recordOutcome(outcome: UpdateOutcome): void;
  addNotice(key: Notice['key'], level: Notice['level'], detail: string): void;
  /** Removes a notice; an id that is already gone changes nothing. */
  dismissNotice(id: string): void;
}

export function createStateAssembly(
  sources: StateSources,
  initial: { settings: Settings; policies?: ResolvedPolicies; snapshot: UpdateSnapshot; notices: readonly Notice[] },
): StateAssembly {
  let settings = initial.settings;
  let policies = initial.policies ?? NO_POLICIES;
  let applied = applyPolicies(settings, policies);
  let snapshot = initial.snapshot;
  let notices: Notice[] = [...initial.notices];
  let lastOutcome: UpdateOutcome | null = null;
  let versions: DefenderVersions | null = null;
  let noticeCounter = 0;

  return {
    read: () => ({
      appVersion: sources.appVersion,
      platform: sources.platform,
      availability: sources.availability(),
      versions,
      update: snapshot,
      lastOutcome,
      reboot: sources.reboot(),
      settings: { ...applied.settings },
      policy: structuredClone(applied.policy),
      notices: [...notices],
      schedule: sources.schedule(),
      elevation: sources.elevation(),
    }),
    get settings() {
      return applied.settings;
    },
    get userSettings() {
      return settings;
    },
    get applied() {
      return applied;
    },
    get policies() {
      return policies;
    },
    setSettings(next) {
      settings = next;
      applied = applyPolicies(settings, policies);
      sources.onChange();
    },
    setPolicies(next) {
      policies = next;
      applied = applyPolicies(settings, policies);
      sources.onChange();
    },
    setSnapshot(next) {
      snapshot = next;
    },
    setVersions(next) {
      versions = next;
      sources.onChange();
    },
    recordOutcome(outcome) {
      lastOutcome = outcome;
      if (outcome.versionsAfter) versions = outcome.versionsAfter;
      sources.onChange();
    },
    addNotice(key, level, detail) {
      noticeCounter += 1;
      const notice: Notice = { id: `${key}-${sources.now()}-${noticeCounter}`, level, key, detail: clipMessage(detail) };
      notices = [...notices, notice].slice(-MAX_NOTICES);
      sources.onChange();
    },
    dismissNotice(id) {
      if (!notices.some((notice) => notice.id === id)) return;
      notices = notices.filter((notice) => notice.id !== id);
      sources.onChange();
    },
  };
}
