/** How the last update ended: succeeded (old → new), up to date, cancelled, or failed with advice and retries. */
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatHresult } from '../../../shared/hresult';
import type { OfflineJob, SigUpdateType, UpdateError } from '../../../shared/update';
import { adviceFor } from '../advice';
import { Icon } from '../components/Icon';
import { formatElapsed } from '../i18n';
import { isTerminalPhase } from '../model';
import { jobText } from './Progress';
import { RepairAction } from './RepairAction';
import { UpdateType } from './UpdateType';
import { useActions, useAppStore, useT } from '../store/hooks';
import type { Store } from '../store/store';

function errorOf(s: Store): UpdateError | null {
  const u = s.app!.update;
  if (u.error) return u.error;
  const o = s.app!.lastOutcome;
  if (u.phase !== 'failed' || !o || o.runId !== u.runId) return null;
  return (
    o.error ?? {
      kind: 'update-failed',
      hresult: o.hresult,
      hex: formatHresult(o.hresult),
      message: o.message,
      source: o.source,
      updateType: o.updateType,
    }
  );
}

/**
 * Moves focus to the element with `id` when `key` changes to a non-null value, but not for the value found on the
 * first render (opening the window on an old failure should not steal focus).
 */
export function useFocusOnChange(id: string, key: string | null) {
  const previous = useRef(key);
  useEffect(() => {
    if (key !== null && key !== previous.current) document.getElementById(id)?.focus();
    previous.current = key;
  }, [id, key]);
}

/**
 * Access denied, on an app that is not elevated: restarting as administrator is what helps, so it is the primary
 * button (Windows shows its UAC prompt; the elevated app starts the update by itself).
 */
function RestartAsAdmin() {
  const t = useT();
  const { restartElevated } = useActions();
  const asking = useAppStore((s) => s.pending.elevate);
  return (
    <button
      type="button"
      className="btn btn--primary"
      aria-describedby="restart-admin-hint"
      aria-disabled={asking || undefined}
      onClick={() => {
        if (!asking) void restartElevated();
      }}
    >
      {t('error.restartAsAdmin')}
    </button>
  );
}

/** What the restart does, and, after a declined UAC prompt, that nothing happened. */
function RestartAsAdminNotes() {
  const t = useT();
  const declined = useAppStore((s) => s.elevationDeclined);
  return (
    <>
      <p id="restart-admin-hint" className="card__hint muted">
        {t('error.restartAsAdminHint')}
      </p>
      <p className="card__hint" role="status" data-testid="restart-declined">
        {declined ? t('error.restartDeclined') : ''}
      </p>
    </>
  );
}

export function ErrorCard({ error, sigType, offline = null }: { error: UpdateError; sigType: SigUpdateType | null; offline?: OfflineJob | null }) {
  const t = useT();
  const { startUpdate } = useActions();
  const starting = useAppStore((s) => s.pending.start);
  const canElevate = useAppStore((s) => s.app!.elevation === 'standard');
  // An organisation that sets the source leaves nothing to retry with but its own source.
  const sourceManaged = useAppStore((s) => s.app!.policy.managed.source !== undefined);
  // How many of the newest updates failed with this same code, back to back (this one included, once recorded).
  const sameFailuresInARow = useAppStore((s) => {
    const streak = s.recentResults.findIndex((run) => run.result !== 'failed' || run.hresult !== error.hex);
    return streak === -1 ? s.recentResults.length : streak;
  });
  const advised = adviceFor(error, { sameFailuresInARow });
  const advice = sourceManaged ? { ...advised, retrySource: null } : advised;
  const elevate = advice.id === 'accessDenied' && canElevate;
  const retry = (
    <button
      type="button"
      className={advice.retrySource || advice.repair || elevate ? 'btn' : 'btn btn--primary'}
      disabled={starting}
      onClick={() => void startUpdate(sourceManaged ? undefined : error.source)}
    >
      {t('error.retry')}
    </button>
  );
  return (
    <section className="card card--error" aria-labelledby="result-title" data-testid="error-card">
      <div className="card__head">
        <Icon name="alert" className="card__icon" />
        <h2 id="result-title" className="card__title" tabIndex={-1}>
          {t('result.failed.title')}
        </h2>
      </div>
      {/* Plain words first; the code and Defender's own text are for support and searching. */}
      <dl className="error-facts">
        <dt>{t('error.cause')}</dt>
        <dd data-testid="error-cause">{t(advice.cause)}</dd>
        <dt>{t('error.next')}</dt>
        <dd data-testid="error-next">{t(advice.step)}</dd>
        <dt>{t('error.defenderSays')}</dt>
        <dd data-testid="error-message">{t(error.message.key, error.message.params)}</dd>
        <dt>{t('error.code')}</dt>
        <dd>
          <code data-testid="error-hex">{error.hex}</code>
        </dd>
      </dl>
      <SourceLine source={t(`source.${error.source}`)} sigType={sigType} offline={offline} />
      <div className="card__actions">
        {/* The action most likely to help comes first, as the primary one: without administrator rights the restart as
            administrator; for broken definitions Microsoft's fix, the repair; otherwise the retry with a better source.
            A plain Retry repeats what just failed. */}
        {elevate && <RestartAsAdmin />}
        {advice.repair && <RepairAction primary={!elevate} />}
        {advice.retrySource && (
          <button
            type="button"
            className={advice.repair || elevate ? 'btn' : 'btn btn--primary'}
            disabled={starting}
            onClick={() => void startUpdate(advice.retrySource!)}
          >
            {advice.retrySource === 'mmpc' ? t('error.retryDirect') : t('error.retryDefault')}
          </button>
        )}
        {retry}
      </div>
      {elevate && <RestartAsAdminNotes />}
    </section>
  );
}

