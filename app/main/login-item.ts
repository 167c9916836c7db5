/** Start at login, hidden in the tray. Windows and macOS only; Electron has no login items on Linux. */

export const LOGIN_ARGS = ['--hidden'] as const;

/** The part of Electron's `app` this uses. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[]; path?: string }): void;
}

/** Returns whether anything was set. */
export function applyLoginItem(app: LoginItemApp, options: { enabled: boolean; platform: NodeJS.Platform; execPath: string }): boolean {
  if (options.platform !== 'win32' && options.platform !== 'darwin') return false;
  // On Windows the Run key entry is the exe path plus args: the same path must be given to turn it off again.
  app.setLoginItemSettings({ openAtLogin: options.enabled, path: options.execPath, args: [...LOGIN_ARGS] });
  return true;
}
