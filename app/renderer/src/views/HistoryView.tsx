/** Past updates, filterable by result and exportable (main shows the save dialog and writes the file). */
import { useEffect } from 'react';
import { isFailure, parseHresult } from '../../../shared/hresult';
import { UPDATE_RESULTS } from '../../../shared/update';
import { formatDateTime } from '../i18n';
import { useActions, useAppStore, useLang, useT } from '../store/hooks';
import type { HistoryFilter } from '../store/store';

/** Why a run failed, under its result; nothing when the line kept no words (a newer version's message). */
function FailureNote({ text }: { text: string }) {
  return text ? <div className="table__note">{text}</div> : null;
}

export function HistoryView() {
  const t = useT();
  const lang = useLang();
  const { filter, entries, exported } = useAppStore((s) => s.history);
  const exporting = useAppStore((s) => s.pending.export);
  const { loadHistory, exportHistory, openExport } = useActions();
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  return (
    <section className="view card history" aria-labelledby="history-title">
      <div className="history__head">
        <h2 id="history-title" className="card__title">
          {t('history.title')}
        </h2>
        <div className="field field--inline">
          <label htmlFor="history-filter">{t('history.filter')}</label>
          <select id="history-filter" value={filter} onChange={(e) => void loadHistory(e.target.value as HistoryFilter)}>
            <option value="all">{t('history.filter.all')}</option>
            {UPDATE_RESULTS.map((r) => (
              <option key={r} value={r}>
                {t(`outcome.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history__export">
          <button type="button" className="btn" disabled={exporting} onClick={() => void exportHistory('csv')}>
            {t('history.export.csv')}
          </button>
          <button type="button" className="btn" disabled={exporting} onClick={() => void exportHistory('json')}>
            {t('history.export.json')}
          </button>
        </div>
      </div>
      <div className="history__exported">
        <p className="field__status" role="status">
          {exported?.kind === 'saved' ? t('history.exported', { path: exported.path }) : ''}
        </p>
        {exported?.kind === 'saved' && (
          <div className="history__open">
            <button type="button" className="btn btn--quiet" onClick={() => void openExport('file')}>
              {t('history.openFile')}
            </button>
            <button type="button" className="btn btn--quiet" onClick={() => void openExport('folder')}>
              {t('history.showInFolder')}
            </button>
          </div>
        )}
      </div>
      {entries === null ? (
        <p className="muted">{t('history.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{filter === 'all' ? t('history.empty') : t('history.emptyFiltered')}</p>
      ) : (
        // Its own name: a second region called "History" inside the History region is ambiguous (axe landmark-unique).
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('history.table')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('history.col.time')}</th>
                <th scope="col">{t('history.col.result')}</th>
                <th scope="col">{t('history.col.version')}</th>
                <th scope="col">{t('history.col.source')}</th>
                <th scope="col">{t('history.col.trigger')}</th>
                <th scope="col">{t('history.col.code')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.runId}-${e.time}`}>
                  <td>
                    <time dateTime={e.time}>{formatDateTime(lang, Date.parse(e.time))}</time>
                  </td>
                  <td>
                    <span className={`pill pill--${e.result}`}>{t(`outcome.${e.result}`)}</span>
                    {e.result === 'failed' && <FailureNote text={t(e.message.key, e.message.params)} />}
                  </td>
                  <td className="mono">
                    {e.versionBefore && e.versionAfter && e.versionBefore !== e.versionAfter
                      ? `${e.versionBefore} → ${e.versionAfter}`
                      : (e.versionAfter ?? e.versionBefore ?? '')}
                  </td>
                  <td>
                    {t(`source.${e.source}`)}
                    {e.via === 'mpcmdrun' && <div className="table__note">{t('history.viaMpCmdRun')}</div>}
                  </td>
                  <td>{t(`trigger.${e.trigger}`)}</td>
                  {/* Only a failure has a code worth reading; 0x00000000 next to "Updated" is noise. */}
                  <td className="mono">{isFailure(parseHresult(e.hresult) ?? 0) ? e.hresult : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
