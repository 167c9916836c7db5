/**
 * Runs MpCmdRun.exe once: reports what its console and its MpCmdRun.log say while it runs, ends its process tree on
 * cancel or at the deadline, and takes the result from its exit code and the HRESULT its lines name.
 *
 * Microsoft documents MpCmdRun's exit codes for -Scan only (0, or 2 on error); public scripts treat 0 from
 * -SignatureUpdate as success. So exit code 0 is success, anything else a failure, and the HRESULT comes from the
 * lines ("failed with hr = 0x…"); an exit code that is itself a failure HRESULT is used when no line named one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { posix, win32 } from 'node:path';
import type { MpCmdRunEvent, MpCmdRunLineSource, MpCmdRunPhase, MpCmdRunResult } from '../../shared/mpcmdrun';
import { formatHresult, isFailure } from '../../shared/hresult';
import { waitAtMost } from './deadline';
import { LogTail } from './log-tail';
import { OwnLogSection } from './log-section';
import { classifyLine } from './output-lines';
import { endProcessTree, type TreeKillReport } from './process-tree';
import { TextLines } from './text-lines';

export interface RunMpCmdRunOptions {
  exe: string;
  args: readonly string[];
  /** The run is ended (process tree and all) after this long. */
  deadlineMs: number;
  onEvent?: (event: MpCmdRunEvent) => void;
  /** Aborting it cancels the run: the process tree is ended. */
  signal?: AbortSignal;
  /** MpCmdRun.log files to follow; default mpCmdRunLogPaths(env). */
  logPaths?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** How often the log is read. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 200;
/** After the process is told to end, how long to wait for it to go. */
const END_GRACE_MS = 10_000;
/** After it exited, how long its output pipes may stay open (a grandchild can hold them). */
const CLOSE_GRACE_MS = 2_000;

/**
 * Where MpCmdRun writes its log: %TEMP% for a user, %WINDIR%\Temp for SYSTEM (api §13.4). Which one an elevated
 * run uses is not documented, so both are followed; only the section with our command line is read.
 */
export function mpCmdRunLogPaths(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== 'win32') return [posix.join(env.TMPDIR || '/tmp', 'MpCmdRun.log')];
  const windows = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? env.WINDIR;
  const dirs = [env.TEMP ?? env.TMP, windows && win32.join(windows, 'Temp')].filter((d): d is string => !!d);
  const unique = dirs.filter((d, i) => dirs.findIndex((e) => e.toLowerCase() === d.toLowerCase()) === i);
  return unique.map((d) => win32.join(d, 'MpCmdRun.log'));
}

type StopReason = 'cancelled' | 'timed-out';
type Exit = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

