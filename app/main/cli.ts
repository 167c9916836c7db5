/** `defender-updater`: the headless CLI entry. Wiring only; behaviour is in cli/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli/run-cli';
import { t } from './cli/text';
import type { StopSignal } from './cli/ports';
import { createEventLogWriter } from './event-log/event-log-writer';
import { readFileVersion } from './mpclient/file-version';
import { readPolicies } from './policy/registry-policy-reader';
import { readSharedSignatureRoot } from './mpclient/shared-signature-root';
import { terminateProcess } from './mpclient/terminate-process';
import { openMpClient, openUpdateEngine, type OpenEngineOptions } from './update/open-engine';

const appRoot = join(__dirname, '..', '..');
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function watchdogFromEnv(value: string | undefined): number | undefined {
  const ms = Number(value);
  return value && Number.isFinite(ms) && ms >= 100 ? ms : undefined;
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A reader that went away (`defender-updater update --json | head -1`) closes the pipe: stop writing to it quietly and
 * let the update run to its end, so every handle is still closed and the exit code is still the update's.
 */
function quietWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'EOF') open = false;
  });
  return (text) => {
    if (!open) return;
    try {
      stream.write(text);
    } catch {
      open = false;
    }
  };
}

const engineOptions = (): OpenEngineOptions => ({
  env: process.env,
  platform: process.platform,
  // A tool for people and scripts who choose what runs: MPCLIENT_PATH is how they test against another library.
  trustEnvironment: true,
  demo: process.env.DEFENDER_UPDATER_DEMO === '1',
  // Minutes of silence before an update counts as stalled (default 10); scripts and tests may shorten it.
  watchdogMs: watchdogFromEnv(process.env.DEFENDER_UPDATER_WATCHDOG_MS),
  appRoot,
});

const eventLog = createEventLogWriter({ log: (detail) => err(`${t('cli.eventLog.notWritten', { detail })}\n`) });
const out = quietWriter(process.stdout);
const err = quietWriter(process.stderr);

void runCli({
  argv: process.argv.slice(2),
  version: appVersion(),
  out,
  err,
  isTty: process.stdout.isTTY === true,
  columns: () => (process.stdout.isTTY ? process.stdout.columns || null : null),
  openEngine: () => openUpdateEngine(engineOptions()),
  openMpClient: () => openMpClient(engineOptions()),
  readFileVersion,
  readSharedSignatureRoot: () => readSharedSignatureRoot(),
  readPolicies: () => readPolicies((message) => err(`${message}\n`)),
  writeEvent: (record) => eventLog.write(record),
  onStop: (handler) => {
    const listeners = STOP_SIGNALS.map((signal) => [signal, () => handler(signal)] as const);
    for (const [signal, listener] of listeners) process.on(signal, listener);
    return () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    };
  },
  // Worker threads blocked in Defender would keep the process alive, process.exit included.
  abandon: (code) => terminateProcess(code),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`defender-updater: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
