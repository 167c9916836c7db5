/** `defender-updater`: the headless CLI entry. Wiring only; behaviour is in cli/run-cli.ts. */
import { join } from 'node:path';
import { runCli } from './cli/run-cli';
import { readFileVersion } from './mpclient/file-version';
import { readSharedSignatureRoot } from './mpclient/shared-signature-root';
import { openMpClient, openUpdateEngine, type OpenEngineOptions } from './update/open-engine';

function watchdogFromEnv(value: string | undefined): number | undefined {
  const ms = Number(value);
  return value && Number.isFinite(ms) && ms >= 100 ? ms : undefined;
}

const engineOptions = (): OpenEngineOptions => ({
  env: process.env,
  platform: process.platform,
  demo: process.env.DEFENDER_UPDATER_DEMO === '1',
  // Minutes of silence before an update counts as stalled (default 10); scripts and tests may shorten it.
  watchdogMs: watchdogFromEnv(process.env.DEFENDER_UPDATER_WATCHDOG_MS),
  appRoot: join(__dirname, '..', '..'),
});

void runCli({
  argv: process.argv.slice(2),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  openEngine: () => openUpdateEngine(engineOptions()),
  openMpClient: () => openMpClient(engineOptions()),
  readFileVersion,
  readSharedSignatureRoot: () => readSharedSignatureRoot(),
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`defender-updater: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
