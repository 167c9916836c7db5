/**
 * Where MpCmdRun.exe is: beside the MpClient.dll in use (the platform folder, which Microsoft's page says to run it
 * from when the platform was updated), then %ProgramFiles%\Windows Defender (where the page says it lives).
 * MPCMDRUN_PATH overrides both, for the CLI and tests only, as MPCLIENT_PATH does for the library.
 */
import { posix, win32 } from 'node:path';
import { message } from '../../shared/messages';
import { MpCmdRunNotFoundError } from './errors';

export const MPCMDRUN_FILE = 'MpCmdRun.exe';

export interface LocateMpCmdRunPorts {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  fileExists(path: string): boolean;
  /** The MpClient.dll the app loaded; null when there is none. */
  mpClientPath: string | null;
  /** Honour MPCMDRUN_PATH (CLI and tests; the window does not). */
  allowOverride: boolean;
}

/** The path of MpCmdRun.exe, or MpCmdRunNotFoundError naming every place looked at. */
export function locateMpCmdRun(ports: LocateMpCmdRunPorts): string {
  const override = ports.env.MPCMDRUN_PATH;
  if (ports.allowOverride && override) {
    if (!ports.fileExists(override)) throw new MpCmdRunNotFoundError(message('mpcmdrun.pathMissing', { path: override }), [override]);
    return override;
  }
  const path = ports.platform === 'win32' ? win32 : posix;
  const candidates: string[] = [];
  if (ports.mpClientPath) candidates.push(path.join(path.dirname(ports.mpClientPath), MPCMDRUN_FILE));
  const programFiles = ports.env.ProgramFiles ?? ports.env.PROGRAMFILES;
  if (ports.platform === 'win32' && programFiles) candidates.push(win32.join(programFiles, 'Windows Defender', MPCMDRUN_FILE));
  const found = candidates.find((c) => ports.fileExists(c));
  if (found) return found;
  const detail = candidates.length ? message('mpcmdrun.notFoundIn', { places: candidates.join('; ') }) : message('offline.refusal.noMpCmdRun');
  throw new MpCmdRunNotFoundError(detail, candidates);
}
