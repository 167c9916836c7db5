/** Where the app looks for MpCmdRun.exe, what it runs it with, and what it says when there is none. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removeDefinitions, signatureUpdateFromFolder } from '../../../app/main/mpcmdrun/commands';
import { MpCmdRunNotFoundError } from '../../../app/main/mpcmdrun/errors';
import { locateMpCmdRun, type LocateMpCmdRunPorts } from '../../../app/main/mpcmdrun/locate';

const PLATFORM = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0';
const PROGRAM_FILES = 'C:\\Program Files\\Windows Defender';

function ports(over: Partial<LocateMpCmdRunPorts> & { files?: string[] } = {}): LocateMpCmdRunPorts {
  const files = new Set(over.files ?? []);
  return {
    env: over.env ?? { ProgramFiles: 'C:\\Program Files' },
    platform: over.platform ?? 'win32',
    fileExists: (p) => files.has(p),
    mpClientPath: over.mpClientPath === undefined ? `${PLATFORM}\\MpClient.dll` : over.mpClientPath,
    allowOverride: over.allowOverride ?? false,
  };
}

test('MpCmdRun.exe beside the MpClient.dll in use comes first, then Program Files', () => {
  const both = [`${PLATFORM}\\MpCmdRun.exe`, `${PROGRAM_FILES}\\MpCmdRun.exe`];
  assert.equal(locateMpCmdRun(ports({ files: both })), `${PLATFORM}\\MpCmdRun.exe`);
  assert.equal(locateMpCmdRun(ports({ files: [`${PROGRAM_FILES}\\MpCmdRun.exe`] })), `${PROGRAM_FILES}\\MpCmdRun.exe`);
  assert.equal(locateMpCmdRun(ports({ mpClientPath: null, files: both })), `${PROGRAM_FILES}\\MpCmdRun.exe`);
});

test('none found: a typed error that says where it looked', () => {
  assert.throws(
    () => locateMpCmdRun(ports()),
    (e: unknown) =>
      e instanceof MpCmdRunNotFoundError &&
      e.message === `MpCmdRun.exe was not found next to MpClient.dll (looked in: ${PLATFORM}\\MpCmdRun.exe; ${PROGRAM_FILES}\\MpCmdRun.exe).` &&
      e.tried.length === 2,
  );
});

test('MPCMDRUN_PATH is honoured only where allowed (CLI, tests), and must exist', () => {
  const env = { ProgramFiles: 'C:\\Program Files', MPCMDRUN_PATH: '/build/mpcmdrun-standin' };
  const files = ['/build/mpcmdrun-standin', `${PROGRAM_FILES}\\MpCmdRun.exe`];
  assert.equal(locateMpCmdRun(ports({ env, files, allowOverride: true })), '/build/mpcmdrun-standin');
  assert.equal(locateMpCmdRun(ports({ env, files, allowOverride: false })), `${PROGRAM_FILES}\\MpCmdRun.exe`);
  assert.throws(
    () => locateMpCmdRun(ports({ env, allowOverride: true })),
    (e: unknown) => e instanceof MpCmdRunNotFoundError && /MPCMDRUN_PATH points to \/build\/mpcmdrun-standin, which does not exist/.test(e.message),
  );
});

test('the arguments are the ones Microsoft documents', () => {
  assert.deepEqual(signatureUpdateFromFolder('\\\\server\\updates'), ['-SignatureUpdate', '-UNC', '-Path', '\\\\server\\updates']);
  assert.deepEqual(removeDefinitions(false), ['-RemoveDefinitions', '-DynamicSignatures']);
  assert.deepEqual(removeDefinitions(true), ['-RemoveDefinitions', '-All']);
});
