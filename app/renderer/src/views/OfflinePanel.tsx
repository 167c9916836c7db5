/**
 * Update without internet: install a downloaded mpam-fe.exe (the Open dialog, or a drop anywhere on the window), the
 * way to Microsoft's download page for it, and the repair. Folded away until wanted: most updates need none of it.
 */
import { useActions, useT } from '../store/hooks';
import { RepairAction, useOfflineReadiness } from './RepairAction';

export function OfflinePanel() {
  const t = useT();
  const s = useOfflineReadiness();
  const { updateFromFile, openDownloadPage } = useActions();
  return (
    <details className="card offline" data-testid="offline">
      <summary className="offline__summary">
        <h2 className="card__title offline__title">{t('offline.title')}</h2>
      </summary>
      <p>{t('offline.intro')}</p>
      <div className="offline__row">
        <button
          type="button"
          className="btn"
          disabled={!s.available || s.running}
          aria-disabled={s.busy || undefined}
          onClick={() => {
            if (!s.busy) void updateFromFile();
          }}
        >
          {t('offline.fromFile')}
        </button>
        <span className="muted">{t('offline.dropHint')}</span>
      </div>
      <p className="offline__download">
        <button type="button" className="btn btn--link offline__link" onClick={() => void openDownloadPage()}>
          {t('offline.download')}
        </button>
        <span className="muted"> {t('offline.downloadHint')}</span>
      </p>
      <div className="offline__row">
        <RepairAction />
        <span className="muted">{t('offline.repairHint')}</span>
      </div>
    </details>
  );
}
