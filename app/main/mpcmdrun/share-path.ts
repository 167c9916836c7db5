/**
 * A folder or file share to update from: it must hold <arch>\mpam-fe.exe (x64\… or arm64\…), the layout Microsoft
 * describes for file-share updates; MpCmdRun adds the architecture folder itself, so the path it gets must not end
 * in it. People often pick the x64 folder anyway: a path ending in an architecture folder stands for its parent.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, parse, sep } from 'node:path';
import { withDeadline } from './deadline';
import { message } from '../../shared/messages';
import { PackageRejectedError, SharePathError } from './errors';
import { checkPackage, type PcArchitecture } from './package';

export interface ShareFolder {
  /** The path to give MpCmdRun -SignatureUpdate -UNC -Path. */
  folder: string;
  packagePath: string;
}

const ARCHITECTURE_FOLDERS = ['x64', 'x86', 'arm64'];
export const SHARE_DEADLINE_MS = 15_000;

export async function resolveShareFolder(input: string, arch: PcArchitecture, deadlineMs = SHARE_DEADLINE_MS): Promise<ShareFolder> {
  const layout = `${arch}${sep}mpam-fe.exe`;
  let folder = withoutTrailingSeparators(input.trim());
  if (!folder) throw new SharePathError('empty', message('share.empty', { layout }));
  if (ARCHITECTURE_FOLDERS.includes(basename(folder).toLowerCase()) && dirname(folder) !== folder) folder = dirname(folder);

  const unreachable = () => new SharePathError('unreachable', message('share.noAnswer', { folder, seconds: deadlineMs / 1000 }));
  const info = await withDeadline(stat(folder), deadlineMs, unreachable).catch((e: unknown) => Promise.reject(folderError(e, folder)));
  if (!info.isDirectory()) throw new SharePathError('not-a-folder', message('share.isFile', { folder, layout }));

  const packagePath = join(folder, arch, 'mpam-fe.exe');
  const found = await withDeadline(stat(packagePath), deadlineMs, unreachable).then(
    (s) => s.isFile(),
    (e: unknown) => (e instanceof SharePathError ? Promise.reject(e) : false),
  );
  if (!found) throw new SharePathError('no-package', message('share.noPackage', { folder, layout }));
  try {
    await checkPackage(packagePath, arch, deadlineMs);
  } catch (e) {
    throw e instanceof PackageRejectedError ? new SharePathError(e.problem, e.detail) : e;
  }
  return { folder, packagePath };
}

/** "C:\Updates\" → "C:\Updates"; a root ("C:\", "\\server\share\", "/") stays as it is. */
function withoutTrailingSeparators(path: string): string {
  const root = parse(path).root;
  let out = path;
  while (out.length > root.length && /[\\/]$/.test(out)) out = out.slice(0, -1);
  return out;
}

function folderError(e: unknown, folder: string): SharePathError {
  if (e instanceof SharePathError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SharePathError('missing', message('share.missing', { folder }));
  if (code === 'EACCES' || code === 'EPERM') return new SharePathError('unreadable', message('share.denied', { folder }));
  return new SharePathError('unreachable', message('share.unopenable', { folder, code: code ?? (e instanceof Error ? e.message : String(e)) }));
}
