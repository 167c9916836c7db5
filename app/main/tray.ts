/**
 * The tray icon: an icon per state, the phase and percent in the tooltip while updating, and a menu to update,
 * cancel, open the window, see the last result and quit. The view is derived from AppState by pure functions; the
 * Electron Tray and Menu are passed in.
 */
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { AppState } from '../shared/app-state';
import { translator, type Lang } from '../shared/messages';
import { isActivePhase } from '../shared/update';

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

function formatTime(ms: number, lang: Lang): string {
  return new Date(ms).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });
}

/** "Security intelligence updated · 15.01.2025, 09:05": the window's result title and when. */
export function lastResultText(state: AppState, lang: Lang): string {
  const t = translator(lang);
  const outcome = state.lastOutcome;
  if (!outcome) return t('tray.noUpdateYet');
  return t('tray.lastResult', { result: t(`result.${outcome.result}.title`), time: formatTime(outcome.endedAt, lang) });
}

function trayStatus(state: AppState, lang: Lang): string {
  const t = translator(lang);
  const phase = state.update.phase;
  if (isActivePhase(phase)) {
    return state.update.percent === null
      ? t(`phase.${phase}`)
      : t('tray.percent', { phase: t(`phase.${phase}`), percent: Math.round(state.update.percent) });
  }
  if (state.availability.kind === 'connecting') return t('status.connecting');
  if (state.availability.kind !== 'available') return t('unavailable.title');
  if (state.reboot.kind === 'restart-scheduled') return t('reboot.scheduled.title');
  if (state.reboot.kind === 'needed') return t('status.reason.reboot');
  return lastResultText(state, lang);
}

export function trayTooltip(state: AppState, lang: Lang): string {
  const status = trayStatus(state, lang);
  return translator(lang)(state.availability.demo ? 'tray.tooltipDemo' : 'tray.tooltip', { status });
}

export interface TrayActions {
  startUpdate(): void;
  cancelUpdate(): void;
  open(): void;
  quit(): void;
}

export function trayMenuTemplate(state: AppState, lang: Lang, actions: TrayActions): MenuItemConstructorOptions[] {
  const t = translator(lang);
  const running = isActivePhase(state.update.phase);
  const items: MenuItemConstructorOptions[] = [
    {
      id: 'update',
      label: t('update.button'),
      enabled: state.availability.kind === 'available' && !running,
      click: () => actions.startUpdate(),
    },
  ];
  if (running) {
    // AllowCancel=0: the item stays, greyed and saying why, so nobody hunts for it.
    const allowed = state.policy.allowCancel;
    items.push({
      id: 'cancel',
      label: allowed ? t('tray.cancel') : t('tray.cancelManaged'),
      enabled: allowed && !state.update.cancelRequested,
      click: () => actions.cancelUpdate(),
    });
  }
  items.push(
    { id: 'open', label: t('tray.open'), click: () => actions.open() },
    { type: 'separator' },
    { id: 'last-result', label: lastResultText(state, lang), enabled: false },
    { type: 'separator' },
    // AllowCancel=0: quitting would end the update, so Quit waits for its end and says so.
    { id: 'quit', label: running && !state.policy.allowCancel ? t('tray.quitAfterUpdate') : t('tray.quit'), click: () => actions.quit() },
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
  /** The window's language now (settings, or the system's). */
  language: () => Lang;
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
      const lang = options.language();
      const nextIcon = trayIconState(state);
      if (nextIcon !== icon) tray.setImage(trayIconPath(options.assetsDir, (icon = nextIcon)));
      const nextTooltip = trayTooltip(state, lang);
      if (nextTooltip !== tooltip) tray.setToolTip((tooltip = nextTooltip));
      const template = trayMenuTemplate(state, lang, options.actions);
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
