/**
 * Where MpClient.dll is. Order: MPCLIENT_PATH; on Windows the folder in HKLM\SOFTWARE\Microsoft\Windows Defender
 * value InstallLocation (what public sample tools use, unofficial, api §1.11), then %ProgramFiles%\Windows Defender
 * (where [DEFDOC] says the Defender tools live). Anything else: Defender is not available here.
 */
import { win32 } from 'node:path';
import { DefenderUnavailableError } from './errors';

export const DEFENDER_REGISTRY_KEY = 'SOFTWARE\\Microsoft\\Windows Defender';
export const MPCLIENT_FILE = 'MpClient.dll';

export interface LocatePorts {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  fileExists(path: string): boolean;
  /** Reads a REG_SZ under HKEY_LOCAL_MACHINE (64-bit view); null when the key or value is missing. */
  readMachineRegistryString(key: string, value: string): string | null;
}

/** Returns the library path, or throws DefenderUnavailableError saying why there is none. */
export function locateMpClient(ports: LocatePorts): string {
  const override = ports.env.MPCLIENT_PATH;
  if (override) {
    if (!ports.fileExists(override))
      throw new DefenderUnavailableError('not-installed', `MPCLIENT_PATH points to ${override}, which does not exist.`);
    return override;
  }
  if (ports.platform !== 'win32') {
    throw new DefenderUnavailableError('not-windows', 'Microsoft Defender is only available on Windows.');
  }
  const tried: string[] = [];
  const installLocation = safeRead(ports, DEFENDER_REGISTRY_KEY, 'InstallLocation');
  if (installLocation) {
    const candidate = win32.join(installLocation, MPCLIENT_FILE);
    if (ports.fileExists(candidate)) return candidate;
    tried.push(candidate);
  } else {
    tried.push(`HKLM\\${DEFENDER_REGISTRY_KEY} InstallLocation (not set)`);
  }
  const programFiles = ports.env.ProgramFiles ?? ports.env.PROGRAMFILES;
  if (programFiles) {
    const candidate = win32.join(programFiles, 'Windows Defender', MPCLIENT_FILE);
    if (ports.fileExists(candidate)) return candidate;
    tried.push(candidate);
  }
  throw new DefenderUnavailableError('not-installed', `Microsoft Defender was not found on this computer (looked in: ${tried.join('; ')}).`);
}

function safeRead(ports: LocatePorts, key: string, value: string): string | null {
  try {
    return ports.readMachineRegistryString(key, value);
  } catch {
    return null;
  }
}
