/**
 * "Restart as administrator": the app starts its own executable again with the `runas` verb (Windows' UAC prompt),
 * passing `--update`, and this instance quits once the elevated one has started.
 *
 * The launch goes through Windows PowerShell's Start-Process -Verb RunAs rather than ShellExecuteExW through koffi:
 * ShellExecute wants COM initialised on the calling thread (Microsoft's ShellExecute remarks), which a koffi worker
 * thread is not, and it reports a declined prompt only through GetLastError (ERROR_CANCELLED, 1223), which a koffi
 * call on a worker thread cannot read back. Start-Process runs ShellExecuteEx on a thread of its own and surfaces the
 * Win32Exception with its NativeErrorCode. The script is passed with -EncodedCommand, so no path is ever parsed by a
 * shell.
 *
 * Single instance: the elevated app must not find this one holding the lock (it would hand its --update over and
 * quit), so the lock is released just before the launch and taken back if the prompt was declined.
 */
import * as koffi from 'koffi';
import type { CommandRunner } from './ports';

export type ElevationStatus =
  /** A standard (or UAC-filtered administrator) token: restarting as administrator can help. */
  | 'standard'
  /** Already elevated: restarting would change nothing. */
  | 'elevated'
  /** Not Windows, or the app cannot relaunch itself here. */
  | 'unsupported';

export type RelaunchResult = 'started' | 'declined';

export interface ElevationPort {
  status(): ElevationStatus;
  /** Shows the UAC prompt and starts the elevated app; 'declined' when the user said no. Throws on any other failure. */
  relaunchElevated(): Promise<RelaunchResult>;
}

/** The single-instance lock (Electron's app.releaseSingleInstanceLock / requestSingleInstanceLock). */
export interface InstanceLock {
  release(): void;
  /** Takes the lock again; false when another instance has it now. */
  reacquire(): boolean;
}

export interface RelauncherOptions {
  status: () => ElevationStatus;
  runner: CommandRunner;
  /** Full path of Windows PowerShell 5.1 (System32), never one from PATH. */
  powershellPath: string;
  /** The app's own executable (process.execPath; the real file for the portable build). */
  executable: string;
  /** Arguments for the new instance: `--update`, after the app folder in a development run. */
  args: readonly string[];
  lock: InstanceLock;
  log?: (message: string) => void;
}

/** PowerShell's exit code for "the user declined the UAC prompt" (our script's own choice). */
export const DECLINED_EXIT_CODE = 3;

/** One argument as Windows' command-line parser (CommandLineToArgvW) reads it back. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  // Backslashes are literal except before a quote, where they must be doubled (and so must a trailing run).
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/** A PowerShell single-quoted string: only the quote itself needs doubling. */
function psQuote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The script Windows PowerShell runs: start elevated, exit 0; exit 3 when the prompt was declined; else 1. */
export function relaunchScript(executable: string, args: readonly string[]): string {
  const argumentList = args.map(quoteWindowsArg).join(' ');
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    `  Start-Process -FilePath ${psQuote(executable)}${argumentList ? ` -ArgumentList ${psQuote(argumentList)}` : ''} -Verb RunAs`,
    '  exit 0',
    '} catch {',
    '  $e = $_.Exception',
    '  while ($e -and -not ($e -is [System.ComponentModel.Win32Exception])) { $e = $e.InnerException }',
    `  if ($e -and $e.NativeErrorCode -eq 1223) { exit ${DECLINED_EXIT_CODE} }`,
    '  [Console]::Error.WriteLine($_.Exception.Message)',
    '  exit 1',
    '}',
  ].join('\n');
}

/** -EncodedCommand takes the script as Base64 of its UTF-16LE bytes. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function createElevatedRelauncher(options: RelauncherOptions): ElevationPort {
  let running: Promise<RelaunchResult> | null = null;
  const takeBack = (): void => {
    if (!options.lock.reacquire()) options.log?.('another instance took the single-instance lock while the UAC prompt was open');
  };
  async function relaunch(): Promise<RelaunchResult> {
    if (options.status() !== 'standard') throw new Error('restarting as administrator is not possible here');
    const script = relaunchScript(options.executable, options.args);
    options.lock.release();
    const result = await options.runner.run(options.powershellPath, [
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      encodeCommand(script),
    ]);
    if (result.code === 0) return 'started';
    takeBack();
    if (result.code === DECLINED_EXIT_CODE) return 'declined';
    throw new Error(result.error ?? (result.stderr.trim() || `PowerShell exited with ${String(result.code)}`));
  }
  return {
    status: options.status,
    // One prompt at a time: a double click must not ask twice.
    relaunchElevated() {
      running ??= relaunch().finally(() => (running = null));
      return running;
    },
  };
}

/** Windows PowerShell 5.1 in System32, never from PATH. */
export function powershellExePath(env: Record<string, string | undefined>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  return `${root.replace(/[\\/]+$/, '')}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`;
}

/**
 * Whether this process runs elevated: shell32's IsUserAnAdmin, which checks the token's Administrators membership, is
 * false for an administrator's UAC-filtered token and true once elevated. Read once at start; any failure reads as
 * not elevated (the button then offers the prompt, which is harmless).
 */
export function processIsElevated(loadShell32: () => { func(signature: string): () => number }): boolean {
  try {
    return loadShell32().func('int __stdcall IsUserAnAdmin()')() !== 0;
  } catch {
    return false;
  }
}

/** shell32.dll through koffi, for processIsElevated on Windows. */
export function loadShell32(): { func(signature: string): () => number } {
  const lib = koffi.load('shell32.dll');
  return { func: (signature) => lib.func(signature) as () => number };
}
