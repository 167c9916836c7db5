/** The running update: stepper, a determinate progress bar, "update 2 of 3", elapsed time, stalled notice. */
import { useShallow } from 'zustand/react/shallow';
import { isActivePhase, type OfflineJob, type UpdateError } from '../../../shared/update';
import type { Translate } from '../i18n';
import { Icon } from '../components/Icon';
import { formatElapsed } from '../i18n';
import { cancelRefusalHint, STEPS, stepIndex, wholePercent } from '../model';
import { useActions, useAppStore, useNow, useT } from '../store/hooks';

export function Stepper({ current }: { current: number }) {
  const t = useT();
  return (
    <ol className="stepper" aria-label={t('steps.label')}>
      {STEPS.map((step, i) => {
        const state = i < current ? 'done' : i === current ? 'current' : 'todo';
        return (
          <li key={step} className={`stepper__step stepper__step--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {/* Told apart by shape, not only colour (High Contrast flattens colours): a check mark when done, a ring
                with a centre while current, an empty dashed ring while pending. */}
            <span className="stepper__dot" aria-hidden="true">
              {state === 'done' && <Icon name="check" className="stepper__check" />}
            </span>
            <span className="stepper__label">{t(`step.${step}`)}</span>
            {state !== 'todo' && <span className="sr-only"> ({t(`step.state.${state}`)})</span>}
          </li>
        );
      })}
    </ol>
  );
}

export function ProgressBar({ percent, label }: { percent: number | null; label: string }) {
  // The fill is scaled through CSSOM (element.style), which the CSP allows; only style attributes in markup are blocked.
  return (
    <div
      className={percent === null ? 'bar bar--indeterminate' : 'bar'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={percent === null ? label : `${percent}%`}
    >
      <div className="bar__fill" style={percent === null ? undefined : { transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}

function Elapsed({ startedAt }: { startedAt: number }) {
  const t = useT();
  const now = useNow(1000);
  return <span data-testid="elapsed">{t('progress.elapsed', { time: formatElapsed(now - startedAt) })}</span>;
}

function StalledNotice({ since }: { since: number | null }) {
  const t = useT();
  const now = useNow(30_000);
  const { cancelUpdate } = useActions();
  const cancelling = useAppStore((s) => s.pending.cancel || (s.app?.update.cancelRequested ?? false));
  const minutes = since === null ? 0 : Math.max(1, Math.floor((now - since) / 60_000));
  return (
    <div className="message message--warning">
      <p className="message__text">{t('progress.stalled', { minutes })}</p>
      <button type="button" className="btn btn--danger" disabled={cancelling} onClick={() => void cancelUpdate()}>
        {t('progress.cancelStalled')}
      </button>
    </div>
  );
}

/** What an MpCmdRun job is doing, in one line: MpCmdRun says little about itself while it works. */
export function jobText(t: Translate, job: OfflineJob): string {
  switch (job.kind) {
    case 'folder':
      return t('job.folder', { path: job.path });
    case 'package':
      return t('job.package', { file: job.file });
    case 'repair':
      return t(job.all ? 'job.repairAll' : 'job.repair');
  }
}

export function ProgressPanel() {
  const t = useT();
  const u = useAppStore(
    useShallow((s) => {
      const x = s.app!.update;
      return {
        phase: x.phase,
        percent: x.percent,
        current: x.current,
        total: x.total,
        startedAt: x.startedAt,
        stalled: x.stalled,
        lastNotificationAt: x.lastNotificationAt,
        cancelRequested: x.cancelRequested,
        refusal: x.cancelRefusal ?? s.cancelRefusal,
        offline: x.offline ?? null,
      };
    }),
  );
  if (!isActivePhase(u.phase)) return null;
  const phaseText = t(`phase.${u.phase}`);
  const percent = wholePercent(u.percent);
  return (
    <section className="card progress" aria-labelledby="progress-phase">
      <Stepper current={stepIndex(u.phase)} />
      <div className="progress__head">
        <h2 id="progress-phase" className="progress__phase">
          {phaseText}
        </h2>
        {percent !== null && (
          <span className="progress__percent mono" data-testid="percent">
            {percent}%
          </span>
        )}
      </div>
      <ProgressBar percent={percent} label={phaseText} />
      <p className="progress__meta">
        {u.current !== null && u.total !== null && u.total > 0 && (
          <span data-testid="update-of">{t('progress.of', { current: u.current, total: u.total })}</span>
        )}
        {u.startedAt !== null && <Elapsed startedAt={u.startedAt} />}
      </p>
      {u.offline && (
        <p className="muted progress__job" data-testid="offline-job">
          {jobText(t, u.offline)}
        </p>
      )}
      {u.stalled && !u.cancelRequested && <StalledNotice since={u.lastNotificationAt ?? u.startedAt} />}
      {u.cancelRequested && <p className="muted">{t('progress.cancelRequested')}</p>}
      {u.refusal && (
        <div className="message message--warning">
          <p className="message__text" data-testid="cancel-refusal">
            {t('cancel.refused', { hex: u.refusal.hex, message: u.refusal.message })} <RefusalHint error={u.refusal} />
          </p>
        </div>
      )}
    </section>
  );
}

function RefusalHint({ error }: { error: UpdateError }) {
  const t = useT();
  const hint = cancelRefusalHint(error);
  return <>{hint.typeKey ? t(hint.key, { type: t(hint.typeKey) }) : t(hint.key)}</>;
}
