/**
 * The MpCmdRun half of the engine: what MpCmdRun.exe is given for each offline job (a folder or share, a downloaded
 * package, a repair), how the job's input is checked before anything starts, and how MpCmdRun's lines and result
 * become the records and outcomes an MpClient update produces. The engine owns the run itself (one update at a
 * time, whichever back end); this module prepares, runs and translates.
 */
import { existsSync } from 'node:fs';
import type { MpCmdRunEvent, MpCmdRunPhase, MpCmdRunResult } from '../../shared/mpcmdrun';
import { message, verbatim, type Message } from '../../shared/messages';
import {
  ACTIVE_PHASES,
  isActivePhase,
  type ActivePhase,
  type MpCmdRunNotifyName,
  type NotificationRecord,
  type OfflineJob,
  type UpdateResult,
  type UpdateSnapshot,
} from '../../shared/update';
import { removeDefinitions, signatureUpdateFromFolder } from '../mpcmdrun/commands';
import { MpCmdRunNotFoundError, PackageRejectedError, SharePathError, type PackageProblem, type SharePathProblem } from '../mpcmdrun/errors';
import { locateMpCmdRun } from '../mpcmdrun/locate';
import { checkPackage, pcArchitecture, stagePackage, type PcArchitecture, type StagedPackage } from '../mpcmdrun/package';
import { runMpCmdRun, type RunMpCmdRunOptions } from '../mpcmdrun/run';
import { resolveShareFolder, type ShareFolder } from '../mpcmdrun/share-path';
import { HR } from '../mpclient/constants';

/** What the engine needs of MpCmdRun and the file system; tests may pass their own. */
export interface OfflinePorts {
  /** MpCmdRun.exe's path; throws MpCmdRunNotFoundError. */
  locate(): string;
  /** The PC's architecture; null on one that has no offline package. */
  arch: PcArchitecture | null;
  run(options: RunMpCmdRunOptions): Promise<MpCmdRunResult>;
  checkPackage(file: string, arch: PcArchitecture): Promise<void>;
  stagePackage(file: string, arch: PcArchitecture): Promise<StagedPackage>;
  resolveShareFolder(path: string, arch: PcArchitecture): Promise<ShareFolder>;
  /** MpCmdRun is ended (process tree and all) after this long. */
  deadlineMs: number;
}

/**
 * A signature update from a local folder takes about a minute; a slow share, or -RemoveDefinitions -All followed by
 * Defender reloading, several. Past this, something is wrong and the tree is ended.
 */
export const MPCMDRUN_DEADLINE_MS = 30 * 60_000;

export function nodeOfflinePorts(options: {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** The MpClient.dll in use: MpCmdRun.exe is looked for beside it first. */
  mpClientPath: string | null;
  /** Honour MPCMDRUN_PATH, as MPCLIENT_PATH is honoured: the CLI, tests and development builds only. */
  allowOverride: boolean;
  deadlineMs?: number;
}): OfflinePorts {
  const { env, platform, mpClientPath, allowOverride } = options;
  return {
    locate: () => locateMpCmdRun({ env, platform, fileExists: existsSync, mpClientPath, allowOverride }),
    arch: pcArchitecture(),
    run: (runOptions) => runMpCmdRun({ env, ...runOptions }),
    checkPackage: (file, arch) => checkPackage(file, arch),
    stagePackage: (file, arch) => stagePackage(file, arch),
    resolveShareFolder: (path, arch) => resolveShareFolder(path, arch),
    deadlineMs: options.deadlineMs ?? MPCMDRUN_DEADLINE_MS,
  };
}

/** Why an offline job cannot run: no MpCmdRun.exe, or input it cannot use. The CLI exits 2 on `offline-input`. */
export interface OfflineRefusal {
  kind: 'tool-missing' | 'offline-input';
  /** A Win32 HRESULT for the same trouble, for history and support; the advice comes from `kind`. */
  hresult: number;
  message: Message;
}

export type OfflineCheck = { ok: true; job: OfflineJob } | { ok: false; refusal: OfflineRefusal };

