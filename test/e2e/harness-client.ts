/** Starts the browser harness (scripts/harness.mjs) as its own process on a free port, with its own stand-in state. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppState } from '../../app/shared/app-state';
import type { Hive, RawValues } from '../../app/shared/policy';
import { repoRoot, standinLibraryPath } from '../support/paths';
import { mpCmdRunStandinPath, type MpCmdRunScenario } from '../support/mpcmdrun-standin';

export interface HarnessSetup {
  /** MPCLIENT_STANDIN_SCENARIO, e.g. `network-failure,updated`. */
  scenario?: string;
  stepMs?: number;
  admin?: boolean;
  lang?: 'en' | 'ru';
  demo?: boolean;
  watchdogMs?: number;
  /** Leave MPCLIENT_PATH unset: on Linux the app then finds no Defender. */
  noLibrary?: boolean;
  /** The stand-in MpCmdRun (always there, MPCMDRUN_PATH): its scenario and pace. */
  mpCmdRun?: { scenario?: MpCmdRunScenario; stepMs?: number };
  /** What *Update from file…*'s Open dialog answers (unset: the dialog is closed). */
  packageFile?: string;
  /** The organisation's policies: the registry values under each hive's policy key (DU_HARNESS_POLICIES). */
  policies?: HarnessPolicies;
}

export type HarnessPolicies = Partial<Record<Hive, RawValues>>;

export interface RecordedCommand {
  file: string;
  args: string[];
  at: number;
}

export interface Harness {
  url: string;
  /**
   * Stops the harness process and starts it again on the same port, user data and stand-in state: what the app sees
   * when it (or Windows) restarts.
   */
  restart(): Promise<void>;
  commands(): Promise<RecordedCommand[]>;
  /** Every text "Copy diagnostics" put on the (recorded) clipboard, oldest first. */
  clipboard(): Promise<string[]>;
  /** What the window asked of Windows: relaunch as administrator, quit, open Windows Security, open an export. */
  actions(): Promise<{ action: string; path?: string }[]>;
  /** Points the next discovery of Defender at the stand-in (true) or at nothing (false). */
  setLibrary(present: boolean): Promise<void>;
  state(): Promise<AppState>;
  /** The addresses opened through the app's link table, oldest first. */
  links(): Promise<string[]>;
  /** The arguments of every MpCmdRun run, as the stand-in received them. */
  mpCmdRunRuns(): string[][];
  /** The harness's own temporary folder (removed by stop), for test files. */
  dir: string;
  /** When the engine received each notification of the newest update (epoch ms), by seq - 1. */
  receipts(): Promise<number[]>;
  /** An administrator sets these policies, and the window gains focus (the app reads them again); true when that changed something. */
  setPolicies(policies: HarnessPolicies): Promise<boolean>;
  /** The harness's user-data folder (settings, history) and process id. */
  info(): Promise<{ userData: string; pid: number }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startHarness(setup: HarnessSetup = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'du-e2e-'));
  const port = await freePort();
  // MpCmdRun.log where the app follows it (TMPDIR), and the stand-in's record of its arguments.
  const logDir = join(dir, 'mpcmdrun-logs');
  mkdirSync(logDir);
  const runsFile = join(dir, 'mpcmdrun-runs.txt');
  const env: Record<string, string | undefined> = {
    ...process.env,
    MPCLIENT_STANDIN_STATE: join(dir, 'standin-state.txt'),
    MPCLIENT_STANDIN_SCENARIO: setup.scenario ?? 'updated',
    MPCLIENT_STANDIN_STEP_MS: String(setup.stepMs ?? 40),
    MPCLIENT_STANDIN_ADMIN: setup.admin ? '1' : '0',
    MPCLIENT_STANDIN_LANG: setup.lang ?? 'en',
    MPCLIENT_PATH: setup.noLibrary || setup.demo ? undefined : standinLibraryPath(),
    DEFENDER_UPDATER_DEMO: undefined,
    MPCMDRUN_PATH: mpCmdRunStandinPath(),
    MPCMDRUN_STANDIN_SCENARIO: setup.mpCmdRun?.scenario ?? 'success',
    MPCMDRUN_STANDIN_STEP_MS: String(setup.mpCmdRun?.stepMs ?? 40),
    MPCMDRUN_STANDIN_LOG_DIR: logDir,
    MPCMDRUN_STANDIN_ARGS_FILE: runsFile,
    TMPDIR: logDir,
    DU_HARNESS_PACKAGE_FILE: setup.packageFile,
    DU_HARNESS_POLICIES: setup.policies ? JSON.stringify(setup.policies) : undefined,
  };
  const args = [join(repoRoot, 'scripts', 'harness.mjs'), '--port', String(port), '--user-data', join(dir, 'user-data')];
  if (setup.demo) args.push('--demo');
  if (setup.watchdogMs) args.push('--watchdog-ms', String(setup.watchdogMs));
  let child: ChildProcess;
  let url = '';

  async function launch(): Promise<void> {
    const started = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`harness did not start in 180 s:\n${output}`)), 180_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /harness listening on (\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      started.stdout.on('data', onData);
      started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`harness exited with ${code}:\n${output}`));
      });
    });
  }

  async function stopChild() {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  await launch();
  const get = async <T>(path: string): Promise<T> => (await (await fetch(new URL(path, url))).json()) as T;
  return {
    get url() {
      return url;
    },
    async restart() {
      await stopChild();
      await launch();
    },
    commands: () => get<RecordedCommand[]>('__harness/commands'),
    clipboard: () => get<string[]>('__harness/clipboard'),
    actions: () => get<{ action: string; path?: string }[]>('__harness/actions'),
    async setLibrary(present) {
      await fetch(new URL('__harness/library', url), { method: 'POST', body: JSON.stringify({ path: present ? standinLibraryPath() : undefined }) });
    },
    state: () => get<AppState>('__harness/state'),
    links: () => get<string[]>('__harness/links'),
    mpCmdRunRuns: () =>
      existsSync(runsFile)
        ? readFileSync(runsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('\t'))
        : [],
    dir,
    receipts: () => get<number[]>('__harness/receipts'),
    async setPolicies(policies) {
      const res = await fetch(new URL('__harness/policies', url), { method: 'POST', body: JSON.stringify(policies) });
      return ((await res.json()) as { changed: boolean }).changed;
    },
    info: () => get<{ userData: string; pid: number }>('__harness/info'),
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
