/** Pure derivations from the snapshot: what the header says, where the stepper is. Kept out of components to test. */
import type { RebootState } from '../../shared/app-state';
import { isActivePhase, type Availability, type DefenderVersions, type UpdatePhase } from '../../shared/update';
import { ageInDays } from '../../shared/versions';
import type { MessageKey } from './i18n';

export type Health = 'protected' | 'updating' | 'attention' | 'unavailable';

/** Security intelligence older than this needs attention (Windows Security itself warns after about a week). */
export const STALE_AFTER_DAYS = 7;

export interface HealthInput {
  availability: Availability;
  phase: UpdatePhase;
  reboot: RebootState['kind'];
  versions: DefenderVersions | null;
}

export function healthOf(input: HealthInput, now: number): { health: Health; reasons: MessageKey[] } {
  if (input.availability.kind === 'unavailable') return { health: 'unavailable', reasons: [] };
  if (isActivePhase(input.phase)) return { health: 'updating', reasons: [] };
  const reasons: MessageKey[] = [];
  if (input.phase === 'failed') reasons.push('status.reason.failed');
  if (input.reboot !== 'none' || input.phase === 'reboot-required') reasons.push('status.reason.reboot');
  if (!input.versions) reasons.push('status.reason.noVersions');
  else {
    const age = ageInDays(input.versions.antivirus.updatedAt, now);
    if (age === null) reasons.push('status.reason.unknownAge');
    else if (age > STALE_AFTER_DAYS) reasons.push('status.reason.old');
  }
  return { health: reasons.length ? 'attention' : 'protected', reasons };
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
