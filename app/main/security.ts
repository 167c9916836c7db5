/**
 * Locks the renderer in: no navigation away from the app's page, no new windows, no webviews, no permissions, no
 * remote requests, and a CSP header (the page's own meta CSP says `default-src 'self'` too; both apply).
 */
import type { ExternalLink } from '../shared/app-state';
import type { LinkPort, PreventableEvent } from './ports';

export const CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Requests to these are cancelled: the app never loads remote content. */
export const REMOTE_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

/** The part of Electron's shell this module uses. */
export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/**
 * shell.openExternal, only ever with a constant address: the window sends a name from the contract (EXTERNAL_LINKS),
 * never an address, so nothing a page shows can make the app open anything else (Electron's security checklist, item
 * 14; Electronegativity's OPEN_EXTERNAL_JS_CHECK accepts exactly this, a string literal at the call).
 */
export function createLinkOpener(shell: ExternalOpener): LinkPort {
  return {
    open(link: ExternalLink) {
      switch (link) {
        case 'package-download':
          // Microsoft's official download page for the offline security intelligence package (mpam-fe.exe).
          return shell.openExternal('https://www.microsoft.com/en-us/wdsi/defenderupdates');
        default:
          return Promise.reject(new Error(`no such link: ${String(link)}`));
      }
    },
  };
}

/** The app page itself, ignoring `#hash` and `?query` (a reload or in-page route is not leaving the app). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    return a.protocol === 'file:' && a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** The parts of WebContents this module uses. */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
}

export function guardWebContents(contents: GuardedContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const blockForeign = (event: PreventableEvent, url: string): void => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The parts of Session this module uses. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[] | string> },
        callback: (response: { responseHeaders?: Record<string, string[] | string>; cancel?: boolean }) => void,
      ) => void,
    ): void;
    onBeforeRequest(
      filter: { urls: string[] },
      listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void,
    ): void;
  };
}

export function guardSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: REMOTE_URL_PATTERNS }, (_details, callback) => callback({ cancel: true }));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
}

/** Every WebContents the app ever creates gets the guards, including ones we did not create on purpose. */
export interface GuardedApp<C extends GuardedContents> {
  on(event: 'web-contents-created', listener: (event: unknown, contents: C) => void): unknown;
}

export function guardApp<C extends GuardedContents>(app: GuardedApp<C>, appUrl: string): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appUrl));
}

/** The one external URI the app opens: Windows Security at "Virus & threat protection". */
export const WINDOWS_SECURITY_URI = 'windowsdefender://threat';

/** Exported history is CSV or JSON; nothing else is ever opened with its default program. */
const OPENABLE_EXPORT = /\.(csv|json)$/i;

/** The parts of Electron's shell the app uses. */
export interface ElectronShell {
  openExternal(url: string): Promise<void>;
  /** Resolves with an error message, or '' when it opened. */
  openPath(path: string): Promise<string>;
  showItemInFolder(path: string): void;
}

/** What the app may do with the shell: open Windows Security, and open or show an exported history file. */
export interface ShellPort {
  openWindowsSecurity(): Promise<void>;
  openFile(path: string): Promise<void>;
  showInFolder(path: string): void;
}

/**
 * The only way to Electron's shell. openExternal gets exactly WINDOWS_SECURITY_URI, never a URL from anywhere else;
 * openPath and showItemInFolder get only an absolute path to a .csv or .json file (the controller also checks that it
 * is the file the last export wrote), so nothing the renderer says can start a program.
 */
export function createGuardedShell(shell: ElectronShell): ShellPort {
  const checkExport = (path: string): void => {
    if (!/^([A-Za-z]:[\\/]|\\\\|\/)/.test(path) || !OPENABLE_EXPORT.test(path))
      throw new Error(`refused to open ${path}: not an exported history file`);
  };
  return {
    openWindowsSecurity: () => shell.openExternal(WINDOWS_SECURITY_URI),
    async openFile(path) {
      checkExport(path);
      const problem = await shell.openPath(path);
      if (problem) throw new Error(problem);
    },
    showInFolder(path) {
      checkExport(path);
      shell.showItemInFolder(path);
    },
  };
}
