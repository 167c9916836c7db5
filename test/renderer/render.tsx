import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/renderer/src/App';
import { immediateScheduler } from '../../app/renderer/src/store/event-fold';
import { StoreContext } from '../../app/renderer/src/store/hooks';
import { connectStore, createAppStore } from '../../app/renderer/src/store/store';
import type { AppState, HistoryEntry } from '../../app/shared/app-state';
import { act } from 'react';
import { fakeApi, makeState } from './fixtures';

/**
 * Renders the whole app on a fake bridge, the way main.tsx does, with events applied at once. `history` is what main
 * has on disk (newest first) when the window connects.
 */
export function renderApp(state: AppState = makeState(), options: { history?: HistoryEntry[] } = {}) {
  const fake = fakeApi(state);
  if (options.history) fake.calls.getHistory.mockResolvedValue({ ok: true, value: options.history } as never);
  const store = createAppStore(fake.api);
  const disconnect = connectStore(store, fake.api, immediateScheduler);
  const user = userEvent.setup();
  const view = render(
    <StoreContext value={store}>
      <App />
    </StoreContext>,
  );
  return {
    ...view,
    fake,
    store,
    user,
    disconnect,
    /** Pushes a new state from "main". */
    push: (next: AppState) => act(() => fake.setState(next)),
  };
}
