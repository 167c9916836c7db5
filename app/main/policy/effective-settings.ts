/**
 * What an organisation's policies do to the app: the settings in force (the user's, with each one a policy sets in
 * its place) and the window's view of them. The user's own settings are never changed here, so a policy that goes
 * away gives the user's choice back.
 */
import type { EffectiveSettings, PolicyState, Settings } from '../../shared/app-state';
import { message, type Message } from '../../shared/messages';
import { POLICY_LIST, type PolicyName, type PolicyValues, type ResolvedPolicies } from '../../shared/policy';
import type { UpdateSource } from '../../shared/update';

export interface Applied {
  settings: EffectiveSettings;
  policy: PolicyState;
}

export function applyPolicies(user: Settings, resolved: ResolvedPolicies): Applied {
  const values = resolved.values;
  const settings: EffectiveSettings = { ...user };
  const managed: PolicyState['managed'] = {};
  for (const definition of POLICY_LIST) {
    const value = values[definition.name];
    if (definition.setting === null || value === undefined) continue;
    Object.assign(settings, { [definition.setting]: value });
    managed[definition.setting] = definition.name;
  }
  // AllowSourceChoice=0 without UpdateSource locks the source to Default (the policy's own explanation says so).
  if (values.UpdateSource === undefined && values.AllowSourceChoice === false) {
    settings.source = 'default';
    managed.source = 'AllowSourceChoice';
  }
  return {
    settings,
    policy: {
      managed,
      fileSharePath: values.FileSharePath ?? null,
      allowCancel: values.AllowCancel ?? true,
      showTrayIcon: values.ShowTrayIcon ?? true,
      ignored: resolved.invalid.map(({ name, hive, message: reason }) => ({ name, hive, reason })),
    },
  };
}

/**
 * The policy that stands in the way of a change to a managed setting, or null. A patch that repeats the value in
 * force changes nothing and is no conflict (a window restoring its form must not fail).
 */
export function managedConflict(
  patch: Partial<Record<keyof Settings, unknown>>,
  applied: Applied,
): { setting: keyof Settings; policy: PolicyName } | null {
  for (const [key, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
    const policy = applied.policy.managed[key];
    if (policy && value !== undefined && value !== applied.settings[key]) return { setting: key, policy };
  }
  return null;
}

/** Why an update from `requested` is not allowed under the policies, or null when it is (the CLI's rule, for the window). */
export function sourceRefusal(requested: UpdateSource, values: Partial<PolicyValues>): Message | null {
  const set = values.UpdateSource;
  if (set !== undefined)
    return requested === set ? null : message('policy.refused.source', { source: message(`source.${requested}`), policy: 'UpdateSource' });
  if (values.AllowSourceChoice === false && requested !== 'default')
    return message('policy.refused.source', { source: message(`source.${requested}`), policy: 'AllowSourceChoice' });
  return null;
}

export const NO_POLICIES: ResolvedPolicies = { values: {}, hives: {}, invalid: [] };

/** Two reads mean the same for the app (hives and raw data aside, which the window never shows). */
export function samePolicies(a: ResolvedPolicies, b: ResolvedPolicies): boolean {
  return JSON.stringify([a.values, a.invalid]) === JSON.stringify([b.values, b.invalid]);
}
