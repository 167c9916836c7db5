/** What the CLI needs from its process, passed in so tests run it in-process (and under Wine). */
import type { ResolvedPolicies } from '../../shared/policy';
import type { EventRecord } from '../event-log/event-record';
import type { UpdateEngine } from '../update/engine-types';
import type { OpenedMpClient } from '../update/open-engine';

export const EXIT = { ok: 0, failed: 1, usage: 2, reboot: 3, unavailable: 4, cancelled: 5, outdated: 6 } as const;

/** The signals that mean "stop": Ctrl+C, a closed console window (SIGHUP on Windows too), a service manager. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface CliPorts {
  argv: readonly string[];
  /** The app's version, for --version. */
  version: string;
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: progress redraws one line; otherwise plain lines. */
  isTty: boolean;
  /** The terminal's width in columns, when it has one. */
  columns(): number | null;
  openEngine(): Promise<UpdateEngine>;
  /** The library and manager handle alone, for `doctor` (which makes calls the engine never would). */
  openMpClient(): Promise<OpenedMpClient>;
  readFileVersion(path: string): string | null;
  readSharedSignatureRoot(): string | null;
  /** Group Policy / Intune settings (HKLM over HKCU); none off Windows. */
  readPolicies(): ResolvedPolicies;
  /** Writes one event to the Windows Application log; never throws, does nothing off Windows. */
  writeEvent(record: EventRecord): Promise<unknown>;
  /** Registers the stop handler for every StopSignal; returns its removal. */
  onStop(handler: (signal: StopSignal) => void): () => void;
  /**
   * Ends the process now with this code, without waiting for native calls that never returned (their worker threads
   * would keep it alive forever). Tests record it instead.
   */
  abandon(code: number): void;
  /**
   * How long the CLI waits for Defender before giving up (default 10 s): after the first stop signal, and after
   * Defender reported the end of the update (closing it is all that is left).
   */
  giveUpAfterMs?: number;
  now?(): number;
}
