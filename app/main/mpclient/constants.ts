/**
 * Every numeric value the binding uses, in one table, each with the source it follows
 * (see ../shared/reference/mpclient-api.md; [DOC] = Microsoft Learn, others are unofficial).
 */
import type { KnownNotifyName, SigUpdateType, UpdateSource } from '../../shared/update';

/**
 * MPNOTIFY values. The official declaration has no initialisers (api §6.1, open question 2). We follow the grouped
 * numbering (C): group N → 0xN000 + 1-based index. Unofficial, but the only reading consistent with the binary:
 * decompiled MpHandleClose emits 0x1002 (CALL_COMPLETE) and MpUpdateStartEx sends 0x800D with S_FALSE, which [DOC]
 * defines as SIGUPDATE_COMPLETE "no updates were needed" (api §6.2). 0x8001..0x800C assume the SIGUPDATE group is
 * contiguous in declaration order. The engine never fails on an unknown code: it falls back to MPSIGUPDATE_DATA.Stage.
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

/** MP_UPDATE_STAGE: [DOC] names; values implicit from 0 in unofficial [HDR-R] (api §2.4). */
export const MP_UPDATE_STAGE = { UNKNOWN: 0, SEARCH: 1, DOWNLOAD: 2, INSTALL: 3 } as const;

/** MPSIGUPDATE_TYPE: [DOC] names; values implicit from 0 in unofficial [HDR-R]/[HDR-X] (api §2.3). */
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

/** MPCONTROL: unofficial, identical in [HDR-P] and [HDR-R] (api §1.5). Only ABORT is documented for updates. */
export const MPCONTROL_ABORT = 0;

/**
 * MPUPDATE_OPTION_*: names and meanings are [DOC]; the numbers are NOT public (api §2.2, open question 1).
 * Best-supported guess: ASYNC and PROGRESS as the two low flag bits (the decompiled MpUpdateStartEx does not test
 * 0x1/0x2, consistent with a wrapper handling them), and the four sources as the mutually exclusive group
 * 0x10 | 0x40 | 0x80 | 0x100 that the decompiled code enforces (mask 0x1D0, api §1.4), in the docs' order.
 * An E_INVALIDARG for a source is reported as "source not supported here" and the default is offered.
 * To verify on a real machine: see README "What only a real Windows machine can verify".
 */
export const MPUPDATE_OPTION = {
  NONE: 0x0,
  ASYNC: 0x1,
  PROGRESS: 0x2,
  HTTP: 0x10,
  UNC: 0x40,
  MANAGED: 0x80,
  UNMANAGED: 0x100,
} as const;

/** Source → option bit. Mapping by meaning only (api §2.5): no document states it. */
export const SOURCE_OPTION: Readonly<Record<UpdateSource, number>> = {
  default: MPUPDATE_OPTION.NONE,
  'microsoft-update': MPUPDATE_OPTION.UNMANAGED,
  wsus: MPUPDATE_OPTION.MANAGED,
  mmpc: MPUPDATE_OPTION.HTTP,
  'file-share': MPUPDATE_OPTION.UNC,
};

/** HRESULTs the engine reacts to (unsigned). */
export const HR = {
  S_OK: 0,
  S_FALSE: 1,
  E_ACCESSDENIED: 0x80070005,
  E_HANDLE: 0x80070006,
  E_INVALIDARG: 0x80070057,
  /** HRESULT_FROM_WIN32(ERROR_CANCELLED): what an aborted update ends with. */
  ERROR_CANCELLED: 0x800704c7,
} as const;
