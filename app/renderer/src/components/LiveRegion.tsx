/**
 * The polite live region: phase changes and results, never percentages (a screen reader would read nothing else).
 * Only changes are announced, not the state found when the window opened.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Translate } from '../i18n';
import { useAppStore, useT } from '../store/hooks';
import type { Store } from '../store/store';

function announcement(s: Store, t: Translate): string {
  const u = s.app?.update;
  if (!u) return '';
  switch (u.phase) {
    case 'idle':
      // Defender answering late with "not available" is news; connecting, and then connected, speak for themselves.
      return s.app?.availability.kind === 'unavailable' ? t('unavailable.title') : '';
    case 'starting':
    case 'searching':
    case 'downloading':
    case 'installing':
    case 'finishing':
      return u.stalled ? t('announce.stalled') : t(`phase.${u.phase}`);
    case 'succeeded':
      // Spoken once the new version is known (the run's outcome has arrived), never first with the old one.
      if (s.app?.lastOutcome?.runId !== u.runId) return t('phase.finishing');
      return t('announce.succeeded', { version: u.versionsAfter?.antivirus.version ?? s.app?.versions?.antivirus.version ?? '' });
    case 'failed':
      return t('announce.failed', { hex: u.error?.hex ?? '' });
    default:
      return t(`announce.${u.phase}`);
  }
}

export function LiveRegion() {
  const t = useT();
  const [loaded, runId, message] = useAppStore(useShallow((s) => [s.app !== null, s.app?.update.runId, announcement(s, t)] as const));
  // Derived from the previous render (React's "adjusting state while rendering"): the first loaded state is
  // remembered silently; every later change is spoken.
  const [seen, setSeen] = useState<{ key: string | null; text: string }>({ key: null, text: '' });
  const key = loaded ? `${runId}|${message}` : null;
  if (key !== null && key !== seen.key) setSeen({ key, text: seen.key === null ? '' : message });
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
      {seen.text}
    </div>
  );
}
