/** The registry as an administrator sets it, for the Windows-ABI tests under Wine: `reg.exe`, 64-bit view. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** `reg <args> /reg:64 /f`; a failure fails the test, naming the command. */
export function reg(...args: string[]): void {
  const result = spawnSync('reg', [...args, '/reg:64', '/f'], { stdio: 'ignore' });
  assert.equal(result.status, 0, `reg ${args.join(' ')} failed`);
}

/** Deletes a key and everything under it; a key that is not there is fine. */
export function forgetKey(key: string): void {
  spawnSync('reg', ['delete', key, '/reg:64', '/f'], { stdio: 'ignore' });
}
