import { useAppStore, useActions, useT } from '../store/hooks';
import type { View } from '../store/store';

const VIEWS: { view: View; label: 'nav.home' | 'nav.history' | 'nav.settings' }[] = [
  { view: 'home', label: 'nav.home' },
  { view: 'history', label: 'nav.history' },
  { view: 'settings', label: 'nav.settings' },
];

export function TopBar() {
  const t = useT();
  const view = useAppStore((s) => s.view);
  const demo = useAppStore((s) => s.app?.availability.demo ?? false);
  const { setView } = useActions();
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <h1 className="topbar__title">{t('app.title')}</h1>
        {demo && <span className="badge badge--demo">{t('app.demo')}</span>}
      </div>
      <nav className="tabs" aria-label={t('nav.label')}>
        {VIEWS.map(({ view: v, label }) => (
          <button key={v} type="button" className="tabs__tab" aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
            {t(label)}
          </button>
        ))}
      </nav>
      {/* Visible text, not a tooltip: touch, keyboard and screen magnifier users never see a title attribute. */}
      {demo && (
        <p id="demo-note" className="topbar__note">
          {t('app.demoHint')}
        </p>
      )}
    </header>
  );
}
