/**
 * The installer's include script (assets/installer.nsh) run for real: compiled by makensis into a probe
 * (scripts/build-installer-probe.mjs, built by scripts/test.mjs before this suite) and run under Wine, where every
 * process has administrator rights. The unelevated case (the write is refused and skipped) cannot happen under Wine.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EVENT_SOURCE } from '../../app/main/event-log/event-record';
import { repoRoot } from '../support/paths';

const KEY = `HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${EVENT_SOURCE}`;
const PROBE = join(repoRoot, '.build', 'installer-probe', 'event-source-probe.exe');

function probe(...args: string[]): void {
  const result = spawnSync(PROBE, args, { stdio: 'ignore', timeout: 60_000 });
  assert.equal(result.error, undefined, `event-source-probe could not run: ${String(result.error)}`);
  assert.equal(result.status, 0, `event-source-probe ${args.join(' ')} exited with ${result.status}`);
}

/** `reg query` output: "    <name>    <type>    <data>" per value; null when the key does not exist. */
function values(): Record<string, { type: string; data: string }> | null {
  const result = spawnSync('reg', ['query', KEY], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  const found: Record<string, { type: string; data: string }> = {};
  for (const line of result.stdout.split(/\r?\n/)) {
    const m = /^\s+(\S+)\s+(REG_\w+)\s+(.*)$/.exec(line);
    if (m) found[m[1]!] = { type: m[2]!, data: m[3]!.trim() };
  }
  return found;
}

before(() => {
  assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
  assert.ok(existsSync(PROBE), `${PROBE} is missing (node scripts/build-installer-probe.mjs)`);
  spawnSync('reg', ['delete', KEY, '/f'], { stdio: 'ignore' });
});
after(() => spawnSync('reg', ['delete', KEY, '/f'], { stdio: 'ignore' }));

test('installing registers the event source with the .NET message file and the three event types', () => {
  assert.equal(values(), null, 'not registered before');
  probe();
  assert.deepEqual(values(), {
    EventMessageFile: {
      type: 'REG_EXPAND_SZ',
      data: '%SystemRoot%\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll;%SystemRoot%\\Microsoft.NET\\Framework\\v4.0.30319\\EventLogMessages.dll',
    },
    TypesSupported: { type: 'REG_DWORD', data: '0x7' },
  });
});

test('the uninstaller an update runs first (--updated) keeps the source; a real uninstall removes it', () => {
  probe();
  probe('--uninstall', '--updated');
  assert.notEqual(values(), null, 'kept across an update');
  probe('--uninstall');
  assert.equal(values(), null, 'removed on uninstall');
});
