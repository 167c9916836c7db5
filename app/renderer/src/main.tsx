import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BRIDGE_KEY } from '../../shared/ipc-channels';
import { App } from './App';
import { resolveLanguage, translator } from './i18n';
import { connectStore, createAppStore } from './store/store';
import { StoreContext } from './store/hooks';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const api = window[BRIDGE_KEY];

if (!api) {
  // Opened outside the app (a plain browser without the harness): say so instead of a blank page.
  root.render(<p className="fatal">{translator(resolveLanguage(undefined, navigator.language))('app.noBridge')}</p>);
} else {
  const store = createAppStore(api);
  connectStore(store, api);
  root.render(
    <StrictMode>
      <StoreContext value={store}>
        <App />
      </StoreContext>
    </StrictMode>,
  );
}
