/** An organisation's policies in the app: the settings in force, the window's view of them, refusals, and focus. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent } from '../../app/shared/ipc';
import { resolvePolicies, type Hive, type RawValues } from '../../app/shared/policy';
import type { PolicyPort, PolicyRead } from '../../app/main/ports';
import { createRegistryPolicyPort } from '../../app/main/policy-port';
import { makeRig, settle } from './fakes';

const sz = (data: string) => ({ type: 'REG_SZ', data }) as const;
const dword = (data: number) => ({ type: 'REG_DWORD', data }) as const;

/** The registry's policy keys as an administrator left them; the test changes them between reads. */
class FakePolicies implements PolicyPort {
  values: Partial<Record<Hive, RawValues>> = {};
  problem: string | null = null;
  throws: Error | null = null;
  reads = 0;
  constructor(machine: RawValues = {}, user: RawValues = {}) {
    this.values = { HKLM: machine, HKCU: user };
  }
  read(): PolicyRead {
    this.reads += 1;
    if (this.throws) throw this.throws;
    return { policies: resolvePolicies(this.values.HKLM ?? {}, this.values.HKCU ?? {}), problem: this.problem };
  }
}

const stateEvents = (events: AppEvent[]) => events.filter((event) => event.type === 'state');

test('a policy value is the setting in force, the window learns which policy manages it, and the user’s own choice is kept', async () => {
  const policies = new FakePolicies({ UpdateSource: sz('mmpc'), AutoCheckHours: dword(6), Language: sz('ru'), RestartReminderHours: dword(48) });
  const rig = makeRig({ policies, initialSettings: { source: 'wsus', autoCheckHours: 8, language: 'en' } });
  const state = rig.controller.getState();
  assert.equal(state.settings.source, 'mmpc');
  assert.equal(state.settings.autoCheckHours, 6);
  assert.equal(state.settings.language, 'ru');
  assert.equal(state.settings.rebootReminderHours, 48);
  assert.deepEqual(state.policy.managed, {
    source: 'UpdateSource',
    autoCheckHours: 'AutoCheckHours',
    rebootReminderHours: 'RestartReminderHours',
    language: 'Language',
  });
  await rig.controller.startUpdate('schedule');
  assert.equal(rig.engine.starts[0]?.source, 'mmpc', 'updates use the policy’s source');
  assert.equal(rig.settings.saved.length, 0, 'nothing of the user’s was written over');
  await rig.controller.dispose();
});

test('a policy removed while the app runs gives the user’s choice back, on the next focus, as a whole state', async () => {
  const policies = new FakePolicies({ UpdateSource: sz('mmpc') });
  const rig = makeRig({ policies, initialSettings: { source: 'wsus' } });
  assert.equal(rig.controller.getState().settings.source, 'mmpc');
  policies.values = {};
  assert.equal(rig.controller.rereadPolicies(), true);
  rig.scheduler.advance(16);
  const last = stateEvents(rig.events).at(-1);
  assert.ok(last?.type === 'state');
  assert.equal(last.state.settings.source, 'wsus');
  assert.deepEqual(last.state.policy.managed, {});
  assert.equal(rig.settingsChanges.at(-1)?.source, 'wsus', 'main follows the settings in force (schedule, language)');
  await rig.controller.dispose();
});

test('a focus that finds the same policies sends nothing; one that finds a change sends one state', async () => {
  const policies = new FakePolicies({ AllowCancel: dword(0) });
  const rig = makeRig({ policies });
  rig.scheduler.advance(16);
  const before = stateEvents(rig.events).length;
  assert.equal(rig.controller.rereadPolicies(), false);
  rig.scheduler.advance(16);
  assert.equal(stateEvents(rig.events).length, before);
  policies.values = { HKLM: { AllowCancel: dword(0), ShowTrayIcon: dword(0) } };
  assert.equal(rig.controller.rereadPolicies(), true);
  rig.scheduler.advance(16);
  assert.equal(stateEvents(rig.events).length, before + 1);
  const last = stateEvents(rig.events).at(-1);
  assert.equal(last?.type === 'state' && last.state.policy.showTrayIcon, false);
  assert.equal(policies.reads, 3);
  await rig.controller.dispose();
});

