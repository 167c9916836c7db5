/** A downloaded mpam-fe.exe: only a Windows program for this PC is given to Defender, and it is staged where MpCmdRun looks. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PackageRejectedError, type PackageProblem } from '../../../app/main/mpcmdrun/errors';
import { checkPackage, fileError, MACHINE, pcArchitecture, stagePackage } from '../../../app/main/mpcmdrun/package';
import { peImage } from '../../support/mpcmdrun-standin';
import { repoRoot } from '../../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'du-package-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: Buffer | string): string {
  const path = join(dir, `mpam-fe-${++n}.exe`);
  writeFileSync(path, content);
  return path;
}
const refused = (problem: PackageProblem, message: RegExp) => (e: unknown) =>
  e instanceof PackageRejectedError && e.problem === problem && message.test(e.message);

test('an x64 program is accepted on an x64 PC, an ARM64 one on an ARM64 PC', async () => {
  await checkPackage(file(peImage(MACHINE.AMD64)), 'x64');
  await checkPackage(file(peImage(MACHINE.ARM64)), 'arm64');
  // A real x64 program: the stand-in MpCmdRun.exe, built by mingw-w64 for every node and windows run.
  await checkPackage(join(repoRoot, '.build', 'standin', 'MpCmdRun.exe'), 'x64');
});

test('a program for another kind of PC is refused, naming both', async () => {
  await assert.rejects(checkPackage(file(peImage(MACHINE.I386)), 'x64'), refused('wrong-architecture', /is for 32-bit Windows; this PC is x64\.$/));
  await assert.rejects(checkPackage(file(peImage(MACHINE.ARM64)), 'x64'), refused('wrong-architecture', /is for ARM64 Windows; this PC is x64\.$/));
  await assert.rejects(checkPackage(file(peImage(MACHINE.AMD64)), 'arm64'), refused('wrong-architecture', /is for x64 Windows; this PC is ARM64\.$/));
  await assert.rejects(checkPackage(file(peImage(0x5064)), 'x64'), refused('wrong-architecture', /machine type 0x5064/));
});

test('anything that is not a Windows program is refused with what it is', async () => {
  const cases: Array<[Buffer | string, RegExp]> = [
    ['Signature update started . . .\r\n', /is not a Windows program \(it does not start with "MZ"\)/],
    ['', /is not a Windows program \(it is empty\)/],
    [peImage(MACHINE.AMD64, { dll: true }), /\(it is a library \(DLL\)\)/],
    [Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), /\(it has no "PE" header/],
    [
      (() => {
        const damaged = peImage(MACHINE.AMD64);
        damaged.writeUInt32LE(0x7fffffff, 0x3c);
        return damaged;
      })(),
      /\(its header is damaged\)/,
    ],
  ];
  for (const [content, message] of cases) await assert.rejects(checkPackage(file(content), 'x64'), refused('not-a-program', message));
});

test('a PE header far into the file is still found (read apart from the first few KB)', async () => {
  await checkPackage(file(peImage(MACHINE.AMD64, { peOffset: 6000, size: 8192 })), 'x64');
});

test('a missing file, a folder, and a file held open by another program each get their own message', async () => {
  await assert.rejects(checkPackage(join(dir, 'nowhere.exe'), 'x64'), refused('missing', /nowhere\.exe does not exist\.$/));
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  await assert.rejects(checkPackage(folder, 'x64'), (e: unknown) => e instanceof PackageRejectedError && e.problem === 'not-a-file');
  // Windows reports a sharing violation as EBUSY; it cannot be provoked on Linux, so the mapping is checked directly.
  const busy = Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
  assert.match(fileError(busy, 'C:\\Downloads\\mpam-fe.exe').message, /^C:\\Downloads\\mpam-fe\.exe is open in another program/);
  const denied = Object.assign(new Error('EPERM'), { code: 'EPERM' });
  assert.equal(fileError(denied, 'x').problem, 'unreadable');
});

test('staging copies the package into a fresh private folder as <arch>/mpam-fe.exe; cleanup removes it', async () => {
  const root = mkdtempSync(join(dir, 'tmp-'));
  const image = peImage(MACHINE.AMD64, { size: 4096 });
  const staged = await stagePackage(file(image), 'x64', root);
  assert.equal(staged.packagePath, join(staged.folder, 'x64', 'mpam-fe.exe'));
  assert.deepEqual(readFileSync(staged.packagePath), image);
  assert.deepEqual(readdirSync(staged.folder), ['x64']);
  await staged.cleanup();
  await staged.cleanup();
  assert.deepEqual(readdirSync(root), []);
});

test('a refused package leaves no temporary folder behind', async () => {
  const root = mkdtempSync(join(dir, 'tmp-'));
  await assert.rejects(stagePackage(file('not a program'), 'x64', root), PackageRejectedError);
  await assert.rejects(stagePackage(file(peImage(MACHINE.I386)), 'x64', root), PackageRejectedError);
  assert.deepEqual(readdirSync(root), []);
});

test('offline packages exist for x64 and ARM64 PCs only', () => {
  assert.equal(pcArchitecture('x64'), 'x64');
  assert.equal(pcArchitecture('arm64'), 'arm64');
  assert.equal(pcArchitecture('ia32'), null);
});
