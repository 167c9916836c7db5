/**
 * System32 asked of Windows (GetSystemDirectoryW through koffi), under Wine with the Windows node.exe: the restart
 * prompt's shutdown.exe comes from there, whatever the environment of the process says.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { win32 } from 'node:path';
import { test } from 'node:test';
import { windowsSystemDirectory } from '../../app/main/mpclient/system-directory';
import { shutdownExePath } from '../../app/main/reboot';

test('System32 is what Windows reports, even when %SystemRoot% names another folder', () => {
  assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
  const saved = process.env.SystemRoot;
  process.env.SystemRoot = 'C:\\Users\\Public\\planted';
  try {
    const system = windowsSystemDirectory();
    assert.match(system ?? '', /^[A-Z]:\\windows\\system32$/i);
    assert.ok(existsSync(win32.join(system!, 'kernel32.dll')), `${system} holds kernel32.dll`);
    assert.equal(shutdownExePath({ systemDirectory: windowsSystemDirectory, env: process.env, trustEnvironment: false }), `${system}\\shutdown.exe`);
  } finally {
    if (saved === undefined) delete process.env.SystemRoot;
    else process.env.SystemRoot = saved;
  }
});
