/** A folder or file share to update from: accepted when it holds x64\mpam-fe.exe, refused with a reason otherwise. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, test } from 'node:test';
import { SharePathError } from '../../../app/main/mpcmdrun/errors';
import { MACHINE } from '../../../app/main/mpcmdrun/package';
import { resolveShareFolder } from '../../../app/main/mpcmdrun/share-path';
import { makeShareFolder, peImage } from '../../support/mpcmdrun-standin';

const dir = mkdtempSync(join(tmpdir(), 'du-share-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const refused = (problem: string, message: RegExp) => (e: unknown) => e instanceof SharePathError && e.problem === problem && message.test(e.message);

test('a folder holding x64\\mpam-fe.exe is used as it is, with or without a trailing separator', async () => {
  const share = makeShareFolder(join(dir, 'share'));
  assert.deepEqual(await resolveShareFolder(share, 'x64'), { folder: share, packagePath: join(share, 'x64', 'mpam-fe.exe') });
  assert.equal((await resolveShareFolder(`  ${share}${sep}${sep}`, 'x64')).folder, share);
});

test('a path ending in the x64 folder (or x86, arm64) stands for its parent, which MpCmdRun needs', async () => {
  const share = makeShareFolder(join(dir, 'picked-x64'));
  assert.equal((await resolveShareFolder(join(share, 'x64'), 'x64')).folder, share);
  assert.equal((await resolveShareFolder(join(share, 'X64') + sep, 'x64')).folder, share);
  assert.equal((await resolveShareFolder(join(share, 'x86'), 'x64')).folder, share);
  const arm = makeShareFolder(join(dir, 'arm'), 'arm64', peImage(MACHINE.ARM64));
  assert.equal((await resolveShareFolder(join(arm, 'arm64'), 'arm64')).folder, arm);
});

test('an empty entry, a missing folder, a file and a folder without the package are refused, each with its reason', async () => {
  await assert.rejects(resolveShareFolder('   ', 'x64'), refused('empty', /^Enter the folder or file share that holds x64.mpam-fe\.exe\.$/));
  await assert.rejects(resolveShareFolder(join(dir, 'gone'), 'x64'), refused('missing', /gone does not exist or cannot be reached\.$/));
  const aFile = join(dir, 'a-file.txt');
  writeFileSync(aFile, 'x');
  await assert.rejects(
    resolveShareFolder(aFile, 'x64'),
    refused('not-a-folder', /a-file\.txt is a file; choose the folder that holds x64.mpam-fe\.exe\.$/),
  );
  const onlyX86 = makeShareFolder(join(dir, 'only-x86'), 'x86', peImage(MACHINE.I386));
  await assert.rejects(resolveShareFolder(onlyX86, 'x64'), refused('no-package', /only-x86 does not hold x64.mpam-fe\.exe\.$/));
  const arm = makeShareFolder(join(dir, 'arm-only'), 'arm64', peImage(MACHINE.ARM64));
  await assert.rejects(resolveShareFolder(arm, 'x64'), refused('no-package', /arm-only does not hold x64.mpam-fe\.exe/));
});

test('a package in the x64 folder that is not an x64 program is refused as the package check says', async () => {
  const wrong = makeShareFolder(join(dir, 'wrong'), 'x64', peImage(MACHINE.I386));
  await assert.rejects(resolveShareFolder(wrong, 'x64'), refused('wrong-architecture', /is for 32-bit Windows; this PC is x64/));
  const text = join(dir, 'text');
  mkdirSync(join(text, 'x64'), { recursive: true });
  writeFileSync(join(text, 'x64', 'mpam-fe.exe'), 'hello');
  await assert.rejects(resolveShareFolder(text, 'x64'), refused('not-a-program', /is not a Windows program/));
});
