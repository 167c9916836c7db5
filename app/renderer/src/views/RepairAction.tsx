/**
 * *Repair security intelligence*, behind a confirmation that says what it does: MpCmdRun -RemoveDefinitions
 * -DynamicSignatures (or -All), then an update. The confirmation opens in place, takes the focus to its safe answer,
 * and Escape closes it, giving the focus back to the button.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isActivePhase } from '../../../shared/update';
import { useActions, useAppStore, useT } from '../store/hooks';

/** Whether an offline action can start now: Defender is there, no update runs, and no offline request is on its way. */
export function useOfflineReadiness() {
  return useAppStore(
    useShallow((st) => ({
      available: st.app!.availability.kind === 'available',
      running: isActivePhase(st.app!.update.phase),
      busy: st.pending.offline,
    })),
  );
}

export function RepairAction({ primary = false }: { primary?: boolean }) {
  const t = useT();
  const id = useId();
  const s = useOfflineReadiness();
  const { repair } = useActions();
  const [confirming, setConfirming] = useState(false);
  const [all, setAll] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) keep.current?.focus();
    else if (wasConfirming.current) opener.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (!confirming)
    return (
      <button
        ref={opener}
        type="button"
        className={primary ? 'btn btn--primary' : 'btn'}
        disabled={!s.available || s.running}
        onClick={() => {
          setAll(false);
          setConfirming(true);
        }}
      >
        {t('offline.repair')}
      </button>
    );
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setConfirming(false);
      }}
    >
      <h3 id={`${id}-title`} className="confirm__title">
        {t('repair.title')}
      </h3>
      <p id={`${id}-body`}>{t('repair.body')}</p>
      <div className="field field--check">
        <input id={`${id}-all`} type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        <label htmlFor={`${id}-all`}>{t('repair.all')}</label>
      </div>
      <div className="card__actions">
        <button
          type="button"
          className="btn btn--danger"
          aria-disabled={s.busy || undefined}
          disabled={s.running}
          onClick={() => {
            if (!s.busy) void repair(all).then((started) => started && setConfirming(false));
          }}
        >
          {t('repair.confirm')}
        </button>
        <button ref={keep} type="button" className="btn" onClick={() => setConfirming(false)}>
          {t('repair.keep')}
        </button>
      </div>
    </div>
  );
}
