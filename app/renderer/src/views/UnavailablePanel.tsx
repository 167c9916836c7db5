/**
 * Defender cannot be used here: say why, plainly, and offer what helps: Check again (a service that was off, another
 * antivirus that was removed) and, on Windows, Windows Security, where Defender is turned back on. The Update button
 * below stays disabled.
 */
import { useActions, useAppStore, useT } from '../store/hooks';
import { Icon } from '../components/Icon';

export function UnavailablePanel() {
  const t = useT();
  const availability = useAppStore((s) => s.app!.availability);
  const checking = useAppStore((s) => s.pending.recheck);
  const { recheckAvailability, openWindowsSecurity } = useActions();
  if (availability.kind !== 'unavailable') return null;
  return (
    <section className="status status--unavailable" aria-labelledby="status-title">
      <Icon name="off" className="status__icon" />
      <div className="status__body">
        <h2 id="status-title" className="status__title">
          {t('unavailable.title')}
        </h2>
        <p>{t(`unavailable.${availability.reason}`)}</p>
        <p>{t('unavailable.disabled')}</p>
        <p className="muted">{t('unavailable.detail', { message: availability.message })}</p>
        <div className="card__actions">
          <button
            type="button"
            className="btn btn--primary"
            aria-disabled={checking || undefined}
            onClick={() => {
              if (!checking) void recheckAvailability();
            }}
          >
            {checking ? t('unavailable.checking') : t('unavailable.checkAgain')}
          </button>
          {availability.reason !== 'not-windows' && (
            <button type="button" className="btn" onClick={() => void openWindowsSecurity()}>
              {t('unavailable.openSecurity')}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
