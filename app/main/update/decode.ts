/**
 * Turns one native notification into a NotificationRecord. Runs inside the koffi callback, while Defender's buffers
 * are alive: everything, including Path, is copied out here (docs/mpclient.md "Structures": the DLL frees the buffer when the callback returns).
 */
import { toUnsigned } from '../../shared/hresult';
import type { NotificationRecord, SigUpdateType, UpdatePhase } from '../../shared/update';
import { MPNOTIFY, MP_UPDATE_STAGE, notifyName, sigUpdateType } from '../mpclient/constants';
import type { NativePointer, RawCallbackData, RawSigUpdateData } from '../mpclient/binding';

const N = MPNOTIFY;

/** Phase a known code moves the update into; null for codes that do not move it. */
const PHASE_BY_CODE = new Map<number, UpdatePhase>([
  [N.MPNOTIFY_SIGUPDATE_START, 'starting'],
  [N.MPNOTIFY_SIGUPDATE_SEARCH_START, 'searching'],
  [N.MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE, 'searching'],
  [N.MPNOTIFY_SIGUPDATE_SOFTWARE_UPDATE_AVAILABLE, 'searching'],
  [N.MPNOTIFY_SIGUPDATE_DOWNLOAD_START, 'downloading'],
  [N.MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, 'downloading'],
  [N.MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE, 'downloading'],
  [N.MPNOTIFY_SIGUPDATE_INSTALL_START, 'installing'],
  [N.MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS, 'installing'],
  [N.MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE, 'installing'],
  [N.MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED, 'finishing'],
  [N.MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED, 'finishing'],
  [N.MPNOTIFY_SIGUPDATE_COMPLETE, 'finishing'],
]);

const PHASE_BY_STAGE: Record<number, UpdatePhase> = {
  [MP_UPDATE_STAGE.SEARCH]: 'searching',
  [MP_UPDATE_STAGE.DOWNLOAD]: 'downloading',
  [MP_UPDATE_STAGE.INSTALL]: 'installing',
};

/** Codes after which the phase is complete, so the bar shows 100% even if Defender sent no final percent. */
const PHASE_COMPLETE_CODES = new Set<number>([N.MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE, N.MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE]);

export function isKnownCode(code: number): boolean {
  return PHASE_BY_CODE.has(code) || code === N.MPNOTIFY_INTERNAL_FAILURE || code === N.MPNOTIFY_CALL_START || code === N.MPNOTIFY_CALL_COMPLETE;
}

/** The phase for a code, from the code when known, else from MPSIGUPDATE_DATA.Stage; null when neither says. */
export function phaseFor(code: number, stage: number | null): UpdatePhase | null {
  return PHASE_BY_CODE.get(code) ?? (stage !== null && !isKnownCode(code) ? (PHASE_BY_STAGE[stage] ?? null) : null);
}

export interface DecodePorts {
  decodeSigUpdate(ptr: NativePointer): RawSigUpdateData;
  decodeString(ptr: NativePointer): string;
}

/** MPSIGUPDATE_DATA is only meaningful for Type == MPCALLBACK_SIGUPDATE; any other Type gets no data decoded. */
export function decodeNotification(
  raw: RawCallbackData,
  isSigUpdate: boolean,
  seq: number,
  receivedAt: number,
  ports: DecodePorts,
): NotificationRecord {
  const code = raw.Notify >>> 0;
  const data = isSigUpdate && raw.Data ? ports.decodeSigUpdate(raw.Data) : null;
  const stage = data ? data.Stage : null;
  const total = data ? data.dwTotalUpdates >>> 0 : null;
  const index = data ? data.dwCurrentUpdateIndex >>> 0 : null;
  let percent = data ? Math.min(100, data.dwPercentComplete >>> 0) : null;
  if (PHASE_COMPLETE_CODES.has(code)) percent = 100;
  const sigType: SigUpdateType | null = data ? sigUpdateType(data.eType) : null;
  return {
    seq,
    notify: notifyName(code),
    code,
    hresult: toUnsigned(raw.hResult),
    phase: phaseFor(code, stage) ?? 'idle',
    percent,
    // MPSIGUPDATE_DATA counts from zero ([DOC]); people count from one. No updates means no "i of n".
    current: total && index !== null ? Math.min(index + 1, total) : null,
    total,
    sigType,
    path: data && data.Path ? ports.decodeString(data.Path) : null,
    receivedAt,
  };
}
