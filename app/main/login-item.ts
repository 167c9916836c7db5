/** Start at login, hidden in the tray. Windows and macOS only; Electron has no login items on Linux. */
import { win32 } from 'node:path';

export const LOGIN_ARGS = ['--hidden'] as const;

/** The part of Electron's `app` this uses. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[]; path?: string }): void;
}

/** What tells a portable build from any process that merely has the variables set. */
export interface LauncherFacts {
  execPath: string;
  env: Record<string, string | undefined>;
  /** The user's temporary folder (app.getPath('temp')): the portable launcher runs the app from inside it. */
  tempDir: string;
  fileExists(path: string): boolean;
}

const samePath = (a: string, b: string): boolean => win32.normalize(a).toLowerCase() === win32.normalize(b).toLowerCase();
const isInside = (path: string, dir: string): boolean => {
  const relative = win32.relative(dir, path);
  return relative !== '' && !relative.startsWith('..') && !win32.isAbsolute(relative);
};

/**
 * The exe to start at login. electron-builder's portable launcher (templates/nsis/portable.nsi) extracts the app into
 * the temp folder, runs it from there and deletes it after exit; it names itself in PORTABLE_EXECUTABLE_FILE and its
 * folder in PORTABLE_EXECUTABLE_DIR. Only when all of that holds (this process runs from the temp folder, the file is
 * an .exe in that folder, outside temp, and exists) is it a portable build whose login item must be the launcher;
 * otherwise the variables are anyone's, and the Run key gets this exe.
 */
export function launcherPath(facts: LauncherFacts): string {
  const file = facts.env.PORTABLE_EXECUTABLE_FILE;
  const dir = facts.env.PORTABLE_EXECUTABLE_DIR;
  if (!file || !dir) return facts.execPath;
  const portable =
    win32.isAbsolute(file) &&
    /\.exe$/i.test(file) &&
    samePath(win32.dirname(file), dir) &&
    isInside(facts.execPath, facts.tempDir) &&
    !isInside(file, facts.tempDir) &&
    facts.fileExists(file);
  return portable ? file : facts.execPath;
}

/** Returns whether anything was set. */
export function applyLoginItem(app: LoginItemApp, options: LauncherFacts & { enabled: boolean; platform: NodeJS.Platform }): boolean {
  if (options.platform !== 'win32' && options.platform !== 'darwin') return false;
  // On Windows the Run key entry is the exe path plus args: the same path must be given to turn it off again.
  app.setLoginItemSettings({ openAtLogin: options.enabled, path: launcherPath(options), args: [...LOGIN_ARGS] });
  return true;
}
