/**
 * The one big button: Update security intelligence, or Cancel while an update runs; the source beside it and, during an
 * update, the type Defender reports using.
 */
import { useShallow } from 'zustand/react/shallow';
import { isActivePhase } from '../../../shared/update';
import { useActions, useAppStore, useT } from '../store/hooks';
import { UpdateType } from './UpdateType';

export function UpdateControls() {
  const t = useT();
  const s = useAppStore(
    useShallow((st) => ({
      available: st.app!.availability.kind === 'available',
      running: isActivePhase(st.app!.update.phase),
      cancelRequested: st.app!.update.cancelRequested,
      source: isActivePhase(st.app!.update.phase) ? st.app!.update.source : st.app!.settings.source,
      sigType: st.app!.update.sigType,
      cancelAllowed: st.app!.policy.allowCancel,
      sourceManaged: st.app!.policy.managed.source !== undefined,
      starting: st.pending.start,
      cancelling: st.pending.cancel,
    })),
  );
  const { startUpdate, cancelUpdate, setView } = useActions();
  // While a request is on its way the button only says so (aria-disabled): a truly disabled button would drop the
  // keyboard focus to <body>, and Chromium does not give it back when the button comes alive again.
  const busy = s.running ? s.cancelRequested || s.cancelling : s.starting;
  // AllowCancel=0: Cancel stays in its place, unavailable and saying why (aria-disabled keeps it focusable, so the
  // reason is read out with it).
  const cancelLocked = s.running && !s.cancelAllowed;
  return (
    <div className="update-controls">
      {/* One element in both states, so keyboard focus stays on it when Update turns into Cancel. */}
      <button
        type="button"
        className={s.running ? 'btn btn--large btn--danger' : 'btn btn--large btn--primary'}
        disabled={!s.running && !s.available}
        aria-disabled={busy || cancelLocked || undefined}
        aria-describedby={cancelLocked ? 'cancel-managed' : undefined}
        onClick={() => {
          if (!busy && !cancelLocked) void (s.running ? cancelUpdate() : startUpdate());
        }}
      >
        {s.running ? (s.cancelRequested ? t('update.cancelling') : t('update.cancel')) : t('update.button')}
      </button>
      {cancelLocked && (
        <p id="cancel-managed" className="field__managed">
          {t('policy.cancelManaged')}
        </p>
      )}
      <p className="update-controls__source">
        <span data-testid="chosen-source">{t('update.source', { source: t(`source.${s.source}`) })}</span>
        {s.running && <UpdateType sigType={s.sigType} ended={false} />}
        {!s.running && s.sourceManaged && <span className="field__managed">{t('policy.sourceManaged')}</span>}
        {!s.running && !s.sourceManaged && (
          // Focus goes to the source field itself, not the page: the user came to change exactly that.
          <button type="button" className="btn btn--link" onClick={() => setView('settings', 'setting-source')}>
            {t('update.changeSource')}
          </button>
        )}
      </p>
    </div>
  );
}