test('AutoCheckHours from a policy that the window does not offer (6) is the interval main schedules', async () => {
  const policies = new FakePolicies({}, {});
  const rig = makeRig({ policies, initialSettings: { autoCheckHours: 4 } });
  policies.values = { HKCU: { AutoCheckHours: dword(6) } };
  rig.controller.rereadPolicies();
  assert.equal(rig.settingsChanges.at(-1)?.autoCheckHours, 6);
  await rig.controller.dispose();
});

test('changing a managed setting is refused, naming the policy, in the window’s language; other settings still save', async () => {
  const policies = new FakePolicies({ UpdateSource: sz('wsus'), Language: sz('en') });
  const rig = makeRig({ policies });
  const refused = await rig.controller.dispatch('settings:set', { source: 'mmpc', notifications: false });
  assert.deepEqual(refused, {
    ok: false,
    error: { code: 'managed', message: 'Your organization manages this setting (policy UpdateSource); it was not changed.' },
  });
  assert.equal(rig.settings.saved.length, 0, 'a refused request saves nothing, not even its other fields');
  assert.equal((await rig.controller.dispatch('settings:set', { notifications: false })).ok, true);
  assert.equal(rig.settings.saved.at(-1)?.notifications, false);
  assert.equal(rig.settings.saved.at(-1)?.source, 'default', 'the user’s own source is stored as it was');
  // A form that sends back the value in force changes nothing and is no mistake.
  const same = await rig.controller.dispatch('settings:set', { source: 'wsus', watchFreshness: false });
  assert.equal(same.ok, true);
  assert.equal(same.ok && (same.value as { source: string }).source, 'wsus');
  assert.equal(rig.settings.saved.at(-1)?.source, 'default');
  await rig.controller.dispose();
});

test('AllowSourceChoice=0 locks the source to Default, and a retry from the window with another source is refused', async () => {
  const policies = new FakePolicies({ AllowSourceChoice: dword(0) });
  const rig = makeRig({ policies, initialSettings: { source: 'mmpc' } });
  assert.equal(rig.controller.getState().settings.source, 'default');
  assert.equal(rig.controller.getState().policy.managed.source, 'AllowSourceChoice');
  const retry = await rig.controller.dispatch('update:start', { source: 'mmpc' });
  assert.deepEqual(retry, {
    ok: false,
    error: {
      code: 'managed',
      message: 'Direct download from Microsoft is not allowed: your organization sets the update source (policy AllowSourceChoice).',
    },
  });
  assert.equal(rig.engine.starts.length, 0);
  assert.equal((await rig.controller.dispatch('update:start', undefined)).ok, true);
  assert.equal(rig.engine.starts[0]?.source, 'default');
  await rig.controller.dispose();
});

test('FileSharePath is the folder updates from the file share use, and the window sees it', async () => {
  const policies = new FakePolicies({ UpdateSource: sz('file-share'), FileSharePath: sz('\\\\files\\defender') });
  const rig = makeRig({ policies, initialSettings: { sharePath: 'D:\\mine' } });
  const state = rig.controller.getState();
  assert.equal(state.policy.fileSharePath, '\\\\files\\defender');
  assert.equal(state.settings.sharePath, '\\\\files\\defender');
  assert.equal(state.policy.managed.sharePath, 'FileSharePath');
  await rig.controller.startUpdate('window');
  assert.deepEqual(rig.engine.starts[0]?.offline, { kind: 'folder', path: '\\\\files\\defender' });
  const refused = await rig.controller.dispatch('settings:set', { sharePath: 'D:\\other' });
  assert.equal(!refused.ok && refused.error.code, 'managed');
  await rig.controller.dispose();
});

