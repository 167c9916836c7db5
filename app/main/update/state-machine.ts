/**
 * The update state machine, pure: idle → starting → searching → downloading → installing → finishing →
 * succeeded | up-to-date | reboot-required | failed | cancelled. The engine feeds it notifications and call results.
 */
import { formatHresult, isFailure } from '../../shared/hresult';
import type { Message } from '../../shared/messages';
import type { NotificationRecord, UpdateError, UpdateErrorKind, UpdateResult, UpdateSnapshot } from '../../shared/update';
import { HR, MPNOTIFY } from '../mpclient/constants';
import { isKnownCode } from './decode';

const N = MPNOTIFY;
const MAX_UNKNOWN_CODES = 32;

/** What the machine knows about the run beyond the snapshot. */
export interface RunState {
  snapshot: UpdateSnapshot;
  rebootRequired: boolean;
  /** The first failure Defender reported; it decides the result if the run does not end cleanly. */
  failure: UpdateError | null;
  /** Set once the run has a result; later notifications change nothing. */
  result: UpdateResult | null;
  /** The HRESULT that decided the result. */
  resultHresult: number;
}

/** The words for a code: Defender's own text once fetched, else "Error 0x…". */
export type Describe = (hr: number) => Message;

/** Where an error happened: the source asked for and the update type Defender had reported by then. */
export type ErrorContext = Pick<UpdateSnapshot, 'source' | 'sigType'>;

export function makeError(kind: UpdateErrorKind, hr: number, context: ErrorContext, describe: Describe): UpdateError {
  return { kind, hresult: hr >>> 0, hex: formatHresult(hr), message: describe(hr), source: context.source, updateType: context.sigType };
}

export function initialRun(snapshot: UpdateSnapshot): RunState {
  return { snapshot, rebootRequired: false, failure: null, result: null, resultHresult: 0 };
}

/** Applies one notification. Unknown codes are logged in the snapshot, never fatal. */
export function applyNotification(run: RunState, rec: NotificationRecord, describe: Describe): RunState {
  return applyNotifications(run, [rec], describe);
}

/**
 * Applies notifications in order, copying the state once per batch rather than once per notification (a storm is
 * 10,000 of them). `onApplied` sees each record with the state right after it; that state is this call's working
 * copy, so a listener copies what it keeps. The input state is never modified.
 */
export function applyNotifications(
  run: RunState,
  records: readonly NotificationRecord[],
  describe: Describe,
  onApplied?: (record: NotificationRecord, state: RunState) => void,
): RunState {
  if (run.result || records.length === 0) return run;
  let next: RunState = { ...run, snapshot: { ...run.snapshot } };
  for (const rec of records) {
    if (next.result) break;
    const snapshot = next.snapshot;
    snapshot.lastNotificationAt = rec.receivedAt;
    snapshot.notificationCount += 1;
    snapshot.stalled = false;
    if (!isKnownCode(rec.code) && !snapshot.unknownCodes.includes(rec.code) && snapshot.unknownCodes.length < MAX_UNKNOWN_CODES) {
      snapshot.unknownCodes = [...snapshot.unknownCodes, rec.code];
    }
    if (rec.phase !== 'idle' && rec.phase !== snapshot.phase) {
      snapshot.phase = rec.phase;
      // A new phase starts its own bar; a phase without percent data shows an indeterminate bar.
      snapshot.percent = rec.percent;
    } else if (rec.percent !== null) {
      snapshot.percent = rec.percent;
    }
    if (rec.total !== null) {
      snapshot.total = rec.total;
      snapshot.current = rec.current;
    }
    if (rec.sigType !== null) snapshot.sigType = rec.sigType;

    const failed = isFailure(rec.hresult);
    switch (rec.code) {
      case N.MPNOTIFY_INTERNAL_FAILURE:
        next = withFailure(next, makeError('internal-failure', rec.hresult || 0x80004005, snapshot, describe));
        break;
      case N.MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED:
        if (failed) next = withFailure(next, makeError('update-failed', rec.hresult, snapshot, describe));
        break;
      case N.MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED:
        if (failed) next = withFailure(next, makeError('update-failed', rec.hresult, snapshot, describe));
        else next.rebootRequired = true;
        break;
      case N.MPNOTIFY_SIGUPDATE_COMPLETE:
        next = complete(next, rec.hresult, describe);
        break;
      default:
        break;
    }
    onApplied?.(rec, next);
  }
  return next;
}

function withFailure(run: RunState, error: UpdateError): RunState {
  if (run.failure) return run;
  return { ...run, failure: error, snapshot: { ...run.snapshot, error } };
}

/**
 * MPNOTIFY_SIGUPDATE_COMPLETE decides the result ([DOC]: S_FALSE means no updates were needed). A failed update ends
 * with a COMPLETE that carries the error, with or without an INTERNAL_FAILURE before it (docs/mpclient.md
 * "Notifications").
 */
function complete(run: RunState, hr: number, describe: Describe): RunState {
  if (run.snapshot.cancelRequested && (isFailure(hr) || run.failure)) return finish(run, 'cancelled', hr);
  if (isFailure(hr)) {
    const error = run.failure ?? makeError('update-failed', hr, run.snapshot, describe);
    return finish({ ...run, failure: error, snapshot: { ...run.snapshot, error } }, 'failed', hr);
  }
  if (run.failure) return finish(run, 'failed', run.failure.hresult);
  if (run.rebootRequired) return finish(run, 'reboot-required', hr);
  return finish(run, hr === HR.S_FALSE ? 'up-to-date' : 'succeeded', hr);
}

/** Ends the run with a result (also used for start failures, forced cancels and lost updates). */
export function finish(run: RunState, result: UpdateResult, hr: number, error?: UpdateError): RunState {
  if (run.result) return run;
  const failure = error ?? run.failure;
  const snapshot: UpdateSnapshot = {
    ...run.snapshot,
    phase: result,
    stalled: false,
    error: result === 'failed' ? failure : null,
    percent: result === 'succeeded' || result === 'up-to-date' || result === 'reboot-required' ? 100 : run.snapshot.percent,
  };
  return { ...run, failure, snapshot, result, resultHresult: hr >>> 0 };
}
