/** Finds, loads and opens MpClient, and hands back an engine that always exists (unavailable if it must be). */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { formatHresult, isFailure } from '../../shared/hresult';
import { message, verbatim } from '../../shared/messages';
import type { Availability } from '../../shared/update';
import { MpClientLibrary, type MpHandle } from '../mpclient/binding';
import { DefenderUnavailableError } from '../mpclient/errors';
import { locateMpClient } from '../mpclient/locate';
import { readSharedSignatureRoot } from '../mpclient/shared-signature-root';
import { readMachineRegistryString } from '../mpclient/windows-registry';
import type { UpdateEngine } from './engine-types';
import { withDeadline } from './deadline';
import { MpUpdateEngine, type EngineOptions } from './engine';
import { nodeOfflinePorts } from './offline-job';

export interface OpenEngineOptions extends EngineOptions {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /**
   * Whether MPCLIENT_PATH and folder variables from the environment are honoured (docs in mpclient/locate.ts): the CLI,
   * tests and development builds, never a packaged app.
   */
  trustEnvironment: boolean;
  /** Load the stand-in library instead of Defender; every screen then says "Demo". */
  demo: boolean;
  /** Where the stand-in is (default: .build/standin under `appRoot`). */
  demoLibraryPath?: string;
  appRoot?: string;
  /** How long MpManagerOpen may take (default 30 s); past it Defender counts as not answering (`no-answer`). */
  openDeadlineMs?: number;
}

/** MpManagerOpen normally answers at once; a service that hangs must not hold the app or the CLI for ever. */
export const OPEN_DEADLINE_MS = 30_000;

export function demoLibraryFile(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'MpClient.dll' : 'libmpclient-standin.so';
}

/** The stand-in MpCmdRun beside the demo library (scripts/build-standin.mjs builds both). */
export function demoMpCmdRunFile(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'MpCmdRun.exe' : 'mpcmdrun-standin';
}

function listDirectory(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [entry.name] : []));
}

/** The library and its manager handle, or why there are none. */
export type OpenedMpClient =
  | { kind: 'open'; lib: MpClientLibrary; manager: MpHandle; availability: Availability & { kind: 'available' } }
  | {
      kind: 'unavailable';
      availability: Availability & { kind: 'unavailable' };
      /** Set when MpManagerOpen did not answer in time: settles when the call finally returns, if ever. */
      stillOpening?: Promise<unknown>;
    };

/** Finds and loads MpClient and opens the manager handle. Never throws. */
export async function openMpClient(options: OpenEngineOptions): Promise<OpenedMpClient> {
  const { env, platform, demo } = options;
  let path: string;
  try {
    if (demo) {
      path = options.demoLibraryPath ?? join(options.appRoot ?? process.cwd(), '.build', 'standin', demoLibraryFile(platform));
      if (!existsSync(path)) {
        throw new DefenderUnavailableError('not-installed', message('unavailable.message.demoMissing', { path }));
      }
      // The stand-in reads these; give the demo a pace a person can follow and its own state file.
      env.MPCLIENT_STANDIN_STEP_MS ??= '250';
      env.MPCLIENT_STANDIN_STATE ??= join(tmpdir(), 'defender-updater-demo-state.txt');
      env.MPCMDRUN_PATH ??= join(dirname(path), demoMpCmdRunFile(platform));
    } else {
      path = locateMpClient({
        env,
        platform,
        trustEnvironment: options.trustEnvironment,
        fileExists: existsSync,
        listDirectory,
        readMachineRegistryString,
      });
    }
  } catch (error) {
    return unavailable(error, demo);
  }

  let lib: MpClientLibrary;
  try {
    lib = MpClientLibrary.load(path);
  } catch (error) {
    return unavailable(error, demo);
  }
  let opened;
  try {
    const opening = lib.managerOpen();
    const deadlineMs = options.openDeadlineMs ?? OPEN_DEADLINE_MS;
    const answered = await withDeadline(opening, deadlineMs);
    if (!answered.done) {
      // A late answer is closed, not leaked.
      const stillOpening = opening
        .then((late) => (late.value !== null && !isFailure(late.hr) ? lib.handleClose(late.value) : 0))
        .catch(() => undefined);
      return {
        ...unavailable(new DefenderUnavailableError('no-answer', message('unavailable.message.openNoAnswer', { seconds: deadlineMs / 1000 })), demo),
        stillOpening,
      };
    }
    opened = answered.value;
  } catch (error) {
    return unavailable(new DefenderUnavailableError('manager-open-failed', message('unavailable.message.openThrew', { error: String(error) })), demo);
  }
  if (isFailure(opened.hr) || opened.value === null) {
    const hr = opened.hr;
    return unavailable(
      new DefenderUnavailableError('manager-open-failed', message('unavailable.message.openFailed', { hex: formatHresult(hr) }), hr),
      demo,
    );
  }
  return { kind: 'open', lib, manager: opened.value, availability: { kind: 'available', libraryPath: path, demo } };
}

/** Never throws: a machine without Defender gets an engine whose availability says why. */
export async function openUpdateEngine(options: OpenEngineOptions): Promise<UpdateEngine> {
  const opened = await openMpClient(options);
  const engineOptions: EngineOptions = {
    readSharedSignatureRoot: options.platform === 'win32' ? () => readSharedSignatureRoot() : undefined,
    reopen: () => openMpClient(options),
    offline: nodeOfflinePorts({
      env: options.env,
      platform: options.platform,
      mpClientPath: opened.kind === 'open' ? opened.availability.libraryPath : null,
      // MPCMDRUN_PATH is trusted where MPCLIENT_PATH is (the CLI, tests, development builds), and in the demo, whose
      // stand-in MpCmdRun it names.
      allowOverride: options.trustEnvironment || options.demo,
    }),
    ...options,
  };
  if (opened.kind === 'unavailable') {
    return opened.stillOpening
      ? new UnansweredOpenEngine(opened.availability, engineOptions, opened.stillOpening)
      : new MpUpdateEngine(null, null, opened.availability, engineOptions);
  }
  return new MpUpdateEngine(opened.lib, opened.manager, opened.availability, engineOptions);
}

/** The engine of a Defender that never answered MpManagerOpen: that call holds a worker thread until it returns. */
class UnansweredOpenEngine extends MpUpdateEngine {
  private opening = true;
  constructor(availability: Availability, options: EngineOptions, stillOpening: Promise<unknown>) {
    super(null, null, availability, options);
    void stillOpening.finally(() => (this.opening = false));
  }
  override pendingNativeCall(): string | null {
    return this.opening ? 'MpManagerOpen' : super.pendingNativeCall();
  }
}

function unavailable(error: unknown, demo: boolean): OpenedMpClient & { kind: 'unavailable' } {
  const availability: Availability & { kind: 'unavailable' } =
    error instanceof DefenderUnavailableError
      ? { kind: 'unavailable', reason: error.reason, message: error.detail, demo }
      : { kind: 'unavailable', reason: 'load-failed', message: verbatim(String(error)), demo };
  return { kind: 'unavailable', availability };
}
