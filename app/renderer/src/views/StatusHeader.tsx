/**
 * Protected / updating / needs attention, from the versions and the newest update (this session's, or history's after
 * a restart), with the security intelligence version, its age in exact days, when it was last checked and, while the
 * automatic check is on, when the next check is.
 */
import { useShallow } from 'zustand/react/shallow';
import { Ago } from '../components/Ago';
import { Icon, type IconName } from '../components/Icon';
import { formatCount, formatDateTime } from '../i18n';
import { ageInDays } from '../../../shared/versions';
import { checkedKey, healthOf, lastRunOf, type Health } from '../model';
import { useAppStore, useLang, useNow, useT } from '../store/hooks';

const ICONS: Record<Health, IconName> = { protected: 'check', updating: 'sync', attention: 'alert', unavailable: 'off', connecting: 'sync' };

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
      update: s.app!.update,
      lastOutcome: s.app!.lastOutcome,
      newestRun: s.newestRun,
      schedule: s.app!.schedule,
    })),
  );
  const lastRun = lastRunOf(input, input.newestRun, now);
  // The last check, any result: this session's or history's update, else the schedule's own record of an attempt.
  const checkedAt = lastRun?.endedAt ?? input.schedule.lastCheckAt;
  const nextCheckAt = input.schedule.nextCheckAt;
  const { health, reasons } = healthOf({ ...input, lastRun }, now);
  const av = input.versions?.antivirus;
  const updatedAt = av?.updatedAt ?? null;
  const age = ageInDays(updatedAt, now);
  const ageText = age === null ? '' : formatCount(lang, 'days', age);
  return (
    <section className={`status status--${health}`} aria-labelledby="status-title">
      <Icon name={ICONS[health]} className="status__icon" />
      <div className="status__body">
        <h2 id="status-title" className="status__title">
          {t(`status.${health}`)}
        </h2>
        {health === 'connecting' && <p>{t('status.connectingHint')}</p>}
        {health !== 'updating' && checkedAt !== null && (
          <p className="status__checked" data-testid="status-checked">
            {/* The sentence is split around the time, which is its own focusable element; {ago} marks the spot. */}
            {splitAround(t(lastRun ? checkedKey(lastRun, now) : 'status.checked'), '{ago}').map((part, i) =>
              part === null ? <Ago key={i} iso={new Date(checkedAt).toISOString()} now={now} /> : part,
            )}
          </p>
        )}
        {health !== 'updating' && nextCheckAt !== null && (
          <p className="status__next" data-testid="status-next-check">
            {splitAround(t('status.nextCheck'), '{time}').map((part, i) =>
              part === null ? (
                <time key={i} dateTime={new Date(nextCheckAt).toISOString()}>
                  {formatDateTime(lang, nextCheckAt)}
                </time>
              ) : (
                part
              ),
            )}
          </p>
        )}
        {reasons.length > 0 && (
          <ul className="status__reasons">
            {reasons.map((r) => (
              <li key={r}>{t(r, { age: ageText })}</li>
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
                  {updatedAt && age !== null ? <Ago iso={updatedAt} now={now} testId="signature-age-text" /> : t('status.unknown')}
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

/** "Checked {ago}; …" → ['Checked ', null, '; …']: null where the marker was. */
function splitAround(text: string, marker: string): (string | null)[] {
  const at = text.indexOf(marker);
  return at < 0 ? [text] : [text.slice(0, at), null, text.slice(at + marker.length)].filter((p) => p !== '');
}
