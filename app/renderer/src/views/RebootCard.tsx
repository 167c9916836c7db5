/**
 * The restart prompt: Restart now / Later; once a restart is scheduled, Cancel restart. Nothing restarts without a
 * click here (main runs the command only on the answer). Focus moves to the card whenever its state changes.
 */
import { useAppStore, useActions, useLang, useT } from '../store/hooks';
import { Icon } from '../components/Icon';
import { formatTime } from '../i18n';
import { useFocusOnChange } from './Result';

export function RebootCard() {
  const t = useT();
  const lang = useLang();
  const reboot = useAppStore((s) => s.app!.reboot);
  const hours = useAppStore((s) => s.app!.settings.rebootReminderHours);
  const busy = useAppStore((s) => s.pending.reboot);
  const { answerReboot } = useActions();
  useFocusOnChange('reboot-title', reboot.kind === 'none' ? null : `${reboot.kind}-${reboot.kind === 'needed' ? reboot.remindAt : reboot.at}`);
  if (reboot.kind === 'none') return null;
  const scheduled = reboot.kind === 'restart-scheduled';
  return (
    <section className="card card--reboot" aria-labelledby="reboot-title" data-testid="reboot-card">
      <div className="card__head">
        <Icon name="restart" className="card__icon" />
        <h2 id="reboot-title" className="card__title" tabIndex={-1}>
          {scheduled ? t('reboot.scheduled.title') : t('reboot.title')}
        </h2>
      </div>
      {scheduled ? (
        <p>{t('reboot.scheduled.body', { time: formatTime(lang, reboot.at) })}</p>
      ) : (
        <>
          <p>{t('reboot.body')}</p>
          {/* `shutdown /r /t 60`: say so before the click, not after. */}
          <p id="reboot-now-hint">{t('reboot.nowHint')}</p>
          {reboot.remindAt !== null && <p className="muted">{t('reboot.reminder', { time: formatTime(lang, reboot.remindAt) })}</p>}
        </>
      )}
      <div className="card__actions">
        {scheduled ? (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void answerReboot({ answer: 'abort-restart' })}>
            {t('reboot.abort')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="btn btn--primary"
              aria-describedby="reboot-now-hint"
              disabled={busy}
              onClick={() => void answerReboot({ answer: 'restart-now' })}
            >
              {t('reboot.now')}
            </button>
            {reboot.remindAt === null && (
              <button type="button" className="btn" disabled={busy} onClick={() => void answerReboot({ answer: 'later', hours })}>
                {t('reboot.later')}
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
