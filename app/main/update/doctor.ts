/**
 * `defender-updater doctor`: repeats, on the PC it runs on, the checks that settled how the real MpClient.dll behaves
 * (docs/mpclient.md "Still open, and how they get settled"), and with `--probe-sources` reads which update type
 * Defender reports for each of the four service option bits. One tester's run confirms or corrects the facts.
 *
 * Only calls the DLL refuses before it talks to the Defender service, plus one direct download from Microsoft that is
 * cancelled at once (it runs in-process and needs no administrator to cancel), so a handle of each kind exists.
 */
import { formatHresult, isFailure } from '../../shared/hresult';
import { updateTypeName } from '../../shared/update';
import {
  allocCallbackInfo,
  decodeCallbackData,
  decodeSigUpdateData,
  freeNative,
  registerCallback,
  unregisterCallback,
  type MpClientLibrary,
  type MpHandle,
  type NativePointer,
} from '../mpclient/binding';
import {
  BASE_UPDATE_OPTIONS,
  HR,
  MPCALLBACK_SIGUPDATE,
  MPCONTROL_ABORT,
  MPCONTROL_FIRST_INVALID,
  MPNOTIFY,
  MPUPDATE_OPTION,
  SERVICE_SOURCE_BITS,
  sigUpdateType,
} from '../mpclient/constants';
import { abortUpdate } from './abort';
import { withDeadline } from './deadline';

export interface DoctorCheck {
  name: string;
  /** `0x80070057`. */
  expected: string;
  /** The HRESULT the DLL returned, or what happened instead (`no answer within 30 s`). */
  actual: string;
  ok: boolean;
  /** The call never returned within its deadline: its worker thread, and with it the process, stay taken. */
  unanswered?: true;
}

export interface DoctorReport {
  library: string;
  version: string | null;
  sharedSignatureRoot: string | null;
  checks: DoctorCheck[];
  /** Option bit (`0x10`) → update type name Defender reported, or the HRESULT that refused it. */
  sources?: Record<string, string>;
}

export interface DoctorOptions {
  probeSources: boolean;
  /** How long one native call may take before the check reports it as unanswered. */
  callDeadlineMs?: number;
  /** How long a probe waits for Defender's first notification with update data. */
  probeWaitMs?: number;
}

type Lib = Pick<MpClientLibrary, 'updateStart' | 'updateControl' | 'handleClose'>;

/** One started update with a callback that remembers the first update type Defender reports. */
interface ProbeUpdate {
  hr: number;
  handle: MpHandle | null;
  /** Resolves with MPSIGUPDATE_DATA.eType of the first notification that carries it, or null at COMPLETE without. */
  firstType: Promise<number | null>;
  release(): void;
}

const NO_ANSWER = (ms: number) => `no answer within ${Math.round(ms / 1000)} s`;

