/** Runs the built CLI (out/cli/cli.js) as a user would, with output through files (pipes break under Wine). */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

export const cliPath = join(repoRoot, 'out', 'cli', 'cli.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliHandle {
  /** Current stdout so far (for waiting on a line). */
  peek(): string;
  /** Current stderr so far. */
  peekErr(): string;
  interrupt(): void;
  done: Promise<CliRun>;
}

export function startCli(args: string[], env: Record<string, string | undefined>): CliHandle {
  if (!existsSync(cliPath)) throw new Error(`CLI not built: ${cliPath} (run: npm run build)`);
  const dir = mkdtempSync(join(tmpdir(), 'du-cli-'));
  const outFile = join(dir, 'stdout.txt');
  const errFile = join(dir, 'stderr.txt');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const child = spawn(process.execPath, [cliPath, ...args], { env: mergeEnv(process.env, env), stdio: ['ignore', out, err] });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      closeSync(out);
      closeSync(err);
      const result = { code, signal, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
  const peek = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  return { peek: () => peek(outFile), peekErr: () => peek(errFile), interrupt: () => child.kill('SIGINT'), done };
}

/**
 * Overrides win over inherited variables, and undefined removes one. On Windows names are case-insensitive and
 * Node passes on only the first spelling it sorts, so an inherited PROGRAMFILES would shadow our ProgramFiles.
 */
function mergeEnv(base: NodeJS.ProcessEnv, overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    for (const existing of Object.keys(merged)) if (existing.toLowerCase() === key.toLowerCase()) delete merged[existing];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return startCli(args, env).done;
}

export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
