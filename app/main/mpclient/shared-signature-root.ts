/**
 * Defender's SharedSignatureRoot setting (docs/mpclient.md "Shared signature root"): when it names a folder,
 * MpUpdateStart answers "up to date" at once, because this PC takes its signatures from that folder.
 */
import { readMachineRegistryString } from './windows-registry';

/** The policy key first: Group Policy overrides the local setting, as for every Defender setting. */
export const SIGNATURE_UPDATES_KEYS = [
  'SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Signature Updates',
  'SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates',
] as const;
export const SHARED_SIGNATURE_ROOT_VALUE = 'SharedSignatureRoot';

/** The folder, or null when neither key sets it (or the registry cannot be read, e.g. off Windows). */
export function readSharedSignatureRoot(read: (key: string, value: string) => string | null = readMachineRegistryString): string | null {
  for (const key of SIGNATURE_UPDATES_KEYS) {
    const value = read(key, SHARED_SIGNATURE_ROOT_VALUE)?.trim();
    if (value) return value;
  }
  return null;
}
