/** Start at login, hidden in the tray. Windows and macOS only; Electron has no login items on Linux. */

export const LOGIN_ARGS = ['--hidden'] as const;

/** The part of Electron's `app` this uses. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[]; path?: string }): void;
}

/**
 * The exe to start at login. The portable build runs from a temporary extracted copy that is gone after exit;
 * electron-builder's portable launcher names the real file in PORTABLE_EXECUTABLE_FILE.
 */
export function launcherPath(execPath: string, env: Record<string, string | undefined>): string {
  return env.PORTABLE_EXECUTABLE_FILE || execPath;
}

/** Returns whether anything was set. */
export function applyLoginItem(
  app: LoginItemApp,
  options: { enabled: boolean; platform: NodeJS.Platform; execPath: string; env?: Record<string, string | undefined> },
): boolean {
  if (options.platform !== 'win32' && options.platform !== 'darwin') return false;
  // On Windows the Run key entry is the exe path plus args: the same path must be given to turn it off again.
  app.setLoginItemSettings({ openAtLogin: options.enabled, path: launcherPath(options.execPath, options.env ?? {}), args: [...LOGIN_ARGS] });
  return true;
}