/** The Win32 code Windows itself would give each problem (winerror.h), as HRESULT_FROM_WIN32. */
const PROBLEM_HRESULT: Record<PackageProblem | SharePathProblem, number> = {
  missing: 0x80070002, // ERROR_FILE_NOT_FOUND (a share folder that is missing is ERROR_PATH_NOT_FOUND, below)
  busy: 0x80070020, // ERROR_SHARING_VIOLATION
  unreadable: 0x8007001e, // ERROR_READ_FAULT
  'not-a-file': 0x8007010b, // ERROR_DIRECTORY
  'not-a-program': 0x800700c1, // ERROR_BAD_EXE_FORMAT: "%1 is not a valid Win32 application"
  'wrong-architecture': 0x800700d8, // ERROR_EXE_MACHINE_TYPE_MISMATCH
  'unsupported-pc': 0x80070032, // ERROR_NOT_SUPPORTED
  empty: 0x800700a1, // ERROR_BAD_PATHNAME
  unreachable: 0x80070035, // ERROR_BAD_NETPATH
  'not-a-folder': 0x8007010b, // ERROR_DIRECTORY
  'no-package': 0x80070002, // ERROR_FILE_NOT_FOUND, as MpCmdRun itself reports it
};
const ERROR_PATH_NOT_FOUND = 0x80070003;

/** The refusal an error stands for, or null when it is not one of the back end's refusals. */
export function refusalOf(error: unknown): OfflineRefusal | null {
  if (error instanceof MpCmdRunNotFoundError) return { kind: 'tool-missing', hresult: PROBLEM_HRESULT.missing, message: error.detail };
  if (error instanceof SharePathError) {
    const hresult = error.problem === 'missing' ? ERROR_PATH_NOT_FOUND : PROBLEM_HRESULT[error.problem];
    return { kind: 'offline-input', hresult, message: error.detail };
  }
  if (error instanceof PackageRejectedError) return { kind: 'offline-input', hresult: PROBLEM_HRESULT[error.problem], message: error.detail };
  return null;
}

function requireArch(ports: OfflinePorts): PcArchitecture {
  if (ports.arch) return ports.arch;
  throw new PackageRejectedError('unsupported-pc', message('package.unsupportedPc', { arch: process.arch }));
}

/**
 * Checks a job before it starts: MpCmdRun.exe is there, and the package is a program for this PC or the folder holds
 * <arch>\mpam-fe.exe. Answers with the job as it will run (a folder ending in x64 stands for its parent). Never throws.
 */
export async function checkOfflineJob(job: OfflineJob, ports: OfflinePorts): Promise<OfflineCheck> {
  try {
    ports.locate();
    switch (job.kind) {
      case 'folder':
        return { ok: true, job: { kind: 'folder', path: (await ports.resolveShareFolder(job.path, requireArch(ports))).folder } };
      case 'package':
        await ports.checkPackage(job.file, requireArch(ports));
        return { ok: true, job };
      case 'repair':
        return { ok: true, job };
    }
  } catch (error) {
    return { ok: false, refusal: refusalOf(error) ?? { kind: 'offline-input', hresult: 0x80004005, message: verbatim(messageOf(error)) } };
  }
}

export type OfflineStep = { kind: 'ran'; result: MpCmdRunResult } | { kind: 'refused'; refusal: OfflineRefusal };

/**
 * The MpCmdRun part of a job: prepares its input (a package is copied into a private folder, which is always
 * removed afterwards), runs MpCmdRun with the job's arguments and reports its lines. Never throws.
 */
export async function runOfflineStep(
  job: OfflineJob,
  ports: OfflinePorts,
  options: { signal: AbortSignal; onEvent: (event: MpCmdRunEvent) => void },
): Promise<OfflineStep> {
  let staged: StagedPackage | null = null;
  // Cancelled while it waited for its turn: no copy of the package, no MpCmdRun.
  if (options.signal.aborted)
    return { kind: 'ran', result: { outcome: 'cancelled', hresult: null, exitCode: null, detail: 'cancelled before MpCmdRun.exe started' } };
  try {
    const exe = ports.locate();
    let args: string[];
    switch (job.kind) {
      case 'folder':
        args = signatureUpdateFromFolder((await ports.resolveShareFolder(job.path, requireArch(ports))).folder);
        break;
      case 'package':
        staged = await ports.stagePackage(job.file, requireArch(ports));
        args = signatureUpdateFromFolder(staged.folder);
        break;
      case 'repair':
        args = removeDefinitions(job.all);
        break;
    }
    return { kind: 'ran', result: await ports.run({ exe, args, deadlineMs: ports.deadlineMs, onEvent: options.onEvent, signal: options.signal }) };
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) return { kind: 'refused', refusal };
    return {
      kind: 'ran',
      result: { outcome: 'failed', hresult: null, exitCode: null, detail: `MpCmdRun.exe could not be run: ${messageOf(error)}` },
    };
  } finally {
    await staged?.cleanup().catch(() => undefined);
  }
}

