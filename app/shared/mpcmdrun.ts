/**
 * What a run of MpCmdRun.exe reports: events read from its console and its MpCmdRun.log, and the result. Plain data
 * (JSON and structured-clone safe), so it can cross IPC and go into the CLI's --json lines as it is.
 */

/** Where a line was read. */
export type MpCmdRunLineSource = 'console' | 'log';

/**
 * What MpCmdRun is doing, as far as its lines tell. The names match the engine's phases where the meaning is the
 * same; `removing` is -RemoveDefinitions at work. MpCmdRun reports no download or progress.
 */
export const MPCMDRUN_PHASES = ['starting', 'searching', 'installing', 'removing'] as const;
export type MpCmdRunPhase = (typeof MPCMDRUN_PHASES)[number];

export type MpCmdRunEvent =
  | { type: 'phase'; phase: MpCmdRunPhase; source: MpCmdRunLineSource; line: string }
  /** A success line ("Update completed successfully", "Signature update finished", "Done!"). */
  | { type: 'succeeded'; upToDate: boolean; source: MpCmdRunLineSource; line: string }
  /** A line carrying a failure HRESULT ("... failed with hr = 0x8050A004"); unsigned. */
  | { type: 'failed'; hresult: number; source: MpCmdRunLineSource; line: string }
  /** Any other line, for the event log; never an error by itself. */
  | { type: 'log'; source: MpCmdRunLineSource; line: string };

export const MPCMDRUN_OUTCOMES = ['succeeded', 'up-to-date', 'failed', 'cancelled', 'timed-out'] as const;
export type MpCmdRunOutcome = (typeof MPCMDRUN_OUTCOMES)[number];

export interface MpCmdRunResult {
  outcome: MpCmdRunOutcome;
  /** The failure HRESULT its lines named (unsigned); null when it named none. */
  hresult: number | null;
  /** Its exit code; null when it was ended (cancel, deadline) or could not start. */
  exitCode: number | null;
  /** One sentence for logs and diagnostics (user-facing advice comes from the message table). */
  detail: string;
}