export async function runMpCmdRun(options: RunMpCmdRunOptions): Promise<MpCmdRunResult> {
  if (!(options.deadlineMs > 0 && Number.isFinite(options.deadlineMs)))
    throw new RangeError(`deadlineMs must be positive, got ${options.deadlineMs}`);
  const env = options.env ?? process.env;
  const report = new LineReport(options.onEvent);
  if (options.signal?.aborted) return { outcome: 'cancelled', hresult: null, exitCode: null, detail: 'cancelled before MpCmdRun.exe started' };

  const tails = (options.logPaths ?? mpCmdRunLogPaths(env)).map((path) => ({ tail: new LogTail(path), section: new OwnLogSection(options.args) }));
  // A log a standard user may not open (%WINDIR%\Temp) is simply not followed: the console still reports.
  await Promise.all(tails.map(({ tail }) => tail.start().catch(() => undefined)));
  const readLogs = async (final: boolean) => {
    for (const { tail, section } of tails) {
      const lines = await (final ? tail.finish() : tail.read()).catch(() => []);
      for (const line of lines) if (section.accept(line)) report.line(line, 'log');
    }
  };

  let child: ChildProcess;
  try {
    // Its own process group where there is one, so it can be ended with everything it started.
    child = spawn(options.exe, [...options.args], {
      env,
      windowsHide: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    return { outcome: 'failed', hresult: null, exitCode: null, detail: `MpCmdRun.exe could not be started: ${errorText(e)}` };
  }
  const consoleReaders = [child.stdout, child.stderr].map((stream) => {
    const reader = new TextLines();
    stream?.on('data', (bytes: Buffer) => reader.push(bytes).forEach((line) => report.line(line, 'console')));
    return reader;
  });
  // Written from callbacks, so held in an object (a `let` would stay narrowed to null for the compiler).
  const run: { exit: Exit | null; stopReason: StopReason | null; stoppedAt: number; killing: Promise<TreeKillReport> | null } = {
    exit: null,
    stopReason: null,
    stoppedAt: 0,
    killing: null,
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => resolve(void (run.exit ??= { code, signal })));
    child.once('error', (error) => resolve(void (run.exit ??= { error })));
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = (reason: StopReason) => {
    if (run.stopReason || run.exit || child.pid === undefined) return;
    run.stopReason = reason;
    run.stoppedAt = Date.now();
    run.killing = endProcessTree(child.pid);
  };
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  report.onListenerError = () => stop('cancelled');
  const deadline = setTimeout(() => stop('timed-out'), options.deadlineMs);

  try {
    while (!run.exit && !(run.stopReason && Date.now() - run.stoppedAt > END_GRACE_MS)) {
      await waitAtMost(exited, options.pollMs ?? DEFAULT_POLL_MS);
      await readLogs(false);
    }
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (run.exit) await waitAtMost(closed, CLOSE_GRACE_MS);
  // The process can be gone before the tree is (its children are ended after it): wait for the report, bounded.
  const killReport = run.killing ? await waitAtMost(run.killing, END_GRACE_MS) : null;
  for (const reader of consoleReaders) reader.end().forEach((line) => report.line(line, 'console'));
  await readLogs(true);
  if (report.listenerError) throw report.listenerError;
  return resultOf(run.exit, run.stopReason, killReport, report, options.deadlineMs);
}

function resultOf(
  exit: Exit | null,
  stopReason: StopReason | null,
  killReport: TreeKillReport | null,
  report: LineReport,
  deadlineMs: number,
): MpCmdRunResult {
  if (stopReason) {
    const how = killReport ? ` (${killReport.method}${killReport.note ? `; ${killReport.note}` : ''})` : '';
    const gone = exit ? 'was ended' : 'was told to end but had not ended';
    const detail =
      stopReason === 'cancelled'
        ? `cancelled: MpCmdRun.exe ${gone}${how}`
        : `MpCmdRun.exe did not finish within ${Math.round(deadlineMs / 1000)} s and ${gone}${how}`;
    return { outcome: stopReason, hresult: null, exitCode: null, detail };
  }
  if (!exit) return { outcome: 'failed', hresult: null, exitCode: null, detail: 'MpCmdRun.exe did not report its end' };
  if ('error' in exit)
    return { outcome: 'failed', hresult: null, exitCode: null, detail: `MpCmdRun.exe could not be started: ${exit.error.message}` };
  if (exit.code === 0) {
    return report.upToDate
      ? { outcome: 'up-to-date', hresult: null, exitCode: 0, detail: 'MpCmdRun.exe finished: no updates needed' }
      : { outcome: 'succeeded', hresult: null, exitCode: 0, detail: 'MpCmdRun.exe finished successfully' };
  }
  const hresult = report.lastFailure ?? (exit.code !== null && isFailure(exit.code) ? exit.code >>> 0 : null);
  const named = hresult === null ? '' : ` (${formatHresult(hresult)})`;
  const detail =
    exit.code === null ? `MpCmdRun.exe was ended by ${exit.signal ?? 'a signal'}${named}` : `MpCmdRun.exe exited with code ${exit.code}${named}`;
  return { outcome: 'failed', hresult, exitCode: exit.code, detail };
}

/**
 * Lines → events. Console and log say the same things in different words, so a phase is reported when it changes,
 * and success or a given HRESULT only the first time; repeats and unknown lines are 'log' events.
 */
class LineReport {
  phase: MpCmdRunPhase | null = null;
  upToDate = false;
  lastFailure: number | null = null;
  listenerError: Error | null = null;
  onListenerError: () => void = () => undefined;
  private succeeded = false;
  private readonly failures = new Set<number>();

  constructor(private readonly listener: ((event: MpCmdRunEvent) => void) | undefined) {}

  line(line: string, source: MpCmdRunLineSource): void {
    const meaning = classifyLine(line);
    if (meaning.kind === 'phase' && meaning.phase !== this.phase) {
      this.phase = meaning.phase;
      return this.emit({ type: 'phase', phase: meaning.phase, source, line });
    }
    if (meaning.kind === 'succeeded') {
      this.upToDate ||= meaning.upToDate;
      if (!this.succeeded) {
        this.succeeded = true;
        return this.emit({ type: 'succeeded', upToDate: meaning.upToDate, source, line });
      }
    }
    if (meaning.kind === 'failed') {
      this.lastFailure = meaning.hresult;
      if (!this.failures.has(meaning.hresult)) {
        this.failures.add(meaning.hresult);
        return this.emit({ type: 'failed', hresult: meaning.hresult, source, line });
      }
    }
    this.emit({ type: 'log', source, line });
  }

  /** A listener that throws must not leave MpCmdRun running unwatched: the run is ended and the error rethrown. */
  private emit(event: MpCmdRunEvent): void {
    if (!this.listener || this.listenerError) return;
    try {
      this.listener(event);
    } catch (e) {
      this.listenerError = e instanceof Error ? e : new Error(String(e));
      this.onListenerError();
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
