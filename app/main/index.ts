/** Main process entry: wires Electron to the app's modules. No logic lives here; each module has one job. */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, Notification, powerMonitor, screen, session, shell, Tray } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { resolveLanguage, translator } from '../shared/messages';
import { createTokenBook, PROTOCOL_SCHEME, routeActivation } from './activation';
import { APP_USER_MODEL_ID, hasToastShortcut, startMenuShortcutPaths } from './app-id';
import { createCommandRunner } from './command-runner';
import { createEventLogWriter } from './event-log/event-log-writer';
import { composeApp, type ComposedApp } from './compose-app';
import { createElevatedRelauncher, loadShell32, powershellExePath, processIsElevated } from './elevation';
import { createDialogExporter } from './export-dialog';
import { registerIpc } from './ipc';
import { applyLoginItem, launcherPath } from './login-item';
import { createMainWindowManager } from './main-window';
import { windowsSystemDirectory } from './mpclient/system-directory';
import { terminateProcess } from './mpclient/terminate-process';
import { createNotifier } from './notifications';
import { systemScheduler } from './ports';
import { shutdownExePath } from './reboot';
import { createPackageDialog } from './package-dialog';
import { createGuardedShell, createLinkOpener, guardApp, guardSession } from './security';
import { claimSingleInstance, handleLaunch, parseLaunchArgs } from './single-instance';
import { createTrayShell, trayIconPath } from './tray';
import { createTrayPresence, type TrayPresence } from './tray-presence';
import { createRegistryPolicyPort } from './policy-port';
import { readPolicies } from './policy/registry-policy-reader';
import { createWindowStateStore } from './window-state';

const launch = parseLaunchArgs(process.argv);
const demo = launch.demo || process.env.DEFENDER_UPDATER_DEMO === '1';
const preloadPath = join(__dirname, '..', 'preload', 'index.js');
const indexHtml = join(__dirname, '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(indexHtml).href;
let quitting = false;
let core: ComposedApp | null = null;
let presence: TrayPresence | null = null;
const pendingLaunches: (typeof launch)[] = [];
// Each toast with buttons carries one of these; only a URL with a token this run issued acts (activation.ts).
const tokens = createTokenBook(() => randomBytes(18).toString('base64url'));
/** Every way the window opens again; a quit that waited for an update's end is off then. */
const openWindow = (): void => {
  presence?.windowOpened();
  windows.open();
};
const quit = (): void => {
  quitting = true;
  app.quit();
};

if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
app.enableSandbox();
// Demo results must not mix with the real history and settings.
if (demo) app.setPath('userData', join(app.getPath('userData'), 'demo'));

const windows = createMainWindowManager({
  create: (options) => new BrowserWindow(options),
  preloadPath,
  indexHtml,
  iconPath: join(app.getAppPath(), 'assets', 'icon.png'),
  title: 'Defender Updater',
  store: createWindowStateStore({ dir: app.getPath('userData') }),
  workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
  isQuitting: () => quitting,
  hideOnClose: () => presence?.closeHidesWindow() ?? true,
  scheduler: systemScheduler,
});

if (claimSingleInstance(app, (args) => (core ? runLaunch(args) : pendingLaunches.push(args)))) {
  guardApp(app, appUrl);
  app.on('before-quit', () => {
    quitting = true;
  });
  // The app lives in the tray: closing the last window does not quit, unless a policy took the tray away.
  app.on('window-all-closed', () => presence?.allWindowsClosed());
  let cleanedUp = false;
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    // Within 10 s whatever Defender does: the engine gives up on it after 8 s, its last result still goes to history.
    void Promise.resolve(core?.dispose()).finally(() => {
      cleanedUp = true;
      if (core?.engine.pendingNativeCall()) endProcessNow();
      else app.quit();
    });
  });
  void app.whenReady().then(start);
}

function runLaunch(args: typeof launch): void {
  // `--update` while Defender has not answered yet waits for it rather than being refused.
  const startUpdate = () => void core?.engineReady.then(() => core?.controller.startUpdate('command-line'));
  // Without a tray icon a start "in the tray" would leave nothing to click: the window opens.
  handleLaunch(
    { ...args, hidden: args.hidden && (presence?.canStartHidden() ?? true) },
    {
      showWindow: () => openWindow(),
      startUpdate,
      // A toast's button does what the same button in the window does, through the same command.
      activate: (activation) =>
        routeActivation(tokens.admit(activation), {
          openWindow: () => openWindow(),
          answerReboot: (answer) => void core?.controller.dispatch('reboot:answer', { answer }),
          startUpdate: () => void core?.engineReady.then(() => core?.controller.startUpdate('notification')),
        }),
    },
  );
}

/**
 * Quitting while Defender holds one of our calls: Node's exit waits for every worker thread, and that one never comes
 * back (seen with the stand-in's hanging calls), so the process is ended instead. The tray icon goes first, or it
 * stays in the notification area until the mouse passes over it.
 */
function endProcessNow(): void {
  presence?.dispose();
  for (const window of BrowserWindow.getAllWindows()) window.destroy();
  terminateProcess(0);
}