export function ResultPanel() {
  const t = useT();
  const r = useAppStore(
    useShallow((s) => {
      const u = s.app!.update;
      return {
        runId: u.runId,
        phase: u.phase,
        before: u.versionsBefore?.antivirus.version ?? null,
        // The version after the update is read once the engine has closed the update handle; until then (a frame or
        // so) no version is shown rather than the old one. If that read failed, fall back to the last known one.
        after: u.versionsAfter?.antivirus.version ?? (s.app!.lastOutcome?.runId === u.runId ? s.app!.versions?.antivirus.version : null) ?? null,
        took: u.startedAt !== null && u.endedAt !== null ? u.endedAt - u.startedAt : null,
        source: u.source,
        sigType: u.sigType,
        sharedRoot: u.sharedSignatureRoot,
        offline: u.offline ?? null,
        error: errorOf(s),
      };
    }),
  );
  useFocusOnChange('result-title', r.phase === 'failed' ? `failed-${r.runId}` : null);
  if (!isTerminalPhase(r.phase)) return null;
  if (r.phase === 'failed' && r.error) return <ErrorCard error={r.error} sigType={r.sigType} offline={r.offline} />;
  const ok = r.phase === 'succeeded' || r.phase === 'up-to-date' || r.phase === 'reboot-required';
  return (
    <section className={ok ? 'card card--ok' : 'card'} aria-labelledby="result-title" data-testid="result-card">
      <div className="card__head">
        <Icon name={ok ? 'check' : 'cross'} className="card__icon" />
        <h2 id="result-title" className="card__title">
          {t(`result.${r.phase === 'failed' ? 'failed' : r.phase}.title`)}
        </h2>
      </div>
      {(r.phase === 'succeeded' || r.phase === 'reboot-required') && r.after && (
        <p className="mono" data-testid="result-versions">
          {r.before && r.before !== r.after
            ? t('result.succeeded.body', { before: r.before, after: r.after })
            : t('result.succeeded.bodyNew', { after: r.after })}
        </p>
      )}
      {r.phase === 'up-to-date' && r.sharedRoot && (
        // "Up to date" here only means Defender was not asked: the PC reads its signatures from this folder.
        <p data-testid="result-shared-root">{t('result.up-to-date.sharedRoot', { path: r.sharedRoot })}</p>
      )}
      {r.phase === 'up-to-date' && !r.sharedRoot && r.after && <p>{t('result.up-to-date.body', { version: r.after })}</p>}
      {r.phase === 'cancelled' && <p>{t('result.cancelled.body')}</p>}
      {r.took !== null && <p className="muted">{t('result.took', { time: formatElapsed(r.took) })}</p>}
      <SourceLine source={t(`source.${r.source}`)} sigType={r.sigType} offline={r.offline} />
    </section>
  );
}

/**
 * The source that was asked for, and beside it the update type Defender reported using; for a folder or a package,
 * which MpCmdRun installed (it reports no update type), where it came from.
 */
function SourceLine({ source, sigType, offline }: { source: string; sigType: SigUpdateType | null; offline: OfflineJob | null }) {
  const t = useT();
  return (
    <p className="muted source-line">
      <span>{t('update.source', { source })}</span>
      {offline && offline.kind !== 'repair' ? <span data-testid="source-job">{jobText(t, offline)}</span> : <UpdateType sigType={sigType} ended />}
    </p>
  );
}
