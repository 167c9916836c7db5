/**
 * The app's policy port: the registry's policy keys through advapi32 (policy/registry-policy-reader.ts). Off Windows
 * there are none; a read that fails gives the policies that could be read and says why, for a notice.
 */
import { messageOf } from '../shared/ipc-result';
import type { ResolvedPolicies } from '../shared/policy';
import { NO_POLICIES } from './policy/effective-settings';
import type { PolicyPort } from './ports';

export function createRegistryPolicyPort(options: {
  platform: NodeJS.Platform;
  /** registry-policy-reader's readPolicies: never throws, reports what it could not read through `log`. */
  read: (log: (message: string) => void) => ResolvedPolicies;
  log?: (message: string) => void;
}): PolicyPort {
  return {
    read() {
      if (options.platform !== 'win32') return { policies: NO_POLICIES, problem: null };
      const problems: string[] = [];
      const note = (message: string) => {
        problems.push(message);
        options.log?.(message);
      };
      try {
        const policies = options.read(note);
        return { policies, problem: problems.length ? problems.join('; ') : null };
      } catch (error) {
        note(messageOf(error));
        return { policies: NO_POLICIES, problem: problems.join('; ') };
      }
    },
  };
}
