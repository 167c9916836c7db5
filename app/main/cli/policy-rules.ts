/**
 * What an organisation's policies (app/shared/policy.ts) mean for the CLI: the same source the window would use, and
 * a clear refusal, naming the policy, when the command line asks for another.
 */
import { message, type Message } from '../../shared/messages';
import type { PolicyValues } from '../../shared/policy';
import type { UpdateSource } from '../../shared/update';

export type SourceDecision = { ok: true; source: UpdateSource } | { ok: false; message: Message };

export function sourceUnderPolicy(requested: UpdateSource | null, policies: Partial<PolicyValues>): SourceDecision {
  const set = policies.UpdateSource;
  if (set !== undefined) {
    if (requested === null || requested === set) return { ok: true, source: set };
    return { ok: false, message: message('cli.policy.sourceSet', { requested, set }) };
  }
  if (policies.AllowSourceChoice === false && requested !== null && requested !== 'default') {
    return { ok: false, message: message('cli.policy.noChoice', { requested }) };
  }
  return { ok: true, source: requested ?? 'default' };
}
