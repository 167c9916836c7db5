/** Protected / updating / needs attention, with the signature version and its age in words. */
import { useShallow } from 'zustand/react/shallow';
import { Icon, type IconName } from '../components/Icon';
import { formatAgo, formatDateTime } from '../i18n';
import { ageInDays } from '../../../shared/versions';
import { healthOf, type Health } from '../model';
import { useAppStore, useLang, useNow, useT } from '../store/hooks';

const ICONS: Record<Health, IconName> = { protected: 'check', updating: 'sync', attention: 'alert', unavailable: 'off' };

export function StatusHeader() {
  const t = useT();
  const lang = useLang();
  const now = useNow(60_000);
  const input = useAppStore(
    useShallow((s) => ({
      availability: s.app!.availability,
      phase: s.app!.update.phase,
      reboot: s.app!.reboot.kind,
      versions: s.app!.versions,
    })),
  );
  const { health, reasons } = healthOf(input, now);
  const av = input.versions?.antivirus;
  const updatedAt = av?.updatedAt ?? null;
  const age = ageInDays(updatedAt, now);
  return (
    <section className={`status status--${health}`} aria-labelledby="status-title">
      <Icon name={ICONS[health]} className="status__icon" />
      <div className="status__body">
        <h2 id="status-title" className="status__title">
          {t(`status.${health}`)}
        </h2>
        {reasons.length > 0 && (
          <ul className="status__reasons">
            {reasons.map((r) => (
              <li key={r}>{t(r)}</li>
            ))}
          </ul>
        )}
        {input.versions && (
          <>
            <dl className="facts">
              <div className="facts__item">
                <dt>{t('status.signature')}</dt>
                <dd className="mono" data-testid="signature-version">
                  {av?.version}
                </dd>
              </div>
              <div className="facts__item">
                <dt>{t('status.lastUpdated')}</dt>
                <dd data-testid="signature-age">
                  {updatedAt && age !== null ? (
                    <time dateTime={updatedAt} title={formatDateTime(lang, Date.parse(updatedAt))}>
                      {formatAgo(lang, Date.parse(updatedAt), now)}
                    </time>
                  ) : (
                    t('status.unknown')
                  )}
                </dd>
              </div>
            </dl>
            <p className="status__details">
              {t('status.details', { engine: input.versions.engine.version, platform: input.versions.product.version })}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
