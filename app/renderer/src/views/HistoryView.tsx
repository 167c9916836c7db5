/** Past updates, filterable by result and exportable (main shows the save dialog and writes the file). */
import { useEffect } from 'react';
import { UPDATE_RESULTS } from '../../../shared/update';
import { useActions, useAppStore, useLang, useT } from '../store/hooks';
import type { HistoryFilter } from '../store/store';
import { HistoryTable } from './HistoryTable';

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
        <HistoryTable key={filter} entries={entries} lang={lang} t={t} />
      )}
    </section>
  );
}
