/**
 * Whether the app lives in the notification area. It does unless the organisation's ShowTrayIcon policy is 0: then
 * there is no icon, and closing the window quits the app, since nothing would be left to reach it by; a start in the
 * tray (`--hidden`) shows the window instead. Electron-free: the tray is made through a factory port, and the policy
 * arrives with each state, so a policy changed while the app runs (read again on focus) takes or gives the icon.
 */
import type { AppState } from '../shared/app-state';
import { isActivePhase } from '../shared/update';
import type { TrayShell } from './tray';

export interface TrayPresence {
  /** Makes or removes the icon as the state's policy says, and shows the state on it. */
  update(state: AppState): void;
  /** Closing the window hides it (the app goes on in the tray); false: the window really closes. */
  closeHidesWindow(): boolean;
  /** Every window has closed: without a tray the app quits (after an update it may not cancel). */
  allWindowsClosed(): void;
  /** The user chose Quit: now, or once an update that may not be cancelled (AllowCancel=0) has ended. */
  requestQuit(): void;
  /** A window opened again: a quit that waited for the update's end no longer stands. */
  windowOpened(): void;
  /** Whether a start in the tray may keep the window closed. */
  canStartHidden(): boolean;
  dispose(): void;
}

export function createTrayPresence(options: {
  /** Makes the tray icon with its menu (Electron's Tray in the app, a recorder in tests). */
  createTray: () => TrayShell;
  /** Ends the app. */
  quit: () => void;
  /** The state now, for a decision between two updates. */
  state: () => AppState;
}): TrayPresence {
  let tray: TrayShell | null = null;
  let shown = options.state().policy.showTrayIcon;
  let quitWhenFinished = false;

  const apply = (state: AppState): void => {
    shown = state.policy.showTrayIcon;
    if (shown && !tray) tray = options.createTray();
    if (!shown && tray) {
      tray.dispose();
      tray = null;
    }
    tray?.update(state);
  };
  apply(options.state());

  const quitOrWait = (): void => {
    const state = options.state();
    // AllowCancel=0 means an update that has started runs to its end; quitting now would end it.
    if (!state.policy.allowCancel && isActivePhase(state.update.phase)) quitWhenFinished = true;
    else options.quit();
  };

  return {
    update(state) {
      apply(state);
      if (quitWhenFinished && !isActivePhase(state.update.phase)) {
        quitWhenFinished = false;
        options.quit();
      }
    },
    closeHidesWindow: () => shown,
    allWindowsClosed() {
      if (!shown) quitOrWait();
    },
    requestQuit: quitOrWait,
    windowOpened() {
      quitWhenFinished = false;
    },
    canStartHidden: () => shown,
    dispose() {
      tray?.dispose();
      tray = null;
    },
  };
}
