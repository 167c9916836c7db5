/**
 * electron-builder's NSIS installer takes assets/installer.nsh, which registers the Event Log source the app writes
 * under. Its behaviour is checked under Wine (test/windows/installer-event-source.test.ts); this checks the wiring.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROTOCOL_SCHEME } from '../../app/main/activation';
import { EVENT_SOURCE } from '../../app/main/event-log/event-record';
import { repoRoot } from '../support/paths';
import { readBuilderConfig } from './builder';

test('the NSIS installer includes the script that registers the app’s Event Log source, under the name the app writes', () => {
  const include = readBuilderConfig().nsis?.include;
  assert.equal(include, 'assets/installer.nsh');
  // electron-builder resolves it against buildResources ("build"), then the project folder (getResource).
  assert.ok(existsSync(join(repoRoot, include)) && !existsSync(join(repoRoot, 'build', include)));
  const script = readFileSync(join(repoRoot, include), 'utf8');
  assert.match(script, /^!macro customInstall$/m);
  assert.match(script, /^!macro customUnInstall$/m);
  const key = /^!define DU_EVENT_SOURCE_KEY "(.*)"$/m.exec(script)?.[1];
  assert.equal(key, `SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${EVENT_SOURCE}`);
});

test('uninstalling removes the URL scheme the app registers for its notifications’ buttons', () => {
  const script = readFileSync(join(repoRoot, 'assets', 'installer.nsh'), 'utf8');
  assert.equal(/^!define DU_URL_SCHEME_KEY "(.*)"$/m.exec(script)?.[1], `Software\\Classes\\${PROTOCOL_SCHEME}`);
  const uninstall = /^!macro customUnInstall$([\s\S]*?)^!macroend$/m.exec(script)?.[1] ?? '';
  assert.match(uninstall, /DeleteRegKey HKCU "\$\{DU_URL_SCHEME_KEY\}"/);
});
