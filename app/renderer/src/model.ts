/** Pure derivations from the snapshot: what the header says, where the stepper is. Kept out of components to test. */
import type { AppState, HistoryEntry, RebootState } from '../../shared/app-state';
import {
  isActivePhase,
  type Availability,
  type DefenderVersions,
  type SigUpdateType,
  type UpdateError,
  type UpdatePhase,
  type UpdateResult,
} from '../../shared/update';
import { ageInDays, STALE_AFTER_DAYS } from '../../shared/versions';
import type { MessageKey } from './i18n';

export type Health = 'protected' | 'updating' | 'attention' | 'unavailable' | 'connecting';

/** How the newest update ended and when: from this session's update, or from history after a restart. */
export interface LastRun {
  result: UpdateResult;
  /** Epoch ms. */
  endedAt: number;
}

/**
 * The newest update that ended. This session's run wins; otherwise the newest history entry, so a failure is still
 * a failure after the app (or Windows) restarts.
 */
export function lastRunOf(app: Pick<AppState, 'update' | 'lastOutcome'>, newestEntry: HistoryEntry | null, now: number): LastRun | null {
  const u = app.update;
  if (u.runId !== null && isTerminalPhase(u.phase)) return { result: u.phase, endedAt: u.endedAt ?? app.lastOutcome?.endedAt ?? now };
  if (app.lastOutcome) return { result: app.lastOutcome.result, endedAt: app.lastOutcome.endedAt };
  if (!newestEntry) return null;
  const endedAt = Date.parse(newestEntry.time);
  return Number.isNaN(endedAt) ? null : { result: newestEntry.result, endedAt };
}

export interface HealthInput {
  availability: Availability;
  phase: UpdatePhase;
  reboot: RebootState['kind'];
  versions: DefenderVersions | null;
  lastRun: LastRun | null;
}

export function healthOf(input: HealthInput, now: number): { health: Health; reasons: MessageKey[] } {
  if (input.availability.kind === 'unavailable') return { health: 'unavailable', reasons: [] };
  if (input.availability.kind === 'connecting') return { health: 'connecting', reasons: [] };
  if (isActivePhase(input.phase)) return { health: 'updating', reasons: [] };
  const reasons: MessageKey[] = [];
  const updatedAt = Date.parse(input.versions?.antivirus.updatedAt ?? '');
  // A failure stops mattering once security intelligence was updated after it (Windows' own updates, another tool).
  if (input.lastRun?.result === 'failed' && !(updatedAt > input.lastRun.endedAt)) reasons.push('status.reason.failed');
  if (input.reboot !== 'none' || input.phase === 'reboot-required') reasons.push('status.reason.reboot');
  if (!input.versions) reasons.push('status.reason.noVersions');
  else {
    const age = ageInDays(input.versions.antivirus.updatedAt, now);
    if (age === null) reasons.push('status.reason.unknownAge');
    else if (age > STALE_AFTER_DAYS) reasons.push('status.reason.old');
  }
  return { health: reasons.length ? 'attention' : 'protected', reasons };
}

/** "Checked just now; the newest version is installed" for a recent check that found nothing newer to get. */
export function checkedKey(lastRun: LastRun, now: number): MessageKey {
  const current = lastRun.result === 'up-to-date' || lastRun.result === 'succeeded';
  return current && now - lastRun.endedAt < 86_400_000 ? 'status.checked.current' : 'status.checked';
}

/**
 * What Defender says it actually used (MPSIGUPDATE_DATA's eType), in the words people know; nothing when it named no
 * type. The platform variants are the same channel for the platform update.
 */
export function updateTypeKey(sigType: SigUpdateType | null): MessageKey | null {
  switch (sigType) {
    case 'http':
    case 'http-srv':
      return 'updateType.http';
    case 'unc':
      return 'updateType.unc';
    case 'unmanaged':
    case 'unmanaged-platform':
      return 'updateType.windows-update';
    case 'managed':
    case 'managed-platform':
      return 'updateType.wsus';
    default:
      return null;
  }
}

/** Update types only an administrator may cancel ([DOC] MPSIGUPDATE_DATA; docs/mpclient.md "Cancel"). */
const ADMIN_TO_CANCEL = new Set<SigUpdateType>(['managed', 'managed-platform', 'unmanaged', 'unmanaged-platform', 'http-srv']);

/** Why Defender refused to cancel, from the update type it reported rather than the source that was asked for. */
export function cancelRefusalHint(error: UpdateError): { key: MessageKey; typeKey: MessageKey | null } {
  const typeKey = updateTypeKey(error.updateType);
  if (error.hresult === 0x80070005 && error.updateType && ADMIN_TO_CANCEL.has(error.updateType) && typeKey)
    return { key: 'cancel.adminOnly', typeKey };
  return { key: 'cancel.refusedHint', typeKey: null };
}

export const STEPS = ['search', 'download', 'install', 'done'] as const;
export type Step = (typeof STEPS)[number];

/** Index of the current step; STEPS.length when all are done. */
export function stepIndex(phase: UpdatePhase): number {
  switch (phase) {
    case 'idle':
    case 'starting':
    case 'searching':
      return 0;
    case 'downloading':
      return 1;
    case 'installing':
      return 2;
    case 'finishing':
      return 3;
    default:
      return STEPS.length;
  }
}

export const TERMINAL_PHASES = ['succeeded', 'up-to-date', 'reboot-required', 'failed', 'cancelled'] as const;
export type TerminalPhase = (typeof TERMINAL_PHASES)[number];
export function isTerminalPhase(phase: UpdatePhase | undefined): phase is TerminalPhase {
  return (TERMINAL_PHASES as readonly (string | undefined)[]).includes(phase);
}

/** Percent clamped to a whole number 0..100; null when Defender gave none. */
export function wholePercent(percent: number | null | undefined): number | null {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return null;
  return Math.round(Math.min(100, Math.max(0, percent)));
}
