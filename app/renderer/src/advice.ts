/**
 * What an HRESULT means for a person, and what to try next: the one code-to-advice table (texts in the dictionary,
 * under `advice.<id>.cause` / `.step`). Codes and names: mpclient-api.md §8.1.
 */
import type { UpdateError, UpdateSource } from '../../shared/update';
import type { MessageKey } from './i18n';

export type AdviceId =
  | 'nameNotResolved'
  | 'cannotConnect'
  | 'timeout'
  | 'wuNameNotResolved'
  | 'allUpdatesFailed'
  | 'accessDenied'
  | 'serviceDisabled'
  | 'installRunning'
  | 'badDatabase'
  | 'noInternet'
  | 'defenderDisabled'
  | 'invalidArg'
  | 'serviceUnavailable'
  | 'noResult'
  | 'revisionMismatch'
  | 'installFailure'
  | 'offlineInput'
  | 'toolMissing'
  | 'unknown';

/** The retry that helps besides a plain Retry: direct download (MMPC) skips WU/WSUS and the usual servers. */
export type Alternative = 'mmpc' | 'default' | null;

/**
 * When *Repair security intelligence* (MpCmdRun -RemoveDefinitions, then an update) is offered: for codes that mean
 * the installed definitions are broken, at once; for a generic install failure, once it has failed twice in a row.
 */
export type RepairOffer = 'always' | 'repeated';

interface AdviceRow {
  id: AdviceId;
  alternative: Alternative;
  repair?: RepairOffer;
}

/** The ERROR_MP_BADDB_* family (mpclient-api.md §8.1): 0x8050A001 to 0x8050A005, all a damaged signature database. */
const BAD_DATABASE: AdviceRow = { id: 'badDatabase', alternative: 'mmpc', repair: 'always' };

export const ADVICE_TABLE: ReadonlyMap<number, AdviceRow> = new Map<number, AdviceRow>([
  // WININET_E_NAME_NOT_RESOLVED (12007)
  [0x80072ee7, { id: 'nameNotResolved', alternative: 'mmpc' }],
  // WININET_E_CANNOT_CONNECT (12029)
  [0x80072efd, { id: 'cannotConnect', alternative: 'mmpc' }],
  // ERROR_INTERNET_TIMEOUT (12002)
  [0x80072ee2, { id: 'timeout', alternative: 'mmpc' }],
  // WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
  [0x8024402c, { id: 'wuNameNotResolved', alternative: 'mmpc' }],
  // WU_E_ALL_UPDATES_FAILED
  [0x80240022, { id: 'allUpdatesFailed', alternative: 'mmpc' }],
  // E_ACCESSDENIED: another source does not give rights.
  [0x80070005, { id: 'accessDenied', alternative: null }],
  // ERROR_SERVICE_DISABLED (1058): usually wuauserv; MMPC does not go through Windows Update.
  [0x80070422, { id: 'serviceDisabled', alternative: 'mmpc' }],
  // ERROR_INSTALL_ALREADY_RUNNING (1618)
  [0x80070652, { id: 'installRunning', alternative: null }],
  [0x8050a001, BAD_DATABASE],
  [0x8050a002, BAD_DATABASE],
  [0x8050a003, BAD_DATABASE],
  [0x8050a004, BAD_DATABASE], // ERROR_MP_BADDB_CONTENT
  [0x8050a005, BAD_DATABASE],
  // ERROR_REVISION_MISMATCH (1306): security intelligence newer than the engine that must load it; Microsoft's fix is
  // removing the dynamic signatures (MpCmdRun -RemoveDefinitions -DynamicSignatures) and updating again.
  [0x8007051a, { id: 'revisionMismatch', alternative: null, repair: 'always' }],
  // ERROR_INSTALL_FAILURE (1603): often passing; when it repeats, a damaged installation is the common cause.
  [0x80070643, { id: 'installFailure', alternative: null, repair: 'repeated' }],
  // ERROR_MP_NO_INTERNET_CONN
  [0x80501004, { id: 'noInternet', alternative: null }],
  // Defender service disabled (mpcmdrun page)
  [0x800106ba, { id: 'defenderDisabled', alternative: null }],
  // E_INVALIDARG for a chosen source: the engine reports it as `source-unsupported`; offer the default.
  [0x80070057, { id: 'invalidArg', alternative: 'default' }],
  // WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL (HTTP 503)
  [0x80244022, { id: 'serviceUnavailable', alternative: 'mmpc' }],
]);

export interface Advice {
  id: AdviceId;
  cause: MessageKey;
  step: MessageKey;
  /** The source of the extra retry button, or null when only a plain Retry makes sense. */
  retrySource: UpdateSource | null;
  /** Offer *Repair security intelligence*. */
  repair: boolean;
}

/** Failures with the same code in a row, this one included (from history, newest first). */
export interface FailureContext {
  sameFailuresInARow: number;
}

function row(error: Pick<UpdateError, 'kind' | 'hresult'>): AdviceRow {
  if (error.kind === 'source-unsupported') return { id: 'invalidArg', alternative: 'default' };
  // The app's own refusals of an MpCmdRun job carry a Win32 code only for support; the kind says what went wrong.
  if (error.kind === 'offline-input') return { id: 'offlineInput', alternative: null };
  if (error.kind === 'tool-missing') return { id: 'toolMissing', alternative: 'default' };
  const known = ADVICE_TABLE.get(error.hresult >>> 0);
  if (known) return known;
  if (error.kind === 'no-result') return { id: 'noResult', alternative: null };
  return { id: 'unknown', alternative: 'mmpc' };
}

export function adviceFor(error: Pick<UpdateError, 'kind' | 'hresult' | 'source'>, context: FailureContext = { sameFailuresInARow: 1 }): Advice {
  const { id, alternative, repair } = row(error);
  return {
    repair: repair === 'always' || (repair === 'repeated' && context.sameFailuresInARow >= 2),
    id,
    cause: `advice.${id}.cause`,
    step: `advice.${id}.step`,
    // Retrying with the source that just failed is what Retry already does.
    retrySource: alternative && alternative !== error.source ? alternative : null,
  };
}
