/**
 * The tray icon: an icon per state, the phase and percent in the tooltip while updating, and a menu to update,
 * cancel, open the window, see the last result and quit. The view is derived from AppState by pure functions; the
 * Electron Tray and Menu are passed in.
 */
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { AppState } from '../shared/app-state';
import { isActivePhase } from '../shared/update';
import type { MainStrings } from './strings';

export const TRAY_ICON_STATES = ['idle', 'updating', 'succeeded', 'failed', 'reboot'] as const;
export type TrayIconState = (typeof TRAY_ICON_STATES)[number];

/** `assets/tray/<state>.png`; Electron picks `<state>@2x.png` beside it on high-DPI screens. */
export function trayIconPath(assetsDir: string, icon: TrayIconState): string {
  return join(assetsDir, 'tray', `${icon}.png`);
}

export function trayIconState(state: AppState): TrayIconState {
  if (isActivePhase(state.update.phase)) return 'updating';
  // The reboot icon stays until the restart happens, whatever was clicked ("Later" included).
  if (state.reboot.kind !== 'none') return 'reboot';
  switch (state.lastOutcome?.result) {
    case 'succeeded':
    case 'up-to-date':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'reboot-required':
      return 'reboot';
    default:
      return 'idle';
  }
}

function formatTime(ms: number, locale: string): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

export function lastResultText(state: AppState, strings: MainStrings): string {
  const outcome = state.lastOutcome;
  if (!outcome) return strings.noUpdateYet;
  return `${strings.lastResult[outcome.result]} · ${formatTime(outcome.endedAt, strings.locale)}`;
}

export function trayTooltip(state: AppState, strings: MainStrings): string {
  const name = state.availability.demo ? `${strings.appName} (${strings.demo})` : strings.appName;
  const phase = state.update.phase;
  if (isActivePhase(phase)) {
    const percent = state.update.percent === null ? '' : ` ${Math.round(state.update.percent)}%`;
    return `${name}: ${strings.phase[phase]}${percent}`;
  }
  if (state.availability.kind === 'connecting') return `${name}: ${strings.connecting}`;
  if (state.availability.kind !== 'available') return `${name}: ${strings.unavailable}`;
  if (state.reboot.kind === 'restart-scheduled') return `${name}: ${strings.restartScheduled}`;
  if (state.reboot.kind === 'needed') return `${name}: ${strings.restartNeeded}`;
  return `${name}: ${lastResultText(state, strings)}`;
}

export interface TrayActions {
  startUpdate(): void;
  cancelUpdate(): void;
  open(): void;
  quit(): void;
}

export function trayMenuTemplate(state: AppState, strings: MainStrings, actions: TrayActions): MenuItemConstructorOptions[] {
  const running = isActivePhase(state.update.phase);
  const items: MenuItemConstructorOptions[] = [
    {
      id: 'update',
      label: strings.updateSignatures,
      enabled: state.availability.kind === 'available' && !running,
      click: () => actions.startUpdate(),
    },
  ];
  if (running) items.push({ id: 'cancel', label: strings.cancelUpdate, enabled: !state.update.cancelRequested, click: () => actions.cancelUpdate() });
  items.push(
    { id: 'open', label: strings.open, click: () => actions.open() },
    { type: 'separator' },
    { id: 'last-result', label: lastResultText(state, strings), enabled: false },
    { type: 'separator' },
    { id: 'quit', label: strings.quit, click: () => actions.quit() },
  );
  return items;
}

/** The parts of Electron's Tray we use; `M` is Electron's Menu (a plain template in tests). */
export interface TrayLike<M> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: M | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayShell {
  /** Re-derives the icon, tooltip and menu; touches the Tray only for what changed. */
  update(state: AppState): void;
  dispose(): void;
}

export function createTrayShell<M>(options: {
  tray: TrayLike<M>;
  buildMenu: (template: MenuItemConstructorOptions[]) => M;
  assetsDir: string;
  strings: () => MainStrings;
  actions: TrayActions;
}): TrayShell {
  const { tray } = options;
  let icon: TrayIconState | null = null;
  let tooltip: string | null = null;
  let menuKey: string | null = null;
  // A left click opens the window (Windows users expect it); the menu is on the right click.
  tray.on('click', () => options.actions.open());
  return {
    update(state) {
      const strings = options.strings();
      const nextIcon = trayIconState(state);
      if (nextIcon !== icon) tray.setImage(trayIconPath(options.assetsDir, (icon = nextIcon)));
      const nextTooltip = trayTooltip(state, strings);
      if (nextTooltip !== tooltip) tray.setToolTip((tooltip = nextTooltip));
      const template = trayMenuTemplate(state, strings, options.actions);
      const key = JSON.stringify(template.map(({ id, label, enabled, type }) => [id, label, enabled, type]));
      if (key !== menuKey) {
        menuKey = key;
        tray.setContextMenu(options.buildMenu(template));
      }
    },
    dispose() {
      tray.destroy();
    },
  };
}
