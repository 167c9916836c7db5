/**
 * One app at a time: a second launch hands its command line to the first and exits. `--update` (from a shortcut or
 * a scheduled task) starts an update in whichever instance owns the lock; `--hidden` (login start) keeps the window
 * closed; a `defender-updater:` URL (a toast's button, activation.ts) is handed to the activation route.
 */
import { findActivation, type Activation } from './activation';

export interface LaunchArgs {
  update: boolean;
  hidden: boolean;
  demo: boolean;
  /** The toast button or toast that launched us, if one did. */
  activation: Activation | null;
}

/**
 * Flags are matched exactly anywhere in argv: Electron puts its own path (and in development the app path) first,
 * and Chromium may add switches of its own to a second instance's argv.
 */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const has = (flag: string): boolean => argv.includes(flag);
  return { update: has('--update'), hidden: has('--hidden'), demo: has('--demo'), activation: findActivation(argv) };
}

/** The parts of Electron's `app` this module uses. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  quit(): void;
}

export interface LaunchActions {
  showWindow(): void;
  startUpdate(): void;
  /** A toast's button or the toast itself; decides for itself whether the window opens. */
  activate(activation: Activation): void;
}

/** What a launch (first or second) asks for. */
export function handleLaunch(args: LaunchArgs, actions: LaunchActions): void {
  if (args.activation) {
    actions.activate(args.activation);
    return;
  }
  if (!args.hidden) actions.showWindow();
  if (args.update) actions.startUpdate();
}

/**
 * Takes the single-instance lock. Returns false in a second instance (which then quits: the first one gets its argv
 * through `second-instance`).
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondLaunch: (args: LaunchArgs) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => onSecondLaunch(parseLaunchArgs(argv)));
  return true;
}