export async function runDoctorChecks(lib: Lib, manager: MpHandle, options: DoctorOptions): Promise<Pick<DoctorReport, 'checks' | 'sources'>> {
  const callMs = options.callDeadlineMs ?? 30_000;
  const checks: DoctorCheck[] = [];
  /** Runs one call under the deadline and records expected against actual. */
  const check = async (name: string, expected: number, call: () => Promise<number>): Promise<number | null> => {
    const result = await withDeadline(call(), callMs);
    const actual = result.done ? formatHresult(result.value) : NO_ANSWER(callMs);
    checks.push({
      name,
      expected: formatHresult(expected),
      actual,
      ok: result.done && result.value >>> 0 === expected >>> 0,
      ...(result.done ? {} : { unanswered: true as const }),
    });
    return result.done ? result.value : null;
  };
  /** A start the DLL should refuse; if it does not, the update it started is cancelled and closed. */
  const refusedStart = async (name: string, optionsWord: number, withCallback: boolean) => {
    const probe = startProbe(lib, manager, optionsWord, withCallback);
    const started = await check(name, HR.E_INVALIDARG, async () => (await probe).hr);
    if (started === null) return; // never returned: its callback cannot be released safely
    const update = await probe;
    if (!isFailure(started)) await stopProbe(lib, manager, update, callMs);
    else update.release();
  };

  await check('MpHandleClose(NULL)', HR.S_FALSE, () => lib.handleClose(null));
  await check('MpUpdateControl(NULL, ABORT)', HR.E_INVALIDARG, () => lib.updateControl(null, MPCONTROL_ABORT));
  await check(`MpUpdateControl(manager, ${MPCONTROL_FIRST_INVALID})`, HR.E_INVALIDARG, () => lib.updateControl(manager, MPCONTROL_FIRST_INVALID));
  await refusedStart('MpUpdateStart without callback info', BASE_UPDATE_OPTIONS, false);
  await refusedStart('MpUpdateStart with two source bits (0x18)', BASE_UPDATE_OPTIONS | 0x18, true);
  await refusedStart('MpUpdateStart with 0x200 and a source bit (0x208)', BASE_UPDATE_OPTIONS | 0x208, true);

  // One real update, so there is an update handle to check: a direct download, cancelled at once.
  const started = await withDeadline(startProbe(lib, manager, BASE_UPDATE_OPTIONS | MPUPDATE_OPTION.HTTP, true), callMs);
  const update = started.done ? started.value : null;
  checks.push({
    name: 'MpUpdateStart(manager, ASYNC | PROGRESS | HTTP)',
    expected: formatHresult(HR.S_OK),
    actual: update ? formatHresult(update.hr) : NO_ANSWER(callMs),
    ok: update?.hr === HR.S_OK,
  });
  if (update && !isFailure(update.hr) && update.handle !== null) {
    const handle = update.handle;
    await check('MpUpdateStart(update handle, …)', HR.E_HANDLE, async () => {
      const again = await startProbe(lib, handle, BASE_UPDATE_OPTIONS, true);
      // A DLL that accepted it started a second update: cancel and close that too.
      if (!isFailure(again.hr)) await stopProbe(lib, manager, again, callMs);
      else again.release();
      return again.hr;
    });
    await check('MpUpdateControl(update handle, ABORT)', HR.E_HANDLE, () => lib.updateControl(handle, MPCONTROL_ABORT));
    await check('MpUpdateControl(manager, ABORT)', HR.S_OK, () => lib.updateControl(manager, MPCONTROL_ABORT));
    await check('MpHandleClose(update handle)', HR.S_OK, () => closeProbe(lib, update));
  } else {
    update?.release();
  }

  if (!options.probeSources) return { checks };
  const sources: Record<string, string> = {};
  for (const bit of SERVICE_SOURCE_BITS)
    sources[`0x${bit.toString(16)}`] = await probeSource(lib, manager, bit, options.probeWaitMs ?? 60_000, callMs);
  return { checks, sources };
}

/** Starts an update with `bit` as its only source, reads the type of its first data notification, cancels, closes. */
async function probeSource(lib: Lib, manager: MpHandle, bit: number, waitMs: number, callMs: number): Promise<string> {
  const probe = await startProbe(lib, manager, BASE_UPDATE_OPTIONS | bit, true);
  if (isFailure(probe.hr)) {
    probe.release();
    return formatHresult(probe.hr);
  }
  const first = await withDeadline(probe.firstType, waitMs);
  const stopped = await stopProbe(lib, manager, probe, callMs);
  const type = !first.done
    ? `no notification with update data within ${Math.round(waitMs / 1000)} s`
    : first.value === null
      ? 'no update data'
      : (updateTypeName(sigUpdateType(first.value)) ?? 'none');
  return stopped ? type : `${type}; the update did not close (${NO_ANSWER(callMs)})`;
}

async function startProbe(lib: Lib, handle: MpHandle, options: number, withCallback: boolean): Promise<ProbeUpdate> {
  let settle!: (type: number | null) => void;
  const firstType = new Promise<number | null>((resolve) => (settle = resolve));
  let callback: NativePointer | null = null;
  let info: NativePointer | null = null;
  if (withCallback) {
    callback = registerCallback((_context, dataPtr) => {
      if (!dataPtr) return HR.S_OK;
      const raw = decodeCallbackData(dataPtr);
      if (raw.Type === MPCALLBACK_SIGUPDATE && raw.Data) settle(decodeSigUpdateData(raw.Data).eType);
      else if (raw.Notify === MPNOTIFY.MPNOTIFY_SIGUPDATE_COMPLETE) settle(null);
      return HR.S_OK;
    });
    info = allocCallbackInfo(callback, 0n);
  }
  const { hr, value } = await lib.updateStart(handle, options, info);
  let released = false;
  return {
    hr,
    handle: isFailure(hr) ? null : value,
    firstType,
    // Only once the start call has returned and the handle is closed can no callback be in flight.
    release() {
      if (released) return;
      released = true;
      if (callback !== null) unregisterCallback(callback);
      if (info !== null) freeNative(info);
    },
  };
}

/** Closes the probe's handle and releases its callback; false when the close never returned (the callback leaks). */
async function stopProbe(lib: Lib, manager: MpHandle, probe: ProbeUpdate, callMs: number): Promise<boolean> {
  await withDeadline(abortUpdate(lib, manager, probe.handle), callMs);
  return (await withDeadline(closeProbe(lib, probe), callMs)).done;
}

async function closeProbe(lib: Lib, probe: ProbeUpdate): Promise<number> {
  const hr = probe.handle === null ? HR.S_FALSE : await lib.handleClose(probe.handle);
  probe.handle = null;
  probe.release();
  return hr;
}
