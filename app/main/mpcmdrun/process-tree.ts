/**
 * Ends a process and everything it started. MpCmdRun can start copies of itself ("-Reinvoke" is seen in process
 * lists), so ending only the process we started may leave an update running.
 * - Windows: `taskkill /T /F /PID` (documented: /T ends the child processes too). Wine 8's taskkill refuses /T
 *   ("Unknown or invalid command line option"), and taskkill can fail on its own, so the fallback reads the process
 *   table with `wmic process get ParentProcessId,ProcessId` (Wine has it; Windows 11 24H2 no longer installs it by
 *   default, which is why it is not the first choice), ends the process, then each descendant. Without either tool,
 *   only the process itself is ended, and the report says so.
 * - Elsewhere (the stand-in on Linux): the run is started in its own process group, which is ended as a whole.
 */
import { spawn } from 'node:child_process';
import { win32 } from 'node:path';
import { TextLines } from './text-lines';

export type TreeKillMethod = 'taskkill' | 'wmic' | 'process-only' | 'process-group';

export interface TreeKillReport {
  method: TreeKillMethod;
  /** Why the first choice was not enough, when it was not. */
  note: string | null;
}

export interface ToolResult {
  code: number | null;
  stdout: Buffer;
}

export interface TreeKillPorts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  run(file: string, args: readonly string[], timeoutMs: number): Promise<ToolResult>;
  /** process.kill; ESRCH (already gone) is not an error. */
  kill(pid: number, signal: NodeJS.Signals): void;
}

const TOOL_DEADLINE_MS = 15_000;
/** taskkill's exit code when there is no such process: it ended already. */
const TASKKILL_NOT_FOUND = 128;

export async function endProcessTree(pid: number, ports: TreeKillPorts = nodeTreeKillPorts()): Promise<TreeKillReport> {
  if (ports.platform !== 'win32') {
    try {
      ports.kill(-pid, 'SIGKILL');
      return { method: 'process-group', note: null };
    } catch (e) {
      killQuietly(ports, pid);
      return { method: 'process-only', note: `the process group could not be ended (${errorText(e)})` };
    }
  }
  const system32 = win32.join(ports.env.SystemRoot ?? ports.env.SYSTEMROOT ?? ports.env.windir ?? 'C:\\Windows', 'System32');
  const taskkill = await runQuietly(ports, win32.join(system32, 'taskkill.exe'), ['/T', '/F', '/PID', String(pid)]);
  if (taskkill.code === 0 || taskkill.code === TASKKILL_NOT_FOUND) return { method: 'taskkill', note: null };
  const why = `taskkill /T failed (${taskkill.code === null ? 'did not run' : `exit code ${taskkill.code}`}: ${firstLine(taskkill.stdout)})`;

  const wmic = await runQuietly(ports, win32.join(system32, 'wbem', 'WMIC.exe'), ['process', 'get', 'ParentProcessId,ProcessId']);
  const table = wmic.code === 0 ? parseProcessTable(wmic.stdout) : null;
  if (!table) {
    killQuietly(ports, pid);
    return { method: 'process-only', note: `${why}; wmic could not list processes, so child processes may be left` };
  }
  // Windows keeps a dead parent's id in its children's ParentProcessId, so the table may be read before or after
  // the parent ends; the process itself goes first so it cannot start more.
  const descendants = descendantsOf(pid, table);
  killQuietly(ports, pid);
  for (const child of descendants) killQuietly(ports, child);
  return { method: 'wmic', note: why };
}

/**
 * (parent, child) pairs from `wmic process get ParentProcessId,ProcessId`; null when the output is not that table.
 * Columns are found by name (Windows sorts them; Wine's header runs the two names together: "ParentProcessIDProcessID").
 */
export function parseProcessTable(output: Buffer): Array<[number, number]> | null {
  const reader = new TextLines();
  const lines = [...reader.push(output), ...reader.end()];
  const header = lines.shift()?.toLowerCase() ?? '';
  const parentAt = header.indexOf('parentprocessid');
  const childAt = header.replace('parentprocessid', ' '.repeat('parentprocessid'.length)).indexOf('processid');
  if (parentAt < 0 || childAt < 0) return null;
  const pairs: Array<[number, number]> = [];
  for (const line of lines) {
    const cells = line.trim().split(/\s+/).map(Number);
    if (cells.length !== 2 || !cells.every(Number.isInteger)) continue;
    const [first, second] = cells as [number, number];
    pairs.push(parentAt < childAt ? [first, second] : [second, first]);
  }
  return pairs;
}

/** Every process below `root`, nearest first; cycles (pid reuse) cannot loop. */
export function descendantsOf(root: number, table: ReadonlyArray<readonly [number, number]>): number[] {
  const found: number[] = [];
  const seen = new Set([root]);
  for (let i = -1; i < found.length; i++) {
    const parent = i < 0 ? root : found[i];
    for (const [p, c] of table) {
      if (p === parent && !seen.has(c)) {
        seen.add(c);
        found.push(c);
      }
    }
  }
  return found;
}

export function nodeTreeKillPorts(): TreeKillPorts {
  return {
    platform: process.platform,
    env: process.env,
    run: (file, args, timeoutMs) =>
      new Promise((resolve) => {
        // No stdin at all: wmic waits for its input to end, and under Wine a closed pipe is not enough.
        const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => child.kill(), timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.once('error', () => finish(null));
        child.once('close', (code) => finish(code));
        function finish(code: number | null) {
          clearTimeout(timer);
          resolve({ code, stdout: Buffer.concat(chunks) });
        }
      }),
    kill: (pid, signal) => process.kill(pid, signal),
  };
}

async function runQuietly(ports: TreeKillPorts, file: string, args: readonly string[]): Promise<ToolResult> {
  try {
    return await ports.run(file, args, TOOL_DEADLINE_MS);
  } catch {
    return { code: null, stdout: Buffer.alloc(0) };
  }
}

function killQuietly(ports: TreeKillPorts, pid: number): void {
  try {
    ports.kill(pid, 'SIGKILL');
  } catch {
    // already gone, or not ours to end
  }
}

function firstLine(output: Buffer): string {
  const reader = new TextLines();
  return [...reader.push(output), ...reader.end()][0] ?? 'no output';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
