/**
 * Every numeric value the binding uses, in one table, each with the source it follows. The facts and how sure each
 * one is: docs/mpclient.md ([DOC] = Microsoft Learn; [BIN] = the real MpClient.dll; others are unofficial).
 */
import type { KnownNotifyName, SigUpdateType, UpdateSource } from '../../shared/update';

/**
 * MPNOTIFY values. The official declaration has no initialisers; the grouped numbering (group N → 0xN000 + 1-based
 * index) is what the real DLL's code uses: 0x8006/0x8009 are its progress codes and 0x800D ends its notification loop
 * (docs/mpclient.md "Notifications"). The engine never fails on an unknown code: it falls back to MPSIGUPDATE_DATA.Stage.
 */
export const MPNOTIFY: Readonly<Record<KnownNotifyName, number>> = {
  MPNOTIFY_CALL_START: 0x1001,
  MPNOTIFY_CALL_COMPLETE: 0x1002,
  MPNOTIFY_INTERNAL_FAILURE: 0x2001,
  MPNOTIFY_SIGUPDATE_START: 0x8001,
  MPNOTIFY_SIGUPDATE_SEARCH_START: 0x8002,
  MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE: 0x8003,
  MPNOTIFY_SIGUPDATE_SOFTWARE_UPDATE_AVAILABLE: 0x8004,
  MPNOTIFY_SIGUPDATE_DOWNLOAD_START: 0x8005,
  MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS: 0x8006,
  MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE: 0x8007,
  MPNOTIFY_SIGUPDATE_INSTALL_START: 0x8008,
  MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS: 0x8009,
  MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE: 0x800a,
  MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED: 0x800b,
  MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED: 0x800c,
  MPNOTIFY_SIGUPDATE_COMPLETE: 0x800d,
};

const NOTIFY_NAMES = new Map<number, KnownNotifyName>(Object.entries(MPNOTIFY).map(([name, code]) => [code, name as KnownNotifyName]));

export function notifyName(code: number): KnownNotifyName | `UNKNOWN_0x${string}` {
  return NOTIFY_NAMES.get(code) ?? `UNKNOWN_0x${(code >>> 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** MPCALLBACK_TYPE: explicit values in [DOC] `mpcallback-type.md`. */
export const MPCALLBACK_SIGUPDATE = 6;

/** MP_UPDATE_STAGE: [DOC] names; values implicit from 0 in unofficial [HDR-R] (docs/mpclient.md "Structures"). */
export const MP_UPDATE_STAGE = { UNKNOWN: 0, SEARCH: 1, DOWNLOAD: 2, INSTALL: 3 } as const;

/** MPSIGUPDATE_TYPE: [DOC] names; values implicit from 0 in unofficial [HDR-R]/[HDR-X] (docs/mpclient.md "Structures"). */
const SIGUPDATE_TYPES: readonly SigUpdateType[] = [
  'none',
  'managed',
  'http',
  'http-srv',
  'unc',
  'unmanaged',
  'managed-platform',
  'unmanaged-platform',
];
export function sigUpdateType(value: number): SigUpdateType {
  return SIGUPDATE_TYPES[value] ?? 'unknown';
}

/** MPCONTROL: unofficial, identical in both public headers; the real DLL accepts 0..2 (docs/mpclient.md "Cancel"). */
export const MPCONTROL_ABORT = 0;

/**
 * MPUPDATE_OPTION_*: names and meanings are [DOC]; the numbers are not published. What the real MpClient.dll
 * (4.18.1909.6) does with each bit was read from its code and checked by calling it: see docs/mpclient.md
 * "Update options". Verified there: ASYNC 0x1, PROGRESS 0x2 (without it the DLL drops the progress notifications),
 * HTTP 0x8 (direct download from Microsoft), UNC 0x20 (file shares); at most one source bit at a time.
 */
export const MPUPDATE_OPTION = {
  NONE: 0x0,
  ASYNC: 0x1,
  PROGRESS: 0x2,
  HTTP: 0x8,
  UNC: 0x20,
  /**
   * UNVERIFIED: MANAGED (WSUS) and UNMANAGED (MU/WU) are two of 0x10, 0x40, 0x80, 0x100, all four handed to the
   * Defender service. We take 0x80 and 0x100 because they are the two the DLL lets combine with 0x200, and platform
   * updates exist only for managed and unmanaged sources (MANAGED_PLATFORM, UNMANAGED_PLATFORM); in the docs' order.
   * `defender-updater doctor --probe-sources` reads the type Defender reports for each bit on a real PC.
   */
  MANAGED: 0x80,
  UNMANAGED: 0x100,
} as const;

/** Every option word the app sends: asynchronous, with progress (docs/mpclient.md "Update options"). */
export const BASE_UPDATE_OPTIONS = MPUPDATE_OPTION.ASYNC | MPUPDATE_OPTION.PROGRESS;

/** The four service bits whose meaning is still open; `doctor --probe-sources` tries each. */
export const SERVICE_SOURCE_BITS = [0x10, 0x40, 0x80, 0x100] as const;

/** Source → option bit (docs/mpclient.md "Update options"). */
export const SOURCE_OPTION: Readonly<Record<UpdateSource, number>> = {
  default: MPUPDATE_OPTION.NONE,
  'microsoft-update': MPUPDATE_OPTION.UNMANAGED,
  wsus: MPUPDATE_OPTION.MANAGED,
  mmpc: MPUPDATE_OPTION.HTTP,
  'file-share': MPUPDATE_OPTION.UNC,
};

/**
 * MPCONTROL values that the real DLL refuses: anything above 2 is E_INVALIDARG (docs/mpclient.md "Cancel"). The
 * doctor uses 3 as a harmless probe.
 */
export const MPCONTROL_FIRST_INVALID = 3;

/** HRESULTs the engine reacts to (unsigned). */
export const HR = {
  S_OK: 0,
  S_FALSE: 1,
  E_ACCESSDENIED: 0x80070005,
  E_HANDLE: 0x80070006,
  E_INVALIDARG: 0x80070057,
  /** HRESULT_FROM_WIN32(ERROR_CANCELLED): what an aborted update ends with. */
  ERROR_CANCELLED: 0x800704c7,
  /** HRESULT_FROM_WIN32(ERROR_TIMEOUT): a native call that never returned. */
  ERROR_TIMEOUT: 0x800705b4,
} as const;