/** Windows' exit status for a console program ended by Ctrl+C: MpCmdRun shares the CLI's console and gets it too. */
const STATUS_CONTROL_C_EXIT = 0xc000013a;
const E_FAIL = 0x80004005;

export interface OfflineEnd {
  result: UpdateResult;
  hresult: number;
  /** For a failure: whether the HRESULT came from MpCmdRun (Defender has a text for it) or is ours. */
  named: boolean;
  timedOut: boolean;
}

/**
 * MpCmdRun's result as an update result. A run the app aborted counts as cancelled whatever MpCmdRun said last: on
 * Windows the console's Ctrl+C reaches MpCmdRun too, and it may exit with a failure before the app's cancel lands.
 */
export function offlineEnd(result: MpCmdRunResult, aborted: boolean): OfflineEnd {
  const plain = { named: false, timedOut: false };
  if (aborted || result.outcome === 'cancelled' || (result.exitCode !== null && result.exitCode >>> 0 === STATUS_CONTROL_C_EXIT))
    return { result: 'cancelled', hresult: HR.ERROR_CANCELLED, ...plain };
  switch (result.outcome) {
    case 'succeeded':
      return { result: 'succeeded', hresult: HR.S_OK, ...plain };
    case 'up-to-date':
      return { result: 'up-to-date', hresult: HR.S_FALSE, ...plain };
    case 'timed-out':
      return { result: 'failed', hresult: HR.ERROR_TIMEOUT, named: false, timedOut: true };
    default:
      return { result: 'failed', hresult: result.hresult ?? E_FAIL, named: result.hresult !== null, timedOut: false };
  }
}

/**
 * MpCmdRun's phases on the stepper. Removing definitions is the first step of a repair, before its update searches;
 * a success line means only the end is left.
 */
const PHASE: Record<MpCmdRunPhase, ActivePhase> = { starting: 'starting', searching: 'searching', installing: 'installing', removing: 'starting' };
const NOTIFY: Record<MpCmdRunEvent['type'], MpCmdRunNotifyName> = {
  phase: 'MPCMDRUN_PHASE',
  succeeded: 'MPCMDRUN_SUCCEEDED',
  failed: 'MPCMDRUN_FAILED',
  log: 'MPCMDRUN_LINE',
};

/** One MpCmdRun line as a notification record, so it reaches the event log, the CLI and the window as MpClient's do. */
export function recordOf(event: MpCmdRunEvent, seq: number, receivedAt: number): NotificationRecord {
  return {
    seq,
    notify: NOTIFY[event.type],
    code: 0,
    hresult: event.type === 'failed' ? event.hresult >>> 0 : 0,
    phase: event.type === 'phase' ? PHASE[event.phase] : event.type === 'succeeded' ? 'finishing' : 'idle',
    percent: null,
    current: null,
    total: null,
    sigType: null,
    path: null,
    receivedAt,
    via: 'mpcmdrun',
    line: event.line,
  };
}

/**
 * The snapshot after one MpCmdRun record: it is news (the watchdog rests), and a later phase moves the stepper on. It
 * never moves back: the console is read as it comes and the log every few hundred milliseconds, so a quick run's
 * "Signature update finished." can arrive before the log's "Search Started".
 */
export function snapshotAfter(snapshot: UpdateSnapshot, record: NotificationRecord): Partial<UpdateSnapshot> {
  const later =
    isActivePhase(record.phase) && (!isActivePhase(snapshot.phase) || ACTIVE_PHASES.indexOf(record.phase) > ACTIVE_PHASES.indexOf(snapshot.phase));
  return {
    lastNotificationAt: record.receivedAt,
    notificationCount: snapshot.notificationCount + 1,
    stalled: false,
    ...(later ? { phase: record.phase, percent: null } : {}),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
