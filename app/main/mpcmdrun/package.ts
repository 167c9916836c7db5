/**
 * A downloaded mpam-fe.exe: checked before Defender is given it, then staged where MpCmdRun looks for it.
 * The check reads the PE headers only (Microsoft's "PE Format" page: "MZ", the offset of the PE header at 0x3C,
 * "PE\0\0", then the COFF header's Machine and Characteristics); Defender verifies the package's signature itself,
 * and the app never runs the package.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDeadline } from './deadline';
import { message, type Message } from '../../shared/messages';
import { PackageRejectedError } from './errors';

export type PcArchitecture = 'x64' | 'arm64';

/**
 * The PC's architecture, as the Defender platform folder is named. The app ships an x64 and an arm64 build, so the
 * process's own architecture is the PC's; anything else has no offline package.
 */
export function pcArchitecture(nodeArch: string = process.arch): PcArchitecture | null {
  return nodeArch === 'x64' || nodeArch === 'arm64' ? nodeArch : null;
}

/** IMAGE_FILE_MACHINE_* values (PE Format, "Machine Types"). */
export const MACHINE = { I386: 0x014c, AMD64: 0x8664, ARM64: 0xaa64, ARMNT: 0x01c4 } as const;
const MACHINE_FOR: Record<PcArchitecture, number> = { x64: MACHINE.AMD64, arm64: MACHINE.ARM64 };
const PC_NAME: Record<PcArchitecture, string> = { x64: 'x64', arm64: 'ARM64' };
const WINDOWS_FOR: Record<number, string> = {
  [MACHINE.I386]: '32-bit Windows',
  [MACHINE.AMD64]: 'x64 Windows',
  [MACHINE.ARM64]: 'ARM64 Windows',
  [MACHINE.ARMNT]: '32-bit ARM Windows',
};
const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
const IMAGE_FILE_DLL = 0x2000;
const HEAD_BYTES = 4096;
/** e_lfanew beyond this is a damaged header, not a program (real ones are a few hundred bytes in). */
const MAX_PE_OFFSET = 64 * 1024;
/** Signature (4) + COFF header (20). */
const NT_HEADER_BYTES = 24;
const READ_DEADLINE_MS = 30_000;
const COPY_DEADLINE_MS = 5 * 60_000;

/** Throws PackageRejectedError unless `file` is a Windows program for this PC. Reads at most a few KB. */
export async function checkPackage(file: string, arch: PcArchitecture, deadlineMs = READ_DEADLINE_MS): Promise<void> {
  const machine = await withDeadline(
    readMachine(file),
    deadlineMs,
    () => new PackageRejectedError('unreadable', message('package.readTimeout', { file, seconds: deadlineMs / 1000 })),
  );
  if (machine !== MACHINE_FOR[arch]) {
    const known = WINDOWS_FOR[machine];
    const target = known ?? message('package.otherMachine', { machine: `0x${machine.toString(16).padStart(4, '0')}` });
    throw new PackageRejectedError('wrong-architecture', message('package.wrongArchitecture', { file, target, pc: PC_NAME[arch] }));
  }
}

export interface StagedPackage {
  /** The folder to give MpCmdRun (-SignatureUpdate -UNC -Path <folder>). */
  folder: string;
  /** <folder>/<arch>/mpam-fe.exe */
  packagePath: string;
  /** Removes the folder; safe to call more than once. */
  cleanup(): Promise<void>;
}

/**
 * Copies the package into a fresh private temp folder as <folder>/<arch>/mpam-fe.exe, the layout MpCmdRun expects
 * of a file share, and checks the copy, which is what Defender will read.
 */
export async function stagePackage(file: string, arch: PcArchitecture, tmpRoot: string = tmpdir()): Promise<StagedPackage> {
  await checkPackage(file, arch);
  // mkdtemp: a new folder only this user can open (mode 0700 on POSIX; %TEMP% is per user on Windows).
  const folder = await mkdtemp(join(tmpRoot, 'defender-updater-package-'));
  const cleanup = () => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  try {
    const packagePath = join(folder, arch, 'mpam-fe.exe');
    await mkdir(join(folder, arch));
    await withDeadline(
      copyFile(file, packagePath, constants.COPYFILE_EXCL).catch((e: unknown) => Promise.reject(fileError(e, file))),
      COPY_DEADLINE_MS,
      () => new PackageRejectedError('unreadable', message('package.copyTimeout', { file, minutes: COPY_DEADLINE_MS / 60_000 })),
    );
    await checkPackage(packagePath, arch).catch(() => Promise.reject(new PackageRejectedError('unreadable', message('package.changed', { file }))));
    return { folder, packagePath, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

async function readMachine(file: string): Promise<number> {
  const handle = await open(file, 'r').catch((e: unknown) => Promise.reject(fileError(e, file)));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new PackageRejectedError('not-a-file', message('package.notAFile', { file }));
    const notAProgram = (why: Message) => new PackageRejectedError('not-a-program', message('package.notAProgram', { file, why }));
    const readAt = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position).catch((e: unknown) => Promise.reject(fileError(e, file)));
      return buffer.subarray(0, bytesRead);
    };
    const head = await readAt(0, Math.min(HEAD_BYTES, info.size));
    if (head.length < 0x40 || head[0] !== 0x4d || head[1] !== 0x5a)
      throw notAProgram(message(head.length === 0 ? 'package.why.empty' : 'package.why.noMz'));
    const peAt = head.readUInt32LE(0x3c);
    if (peAt > MAX_PE_OFFSET || peAt + NT_HEADER_BYTES > info.size) throw notAProgram(message('package.why.damaged'));
    const nt = peAt + NT_HEADER_BYTES <= head.length ? head.subarray(peAt, peAt + NT_HEADER_BYTES) : await readAt(peAt, NT_HEADER_BYTES);
    if (nt.length < NT_HEADER_BYTES || nt.readUInt32LE(0) !== 0x00004550) throw notAProgram(message('package.why.noPe'));
    const characteristics = nt.readUInt16LE(22);
    if (characteristics & IMAGE_FILE_DLL) throw notAProgram(message('package.why.dll'));
    if (!(characteristics & IMAGE_FILE_EXECUTABLE_IMAGE)) throw notAProgram(message('package.why.notExecutable'));
    return nt.readUInt16LE(4);
  } finally {
    await handle.close();
  }
}

/** An fs error → what the user can do about it. On Windows a sharing violation arrives as EBUSY. */
export function fileError(e: unknown, file: string): PackageRejectedError {
  if (e instanceof PackageRejectedError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new PackageRejectedError('missing', message('package.missing', { file }));
    case 'EBUSY':
      return new PackageRejectedError('busy', message('package.busy', { file }));
    case 'EACCES':
    case 'EPERM':
      return new PackageRejectedError('unreadable', message('package.denied', { file }));
    case 'EISDIR':
      return new PackageRejectedError('not-a-file', message('package.notAFile', { file }));
    default:
      return new PackageRejectedError(
        'unreadable',
        message('package.unreadable', { file, code: code ?? (e instanceof Error ? e.message : String(e)) }),
      );
  }
}