async function start(): Promise<void> {
  guardSession(session.defaultSession);
  const language = () => resolveLanguage(ctrl.getState().settings.language, app.getLocale());
  // Buttons on notifications need the installed app's Start menu shortcut with our AppUserModelID, and our URL scheme.
  const toastButtons =
    process.platform === 'win32' &&
    hasToastShortcut(startMenuShortcutPaths({ APPDATA: app.getPath('appData'), ProgramData: process.env.ProgramData }), (path) =>
      shell.readShortcutLink(path),
    ) &&
    app.setAsDefaultProtocolClient(PROTOCOL_SCHEME);
  const elevation = process.platform !== 'win32' ? 'unsupported' : processIsElevated(loadShell32) ? 'elevated' : 'standard';
  const loginItem = (enabled: boolean) =>
    applyLoginItem(app, {
      enabled,
      platform: process.platform,
      execPath: process.execPath,
      env: process.env,
      tempDir: app.getPath('temp'),
      fileExists: existsSync,
    });
  const notifier = createNotifier({
    create: (content) => new Notification(content),
    isSupported: () => Notification.isSupported(),
    enabled: () => ctrl.getState().settings.notifications,
    language,
    buttons: () => toastButtons,
    tokens,
    onClick: () => openWindow(),
  });
  const eventLog = createEventLogWriter({ log: (message) => console.warn(`[event-log] ${message}`) });
  const composed = await composeApp({
    userData: app.getPath('userData'),
    engine: { env: process.env, platform: process.platform, trustEnvironment: !app.isPackaged, demo, appRoot: app.getAppPath() },
    runner: createCommandRunner(),
    shutdownPath: shutdownExePath({ systemDirectory: windowsSystemDirectory, env: process.env, trustEnvironment: !app.isPackaged }),
    exporter: createDialogExporter({
      dialog,
      documentsDir: () => app.getPath('documents'),
      title: () => translator(language())('history.exportTitle'),
    }),
    packageDialog: createPackageDialog({ dialog, downloadsDir: () => app.getPath('downloads'), language }),
    links: createLinkOpener(shell),
    // Windows paste targets such as Notepad on older builds expect CRLF.
    clipboard: {
      writeText: (text) => clipboard.writeText(process.platform === 'win32' ? text.replace(/\n/g, '\r\n') : text),
    },
    appVersion: app.getVersion(),
    platform: process.platform,
    systemLocale: () => app.getLocale(),
    shell: createGuardedShell(shell),
    elevation: createElevatedRelauncher({
      status: () => elevation,
      runner: createCommandRunner(),
      powershellPath: powershellExePath(process.env),
      // The portable build runs from a temporary copy; relaunch the real file, checked as for the login item.
      executable: launcherPath({ execPath: process.execPath, env: process.env, tempDir: app.getPath('temp'), fileExists: existsSync }),
      args: [...(app.isPackaged ? [] : [app.getAppPath()]), ...(demo ? ['--demo'] : []), '--update'],
      lock: { release: () => app.releaseSingleInstanceLock(), reacquire: () => app.requestSingleInstanceLock() },
      log: (message) => console.warn(`[elevation] ${message}`),
    }),
    quit,
    writeEvent: (record) => eventLog.write(record),
    policies: createRegistryPolicyPort({ platform: process.platform, read: readPolicies, log: (message) => console.warn(`[policy] ${message}`) }),
    onRebootReminder: () => notifier.rebootReminder(),
    notifyFreshness: (alert) => notifier.freshness(alert),
    onSettingsChanged: (next, previous) => {
      if (next.startAtLogin !== previous.startAtLogin) loginItem(next.startAtLogin);
    },
  });
  const ctrl = composed.controller;
  core = composed;

  const assetsDir = join(app.getAppPath(), 'assets');
  const tray = (presence = createTrayPresence({
    createTray: () =>
      createTrayShell({
        tray: new Tray(trayIconPath(assetsDir, 'idle')),
        buildMenu: (template) => Menu.buildFromTemplate(template),
        assetsDir,
        language,
        actions: {
          startUpdate: () => void ctrl.startUpdate('tray'),
          cancelUpdate: () => void ctrl.cancelUpdate(),
          open: () => openWindow(),
          quit: () => presence?.requestQuit(),
        },
      }),
    quit,
    state: () => ctrl.getState(),
  }));
  registerIpc({ ipcMain, controller: ctrl, windows: () => BrowserWindow.getAllWindows(), appUrl });
  ctrl.subscribe((event) => {
    if (event.type === 'state') {
      tray.update(event.state);
      windows.setProgress(event.state.update);
    } else if (event.type === 'progress') {
      // At most once a frame: the tray reads the same state the window shows.
      tray.update(ctrl.getState());
      windows.setProgress(event.update);
    } else notifier.finished(event.outcome);
  });
  // Policies are read again whenever the window comes to the front: an administrator's change shows without a restart.
  app.on('browser-window-focus', () => void ctrl.rereadPolicies());
  // Sleep stops timers: what fell due meanwhile runs now, and freshness is looked at again.
  powerMonitor.on('resume', () => void composed.resume());
  // Re-assert start at login from the saved choice, but never from defaults that stand in for an unreadable file.
  const settingsTrusted = !ctrl.getState().notices.some((notice) => notice.key === 'settings-reset' || notice.key === 'settings-unreadable');
  if (app.isPackaged && settingsTrusted) loginItem(ctrl.getState().settings.startAtLogin);
  app.on('activate', () => openWindow());

  runLaunch(launch);
  for (const args of pendingLaunches.splice(0)) runLaunch(args);
}
