/**
 * The app's identity for Windows. APP_USER_MODEL_ID must equal `appId` in electron-builder.yml: Windows groups
 * notifications and the taskbar button by it.
 */
import { win32 } from 'node:path';

export const APP_USER_MODEL_ID = 'com.defenderupdater.app';

/** electron-builder's `shortcutName`, which defaults to `productName` (electron-builder.yml). */
export const SHORTCUT_NAME = 'Defender Updater';

/**
 * Where the installer puts the Start menu shortcut: electron-builder's NSIS script creates
 * `$SMPROGRAMS\${SHORTCUT_NAME}.lnk` and stamps the AppUserModelID on it (`WinShell::SetLnkAUMI`, in
 * app-builder-lib/templates/nsis/include/installer.nsh). `$SMPROGRAMS` is the user's Start menu for this per-user
 * installer, and the common one for a per-machine install.
 */
export function startMenuShortcutPaths(env: Record<string, string | undefined>): string[] {
  const roots = [env.APPDATA, env.ProgramData ?? env.PROGRAMDATA].filter((root): root is string => Boolean(root));
  return roots.map((root) => win32.join(root, 'Microsoft', 'Windows', 'Start Menu', 'Programs', `${SHORTCUT_NAME}.lnk`));
}

/** Electron's shell.readShortcutLink, which throws when the file is missing or is not a shortcut. */
export type ReadShortcut = (path: string) => { appUserModelId?: string };

/**
 * Whether Windows will route a toast's buttons to this app: only a Start menu shortcut with our AppUserModelID makes a
 * desktop app's toasts actionable (and show under its name). The portable build and a development run have none.
 */
export function hasToastShortcut(paths: readonly string[], readShortcut: ReadShortcut): boolean {
  return paths.some((path) => {
    try {
      return readShortcut(path).appUserModelId === APP_USER_MODEL_ID;
    } catch {
      return false;
    }
  });
}
