/** MPVERSION_INFO → the app's DefenderVersions (strings and ISO times, safe for IPC and JSON). */
import type { ComponentVersion, DefenderVersions } from '../../shared/update';
import { filetimeToIso, formatComponentVersion } from '../../shared/versions';
import type { RawComponentVersion, RawVersionInfo } from '../mpclient/binding';

function component(raw: RawComponentVersion): ComponentVersion {
  return { version: formatComponentVersion(BigInt(raw.Version)), updatedAt: filetimeToIso(BigInt(raw.UpdateTime)) };
}

export function toDefenderVersions(raw: RawVersionInfo): DefenderVersions {
  return {
    product: component(raw.Product),
    service: component(raw.Service),
    engine: component(raw.Engine),
    antivirus: component(raw.AVSignature),
    antispyware: component(raw.ASSignature),
    nisEngine: component(raw.NISEngine),
    nisSignature: component(raw.NISSignature),
  };
}
