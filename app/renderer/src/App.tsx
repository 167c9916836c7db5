import { useEffect } from 'react';
import { LiveRegion } from './components/LiveRegion';
import { Notices, ProblemBanner } from './components/Messages';
import { PackageDrop } from './components/PackageDrop';
import { TopBar } from './components/TopBar';
import { useAppStore, useLang, useT } from './store/hooks';
import { AboutSection } from './views/AboutSection';
import { HistoryView } from './views/HistoryView';
import { HomeView } from './views/HomeView';
import { SettingsView } from './views/SettingsView';

export function App() {
  const t = useT();
  const lang = useLang();
  const loaded = useAppStore((s) => s.app !== null);
  const view = useAppStore((s) => s.view);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  return (
    <div className="app">
      <TopBar />
      <main className="content">
        <Notices />
        <ProblemBanner />
        {!loaded ? (
          <p className="muted">{t('app.loading')}</p>
        ) : view === 'home' ? (
          <HomeView />
        ) : view === 'history' ? (
          <HistoryView />
        ) : (
          // About closes the Settings view: reachable with Tab after the last setting, no extra tab to learn.
          <>
            <SettingsView />
            <AboutSection />
          </>
        )}
      </main>
      <LiveRegion />
      <PackageDrop />
    </div>
  );
}