test('AllowCancel=0: Cancel from the window or the tray is refused, naming the policy, and Defender is never asked', async () => {
  const rig = makeRig({ policies: new FakePolicies({ AllowCancel: dword(0) }) });
  await rig.controller.startUpdate('window');
  const fromWindow = await rig.controller.dispatch('update:cancel', undefined);
  assert.deepEqual(fromWindow, {
    ok: false,
    error: { code: 'managed', message: 'Your organization does not allow cancelling an update (policy AllowCancel); it runs to its end.' },
  });
  assert.equal((await rig.controller.cancelUpdate()).ok, false);
  assert.equal(rig.engine.cancels, 0);
  assert.equal(rig.controller.getState().policy.allowCancel, false);
  await rig.controller.dispose();
});

test('ignored policy values reach the window by name and hive with their reason, in either language', async () => {
  const rig = makeRig({ policies: new FakePolicies({ AutoCheckHours: dword(48), AutoCheckHour: dword(4) }, { Language: sz('de') }) });
  const ignored = rig.controller.getState().policy.ignored;
  assert.deepEqual(
    ignored.map((i) => [i.name, i.hive, i.reason.key]),
    [
      ['AutoCheckHours', 'HKLM', 'policy.invalid.range'],
      ['AutoCheckHour', 'HKLM', 'policy.invalid.unknown'],
      ['Language', 'HKCU', 'policy.invalid.choice'],
    ],
  );
  assert.equal(rig.controller.getState().settings.autoCheckHours, 0, 'an ignored value leaves the user’s setting in force');
  await rig.controller.dispose();
});

test('policies that cannot be read are one notice, not a crash and not a notice per focus; the last good read stays in force', async () => {
  const policies = new FakePolicies({ AllowCancel: dword(0) });
  policies.problem = 'HKLM\\SOFTWARE\\Policies\\DefenderUpdater could not be opened (error 5)';
  const rig = makeRig({ policies });
  assert.equal(rig.controller.getState().policy.allowCancel, false, 'what could be read applies');
  rig.controller.rereadPolicies();
  rig.controller.rereadPolicies();
  const notices = rig.controller.getState().notices.filter((n) => n.key === 'policies-unreadable');
  assert.equal(notices.length, 1);
  assert.match(notices[0]?.detail ?? '', /error 5/);
  policies.throws = new Error('advapi32 is gone');
  assert.doesNotThrow(() => rig.controller.rereadPolicies());
  assert.equal(rig.controller.getState().policy.allowCancel, false, 'a failed read on one focus unlocks nothing');
  await settle();
  assert.equal((await rig.controller.dispatch('state:get', undefined)).ok, true);
  policies.throws = null;
  policies.problem = null;
  policies.values = { HKLM: {} };
  assert.equal(rig.controller.rereadPolicies(), true);
  assert.equal(rig.controller.getState().policy.allowCancel, true, 'a good read without the policy gives Cancel back');
  assert.deepEqual(
    rig.controller.getState().notices.filter((n) => n.key === 'policies-unreadable'),
    [],
    'and the notice about the failed read goes',
  );
  await rig.controller.dispose();
});

test('the registry port reads nothing off Windows, and turns a reader’s complaints or a throw into a problem', () => {
  let calls = 0;
  const offWindows = createRegistryPolicyPort({
    platform: 'linux',
    read: () => {
      calls += 1;
      return resolvePolicies({}, {});
    },
  });
  assert.deepEqual(offWindows.read(), { policies: { values: {}, hives: {}, invalid: [] }, problem: null });
  assert.equal(calls, 0);
  const complaining = createRegistryPolicyPort({
    platform: 'win32',
    read: (log) => {
      log('RegEnumValueW(0) failed with error 1');
      return resolvePolicies({ AllowCancel: dword(0) }, {});
    },
  });
  const read = complaining.read();
  assert.equal(read.policies.values.AllowCancel, false);
  assert.equal(read.problem, 'RegEnumValueW(0) failed with error 1');
  const throwing = createRegistryPolicyPort({
    platform: 'win32',
    read: () => {
      throw new Error('koffi could not load advapi32.dll');
    },
  });
  assert.deepEqual(throwing.read(), { policies: { values: {}, hives: {}, invalid: [] }, problem: 'koffi could not load advapi32.dll' });
});
