/** Drives the stand-in MpCmdRun (test/standin/mpcmdrun_standin.c): its program, and per test a private state file, log folder and pid file. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths';

export type MpCmdRunScenario = 'success' | 'up-to-date' | 'bad-package' | 'access-denied' | 'slow';

export function mpCmdRunStandinPath(): string {
  const path = join(repoRoot, '.build', 'standin', process.platform === 'win32' ? 'MpCmdRun.exe' : 'mpcmdrun-standin');
  if (!existsSync(path)) throw new Error(`stand-in MpCmdRun not built: ${path} (run: node scripts/build-standin.mjs)`);
  return path;
}

export interface MpCmdRunStandin {
  dir: string;
  stateFile: string;
  logPath: string;
  env: NodeJS.ProcessEnv;
  /** `a.b.c.d` of a component in the state file, or null when the file does not name it. */
  version(component: 'AVSignature' | 'ASSignature' | 'Engine'): string | null;
  /** The slow scenario's "<its pid> <helper pid>", once written. */
  pids(): number[];
  /** The arguments of every run so far, in order (MPCMDRUN_STANDIN_ARGS_FILE). */
  runs(): string[][];
  cleanup(): void;
}

export function useMpCmdRunStandin(options: { scenario?: MpCmdRunScenario; stepMs?: number } = {}): MpCmdRunStandin {
  const dir = mkdtempSync(join(tmpdir(), 'du-mpcmdrun-'));
  const stateFile = join(dir, 'state.txt');
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  const pidFile = join(dir, 'pids.txt');
  const argsFile = join(dir, 'runs.txt');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MPCLIENT_STANDIN_STATE: stateFile,
    MPCMDRUN_STANDIN_LOG_DIR: logDir,
    MPCMDRUN_STANDIN_PIDFILE: pidFile,
    MPCMDRUN_STANDIN_ARGS_FILE: argsFile,
    MPCMDRUN_STANDIN_SCENARIO: options.scenario ?? 'success',
    MPCMDRUN_STANDIN_STEP_MS: String(options.stepMs ?? 400),
  };
  return {
    dir,
    stateFile,
    logPath: join(logDir, 'MpCmdRun.log'),
    env,
    version: (component) => {
      if (!existsSync(stateFile)) return null;
      const line = readFileSync(stateFile, 'utf8')
        .split(/\r?\n/)
        .find((l) => l.startsWith(`${component}.Version=`));
      return line ? line.slice(line.indexOf('=') + 1) : null;
    },
    pids: () =>
      existsSync(pidFile)
        ? readFileSync(pidFile, 'utf8')
            .trim()
            .split(/\s+/)
            .map(Number)
            .filter((n) => n > 0)
        : [],
    runs: () =>
      existsSync(argsFile)
        ? readFileSync(argsFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => line.split('\t'))
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }),
  };
}

/**
 * The environment for the app beside this stand-in: MPCMDRUN_PATH names it, the MpClient stand-in shares its state file
 * (so what MpCmdRun installs is what MpManagerVersionQuery reads), and the temp folder (where the app follows
 * MpCmdRun.log: TMPDIR, or %TEMP% under Wine) is its log folder.
 */
export function appEnvFor(s: MpCmdRunStandin): Record<string, string> {
  const logDir = dirname(s.logPath);
  const own = Object.entries(s.env).filter(([key]) => key.startsWith('MPCMDRUN_') || key === 'MPCLIENT_STANDIN_STATE');
  return {
    ...(Object.fromEntries(own) as Record<string, string>),
    MPCMDRUN_PATH: mpCmdRunStandinPath(),
    TMPDIR: logDir,
    TEMP: logDir,
    TMP: logDir,
  };
}

/** A minimal PE image: "MZ", e_lfanew, "PE\0\0", Machine, Characteristics (executable, or a DLL). */
export function peImage(machine: number, { dll = false, peOffset = 0x80, size = 1024 } = {}): Buffer {
  const image = Buffer.alloc(Math.max(size, peOffset + 24));
  image.write('MZ', 0, 'latin1');
  image.writeUInt32LE(peOffset, 0x3c);
  image.write('PE\0\0', peOffset, 'latin1');
  image.writeUInt16LE(machine, peOffset + 4);
  image.writeUInt16LE(dll ? 0x2022 : 0x0022, peOffset + 22);
  return image;
}

/** <root>/<arch>/mpam-fe.exe holding an x64 program; returns <root>. */
export function makeShareFolder(root: string, arch = 'x64', image: Buffer = peImage(0x8664)): string {
  mkdirSync(join(root, arch), { recursive: true });
  writeFileSync(join(root, arch, 'mpam-fe.exe'), image);
  return root;
}

/** True while the process runs; a zombie (ended, not yet reaped by init) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits for a condition, failing after `timeoutMs` with `what` (a wait, not a timing check). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
