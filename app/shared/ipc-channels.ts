/**
 * Channel names and the preload API's method names. Kept free of runtime dependencies so the sandboxed preload
 * bundle stays tiny; the schemas that check payloads live in ipc-schemas.ts and run in main only.
 */

/** Bridge method → IPC channel. Adding a command: one line here, its schema and response type, its handler. */
export const API_METHODS = {
  getState: 'state:get',
  startUpdate: 'update:start',
  cancelUpdate: 'update:cancel',
  answerReboot: 'reboot:answer',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  getHistory: 'history:get',
  exportHistory: 'history:export',
  dismissNotice: 'notice:dismiss',
  copyDiagnostics: 'diagnostics:copy',
  restartElevated: 'app:restart-elevated',
  recheckAvailability: 'availability:recheck',
  openWindowsSecurity: 'shell:open-windows-security',
  openExport: 'history:open-export',
  updateFromPackage: 'update:package',
  chooseUpdatePackage: 'update:choose-package',
  repair: 'update:repair',
  openLink: 'link:open',
} as const;

export type ApiMethod = keyof typeof API_METHODS;
export type CommandChannel = (typeof API_METHODS)[ApiMethod];

/** The one main → renderer channel; every event is an AppEvent. */
export const EVENT_CHANNEL = 'app:event';

/** Name of the object the preload puts on `window`. */
export const BRIDGE_KEY = 'defender';
