/** `defender-updater`: the headless CLI entry. Wiring only; behaviour is in cli/run-cli.ts. */
import { join } from 'node:path';
import { runCli } from './cli/run-cli';
import { openUpdateEngine } from './update/open-engine';

void runCli({
  argv: process.argv.slice(2),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  openEngine: () =>
    openUpdateEngine({
      env: process.env,
      platform: process.platform,
      demo: process.env.DEFENDER_UPDATER_DEMO === '1',
      appRoot: join(__dirname, '..', '..'),
    }),
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
