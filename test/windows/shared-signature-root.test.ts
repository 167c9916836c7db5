/**
 * Defender's SharedSignatureRoot setting read from the real (Wine) registry by the CLI: the policy key wins over the
 * local one, and an update that Defender answers "up to date" inside the start call says where the signatures come
 * from (docs/mpclient.md "Shared signature root").
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { jsonLines, runCli } from '../support/cli';
import { useStandin } from '../support/standin';
import { forgetKey, reg } from '../support/wine-registry';

const LOCAL = 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates';
const POLICY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Signature Updates';
const standin = useStandin();

before(() => assert.equal(process.platform, 'win32', 'this file runs under the Windows node.exe'));
after(() => {
  forgetKey(LOCAL);
  forgetKey(POLICY);
  standin.cleanup();
});

async function sharedRootUpdate() {
  standin.apply({ scenario: 'shared-root' });
  const run = await runCli(['update', '--json'], standin.env);
  assert.equal(run.code, 0, run.stderr);
  return jsonLines(run.stdout).at(-1) ?? {};
}

test('the local setting names the folder in the result', async () => {
  reg('add', LOCAL, '/v', 'SharedSignatureRoot', '/t', 'REG_SZ', '/d', '\\\\vdi-host\\Signatures');
  const final = await sharedRootUpdate();
  assert.equal(final.result, 'up-to-date');
  assert.equal(final.sharedSignatureRoot, '\\\\vdi-host\\Signatures');
  assert.match(String(final.message), /shared folder set by your organization \(\\\\vdi-host\\Signatures\)/);
});

test('a Group Policy value wins over the local one', async () => {
  reg('add', POLICY, '/v', 'SharedSignatureRoot', '/t', 'REG_SZ', '/d', 'D:\\PolicySignatures');
  const final = await sharedRootUpdate();
  assert.equal(final.sharedSignatureRoot, 'D:\\PolicySignatures');
});

test('without the setting the same answer is plain "up to date"', async () => {
  forgetKey(LOCAL);
  forgetKey(POLICY);
  const final = await sharedRootUpdate();
  assert.equal(final.result, 'up-to-date');
  assert.equal(final.sharedSignatureRoot, null);
});
