/** Defender cannot be used here: say why, plainly; the Update button below stays disabled. */
import { useAppStore, useT } from '../store/hooks';
import { Icon } from '../components/Icon';

export function UnavailablePanel() {
  const t = useT();
  const availability = useAppStore((s) => s.app!.availability);
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
      </div>
    </section>
  );
}
