/** React access to the store and the language. Components select the smallest value they need. */
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { resolveLanguage, translator, type Lang, type Translate } from '../i18n';
import type { AppStore, Store } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore<T>(selector: (state: Store) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <StoreContext>');
  return useStore(store, selector);
}

/** The store's actions never change; picking one does not subscribe to anything that re-renders. */
export function useActions(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useActions outside <StoreContext>');
  return store.getState();
}

export function useLang(): Lang {
  const setting = useAppStore((s) => s.app?.settings.language);
  return resolveLanguage(setting, typeof navigator === 'undefined' ? undefined : navigator.language);
}

export function useT(): Translate {
  const lang = useLang();
  return useMemo(() => translator(lang), [lang]);
}

/** The current time, refreshed every `intervalMs` while the component is mounted. */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}
