/**
 * Where MpClient.dll is (docs/mpclient.md "Versions and where the DLL is"). Order: MPCLIENT_PATH when the caller allows
 * it; HKLM\SOFTWARE\Microsoft\Windows Defender value InstallLocation; the newest folder under Defender's
 * Platform folder (%ProgramData%\Microsoft\Windows Defender\Platform\<version>); %ProgramFiles%\Windows Defender.
 *
 * A packaged app trusts neither MPCLIENT_PATH nor folder variables from its environment: whoever starts it could point
 * it at any library and have a signed app load it. It takes Program Files and ProgramData from the registry instead.
 * The CLI and the tests keep the environment (MPCLIENT_PATH is how they reach the stand-in).
 */
import { win32 } from 'node:path';
import { message } from '../../shared/messages';
import { DefenderUnavailableError } from './errors';

export const DEFENDER_REGISTRY_KEY = 'SOFTWARE\\Microsoft\\Windows Defender';
export const MPCLIENT_FILE = 'MpClient.dll';
const CURRENT_VERSION_KEY = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion';
const PROFILE_LIST_KEY = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';

export interface LocatePorts {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /**
   * Whether MPCLIENT_PATH and %ProgramFiles%/%ProgramData% may be taken from the environment: true for the CLI, tests
   * and development; false for a packaged app (except in its demo, which loads the stand-in by its own path).
   */
  trustEnvironment: boolean;
  fileExists(path: string): boolean;
  /** Folder names inside `path`; empty when it cannot be read. */
  listDirectory(path: string): string[];
  /** Reads a REG_SZ under HKEY_LOCAL_MACHINE (64-bit view); null when the key or value is missing. */
  readMachineRegistryString(key: string, value: string): string | null;
}

/** Returns the library path, or throws DefenderUnavailableError saying why there is none. */
export function locateMpClient(ports: LocatePorts): string {
  const override = ports.env.MPCLIENT_PATH;
  if (override && ports.trustEnvironment) {
    if (!ports.fileExists(override))
      throw new DefenderUnavailableError('not-installed', message('unavailable.message.pathMissing', { path: override }));
    return override;
  }
  if (ports.platform !== 'win32') {
    throw new DefenderUnavailableError('not-windows', message('unavailable.message.notWindows'));
  }
  const tried: string[] = [];
  const attempt = (folder: string): string | null => {
    const candidate = win32.join(folder, MPCLIENT_FILE);
    if (ports.fileExists(candidate)) return candidate;
    tried.push(candidate);
    return null;
  };

  const installLocation = safeRead(ports, DEFENDER_REGISTRY_KEY, 'InstallLocation');
  if (installLocation) {
    const found = attempt(installLocation);
    if (found) return found;
  } else {
    tried.push(`HKLM\\${DEFENDER_REGISTRY_KEY} InstallLocation (not set)`);
  }

  const programData = folderRoot(ports, 'ProgramData', PROFILE_LIST_KEY, 'ProgramData');
  if (programData) {
    const platformRoot = win32.join(programData, 'Microsoft', 'Windows Defender', 'Platform');
    // Newest platform first: Defender keeps the previous one for rollback.
    for (const version of newestFirst(safeList(ports, platformRoot))) {
      const found = attempt(win32.join(platformRoot, version));
      if (found) return found;
    }
  }

  const programFiles = folderRoot(ports, 'ProgramFiles', CURRENT_VERSION_KEY, 'ProgramFilesDir');
  if (programFiles) {
    const found = attempt(win32.join(programFiles, 'Windows Defender'));
    if (found) return found;
  }
  throw new DefenderUnavailableError('not-installed', message('unavailable.message.notFound', { places: tried.join('; ') }));
}

/** A system folder: from the environment when trusted, else (and as a fallback) from the registry. */
function folderRoot(ports: LocatePorts, variable: string, key: string, value: string): string | null {
  const fromEnv = ports.trustEnvironment ? (ports.env[variable] ?? ports.env[variable.toUpperCase()]) : undefined;
  return fromEnv || safeRead(ports, key, value);
}

/** Platform folder names are versions like `4.18.25010.11-0`; compare them part by part, numbers as numbers. */
export function newestFirst(names: readonly string[]): string[] {
  const key = (name: string) => name.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  return names
    .filter((name) => /^\d+(\.\d+)+(-\d+)?$/.test(name))
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
      return 0;
    });
}

function safeRead(ports: LocatePorts, key: string, value: string): string | null {
  try {
    return ports.readMachineRegistryString(key, value);
  } catch {
    return null;
  }
}

function safeList(ports: LocatePorts, path: string): string[] {
  try {
    return ports.listDirectory(path);
  } catch {
    return [];
  }
}
