/** The real CommandRunner: execFile with an argument vector, no shell, no console window. */
import { execFile } from 'node:child_process';
import type { CommandResult, CommandRunner } from './ports';

export function createCommandRunner(timeoutMs = 30_000): CommandRunner {
  return {
    run(file, args) {
      return new Promise<CommandResult>((resolve) => {
        execFile(file, [...args], { windowsHide: true, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr, error: null });
          const code = typeof error.code === 'number' ? error.code : null;
          resolve({ code, stdout, stderr, error: code === null ? error.message : null });
        });
      });
    },
  };
}
