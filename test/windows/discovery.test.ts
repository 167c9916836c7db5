/**
 * Library discovery on Windows for real (run under Wine with the Windows node.exe): the registry's InstallLocation,
 * then %ProgramFiles%\Windows Defender, else "Defender not available" with exit code 4.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jsonLines, runCli } from '../support/cli';
import { standinLibraryPath } from '../support/paths';
import { useStandin } from '../support/standin';
import { forgetKey, reg } from '../support/wine-registry';

const KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender';
const standin = useStandin();
let dir: string;

before(() => {
  assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
  dir = mkdtempSync(join(tmpdir(), 'du-defender-'));
});
after(() => {
  forgetKey(KEY);
  rmSync(dir, { recursive: true, force: true });
  standin.cleanup();
});

/** The environment of a user's machine: no MPCLIENT_PATH (Wine sets ProgramFiles itself in every process). */
function machineEnv() {
  return { ...standin.env, MPCLIENT_PATH: undefined };
}

test('the CLI finds MpClient.dll in the folder named by InstallLocation', async () => {
  const platformDir = join(dir, 'Platform', '4.18.25010.11-0');
  mkdirSync(platformDir, { recursive: true });
  copyFileSync(standinLibraryPath(), join(platformDir, 'MpClient.dll'));
  reg('add', KEY, '/v', 'InstallLocation', '/t', 'REG_SZ', '/d', platformDir + '\\');
  const run = await runCli(['status', '--json'], machineEnv());
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(jsonLines(run.stdout)[0]?.libraryPath, join(platformDir, 'MpClient.dll'));
  const update = await runCli(['update', '--json'], machineEnv());
  assert.equal(update.code, 0, update.stderr);
  assert.equal(jsonLines(update.stdout).at(-1)?.result, 'succeeded');
});

test('without the registry value it falls back to %ProgramFiles%\\Windows Defender', async (t) => {
  reg('delete', KEY, '/v', 'InstallLocation');
  // Wine resets ProgramFiles in every new process, so the copy goes where the prefix's Program Files really is.
  const programFiles = process.env.ProgramFiles ?? 'C:\\Program Files';
  const folder = join(programFiles, 'Windows Defender');
  const library = join(folder, 'MpClient.dll');
  assert.equal(existsSync(library), false, `${library} must not exist before this test`);
  mkdirSync(folder, { recursive: true });
  copyFileSync(standinLibraryPath(), library);
  t.after(() => rmSync(library, { force: true }));
  const run = await runCli(['status', '--json'], machineEnv());
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(jsonLines(run.stdout)[0]?.libraryPath, library);
});

test('a missing value and no Program Files copy: "Defender not available", exit code 4', async () => {
  const run = await runCli(['update'], machineEnv());
  assert.equal(run.code, 4);
  assert.match(run.stderr, /^Defender not available: Microsoft Defender was not found/);
});

test('InstallLocation naming a folder that does not exist: exit code 4', async () => {
  reg('add', KEY, '/v', 'InstallLocation', '/t', 'REG_SZ', '/d', join(dir, 'gone'));
  const run = await runCli(['status', '--json'], machineEnv());
  assert.equal(run.code, 4);
  assert.equal(jsonLines(run.stdout)[0]?.reason, 'not-installed');
  assert.match(String(jsonLines(run.stdout)[0]?.message), /gone/);
});
