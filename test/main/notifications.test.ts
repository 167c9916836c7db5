import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNotifier, notificationFor, type NotificationContent, type NotificationLike } from '../../app/main/notifications';
import { mainStrings } from '../../app/main/strings';
import { makeRig } from './fakes';

class FakeNotification implements NotificationLike {
  shown = false;
  private listeners = new Map<string, () => void>();
  constructor(readonly content: NotificationContent) {}
  show(): void {
    this.shown = true;
  }
  on(event: 'click' | 'close', listener: () => void): unknown {
    this.listeners.set(event, listener);
    return this;
  }
  fire(event: 'click' | 'close'): void {
    this.listeners.get(event)?.();
  }
}

function notifierRig(options: { supported?: boolean } = {}) {
  const rig = makeRig();
  const created: FakeNotification[] = [];
  let opened = 0;
  const notifier = createNotifier({
    create: (content) => {
      const n = new FakeNotification(content);
      created.push(n);
      return n;
    },
    isSupported: () => options.supported ?? true,
    enabled: () => rig.controller.getState().settings.notifications,
    strings: () => mainStrings(rig.controller.getState().settings.language, 'en-US'),
    onClick: () => (opened += 1),
  });
  rig.controller.subscribe((event) => event.type === 'finished' && notifier.finished(event.outcome));
  return { rig, created, notifier, opened: () => opened };
}

test('an update that ends tells the user: updated to version X', async () => {
  const { rig, created, opened } = notifierRig();
  await rig.controller.startUpdate('tray');
  rig.engine.finish('succeeded');
  assert.equal(created.length, 1);
  assert.deepEqual(created[0]?.content, { title: 'Defender signatures updated', body: 'Security intelligence is now version 1.401.0.0.' });
  assert.equal(created[0]?.shown, true);
  created[0]?.fire('click');
  assert.equal(opened(), 1, 'a click opens the window');
});

test('already up to date, failed with the reason, and restart needed each say so', () => {
  const strings = mainStrings('en', 'en-US');
  const { rig } = notifierRig();
  const base = {
    runId: 1,
    source: 'default' as const,
    trigger: 'window' as const,
    startedAt: 0,
    endedAt: 1,
    error: null,
    versionsAfter: null,
    updateType: null,
    sharedSignatureRoot: null,
  };
  const upToDate = notificationFor({ ...base, result: 'up-to-date', hresult: 1, message: '', versionsBefore: rig.engine.versions }, strings);
  assert.equal(upToDate?.title, 'Already up to date');
  assert.match(upToDate?.body ?? '', /1\.400\.0\.0/);
  const failed = notificationFor(
    {
      ...base,
      result: 'failed',
      hresult: 0x8024402c,
      message: 'fallback',
      versionsBefore: null,
      error: {
        kind: 'update-failed',
        hresult: 0x8024402c,
        hex: '0x8024402C',
        updateType: null,
        message: 'The proxy server or target server name cannot be resolved.',
        source: 'default',
      },
    },
    strings,
  );
  assert.deepEqual(failed, { title: 'Update failed', body: 'The proxy server or target server name cannot be resolved. (0x8024402C)' });
  assert.equal(
    notificationFor({ ...base, result: 'reboot-required', hresult: 0, message: '', versionsBefore: null }, strings)?.title,
    'Restart needed',
  );
  assert.equal(notificationFor({ ...base, result: 'cancelled', hresult: 0, message: '', versionsBefore: null }, strings), null);
});

test('no notification when the user turned them off', async () => {
  const { rig, created } = notifierRig();
  await rig.controller.dispatch('settings:set', { notifications: false });
  await rig.controller.startUpdate('tray');
  rig.engine.finish('failed');
  assert.equal(created.length, 0);
});

test('no notification where the system cannot show one', async () => {
  const { rig, created } = notifierRig({ supported: false });
  await rig.controller.startUpdate('tray');
  rig.engine.finish('succeeded');
  assert.equal(created.length, 0);
});

test('the restart reminder after Later arrives as a notification', () => {
  const { created, notifier } = notifierRig();
  notifier.rebootReminder();
  assert.equal(created[0]?.content.title, 'Restart still needed');
});

test('notifications speak Russian when chosen', async () => {
  const { rig, created } = notifierRig();
  await rig.controller.dispatch('settings:set', { language: 'ru' });
  await rig.controller.startUpdate('tray');
  rig.engine.finish('reboot-required');
  assert.equal(created[0]?.content.title, 'Нужна перезагрузка');
});
