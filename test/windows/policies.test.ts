/**
 * Group Policy for real (under Wine, with `reg add`): the CLI reads HKLM\SOFTWARE\Policies\DefenderUpdater through
 * advapi32 and obeys it, as issue 14 asks: UpdateSource = mmpc sends the HTTP bit, status lists it, another source is
 * refused; a user policy yields to a machine policy.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { jsonLines, runCli } from '../support/cli';
import { lastUpdateOptions, useStandin } from '../support/standin';
import { forgetKey, reg } from '../support/wine-registry';

const MACHINE = 'HKLM\\SOFTWARE\\Policies\\DefenderUpdater';
const USER = 'HKCU\\SOFTWARE\\Policies\\DefenderUpdater';
const standin = useStandin();

before(() => {
  assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe');
  forgetKey(MACHINE);
  forgetKey(USER);
});
after(() => {
  forgetKey(MACHINE);
  forgetKey(USER);
  standin.cleanup();
});

test('UpdateSource = mmpc in HKLM: update sends the HTTP bit, status lists the policy, --source wsus exits 2', async () => {
  reg('add', MACHINE, '/v', 'UpdateSource', '/t', 'REG_SZ', '/d', 'mmpc');
  standin.apply({ scenario: 'updated' });
  const update = await runCli(['update', '--json'], standin.env);
  assert.equal(update.code, 0, update.stderr);
  assert.equal(lastUpdateOptions(standin.stateFile), 0x8 | 0x3);
  assert.equal(jsonLines(update.stdout).at(-1)?.updateType, 'http');
  const status = await runCli(['status', '--json'], standin.env);
  assert.deepEqual((jsonLines(status.stdout)[0] as { policies: unknown }).policies, { UpdateSource: 'mmpc' });
  const refused = await runCli(['update', '--source', 'wsus'], standin.env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /policy UpdateSource/);
});

test('a machine policy wins over a user policy', async () => {
  reg('add', USER, '/v', 'UpdateSource', '/t', 'REG_SZ', '/d', 'file-share');
  const status = await runCli(['status', '--json'], standin.env);
  assert.deepEqual((jsonLines(status.stdout)[0] as { policies: unknown }).policies, { UpdateSource: 'mmpc' });
  forgetKey(MACHINE);
  const userOnly = await runCli(['status', '--json'], standin.env);
  assert.deepEqual((jsonLines(userOnly.stdout)[0] as { policies: unknown }).policies, { UpdateSource: 'file-share' });
});
