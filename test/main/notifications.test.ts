import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createNotifier,
  freshnessNotification,
  notificationFor,
  reminderNotification,
  type NotificationContent,
  type NotificationLike,
} from '../../app/main/notifications';
import { createTokenBook, findActivation } from '../../app/main/activation';
import { resolveLanguage, verbatim } from '../../app/shared/messages';
import { outcomeOf } from '../support/outcome';
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

let tokenCount = 0;
const tokens = () => createTokenBook(() => `token-${String(++tokenCount).padStart(12, '0')}`);

function notifierRig(options: { supported?: boolean; buttons?: boolean } = {}) {
  const rig = makeRig();
  const created: FakeNotification[] = [];
  let opened = 0;
  const book = tokens();
  const notifier = createNotifier({
    create: (content) => {
      const n = new FakeNotification(content);
      created.push(n);
      return n;
    },
    isSupported: () => options.supported ?? true,
    enabled: () => rig.controller.getState().settings.notifications,
    language: () => resolveLanguage(rig.controller.getState().settings.language, 'en-US'),
    buttons: () => options.buttons ?? false,
    tokens: book,
    onClick: () => (opened += 1),
  });
  rig.controller.subscribe((event) => event.type === 'finished' && notifier.finished(event.outcome));
  return { rig, created, notifier, book, opened: () => opened };
}

test('an update that ends tells the user: updated to version X', async () => {
  const { rig, created, opened } = notifierRig();
  await rig.controller.startUpdate('tray');
  rig.engine.finish('succeeded');
  assert.equal(created.length, 1);
  assert.deepEqual(created[0]?.content, { title: 'Security intelligence updated', body: 'Now at version 1.401.0.0' });
  assert.equal(created[0]?.shown, true);
  created[0]?.fire('click');
  assert.equal(opened(), 1, 'a click opens the window');
});

test('already up to date, failed with Defender’s reason, and restart needed each say so', () => {
  const { rig } = notifierRig();
  const upToDate = notificationFor(outcomeOf({ result: 'up-to-date', hresult: 1, versionsBefore: rig.engine.versions }), 'en');
  assert.equal(upToDate?.title, 'Already up to date');
  assert.match(upToDate?.body ?? '', /1\.400\.0\.0/);
  const failed = notificationFor(
    outcomeOf({
      result: 'failed',
      hresult: 0x8024402c,
      message: verbatim('fallback'),
      error: {
        kind: 'update-failed',
        hresult: 0x8024402c,
        hex: '0x8024402C',
        updateType: null,
        message: verbatim('The proxy server or target server name cannot be resolved.'),
        source: 'default',
      },
    }),
    'en',
  );
  assert.deepEqual([failed?.title, failed?.body], ['Update failed', 'The proxy server or target server name cannot be resolved. (0x8024402C)']);
  const reboot = notificationFor(outcomeOf({ result: 'reboot-required' }), 'en');
  assert.equal(reboot?.title, 'Restart to finish the update');
  assert.deepEqual(
    reboot?.buttons.map((b) => [b.action, b.label]),
    [
      ['restart-now', 'Restart now'],
      ['later', 'Later'],
    ],
  );
  assert.equal(notificationFor(outcomeOf({ result: 'cancelled' }), 'en'), null);
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
  assert.equal(created[0]?.content.title, 'Перезагрузите компьютер, чтобы завершить обновление');
  assert.equal(reminderNotification('ru').buttons[0]?.label, 'Перезагрузить сейчас');
});

test('without buttons (portable build, not Windows) a restart notification tells the user to open the window', async () => {
  const { rig, created } = notifierRig({ buttons: false });
  await rig.controller.startUpdate('tray');
  rig.engine.finish('reboot-required');
  assert.equal(created[0]?.content.toastXml, undefined);
  assert.match(created[0]?.content.body ?? '', /Open Defender Updater to restart now or later/);
});

test('with buttons the restart notification is a toast whose Restart now and Later launch this app’s own, tokened URLs', async () => {
  const { rig, created, book } = notifierRig({ buttons: true });
  await rig.controller.startUpdate('tray');
  rig.engine.finish('reboot-required');
  const xml = created[0]?.content.toastXml ?? '';
  assert.match(xml, /^<toast /);
  assert.doesNotMatch(xml, /Open Defender Updater to restart/, 'the buttons replace the instruction');
  const urls = [...xml.matchAll(/arguments="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  assert.deepEqual(
    urls.map((url) => book.admit(findActivation([url])!)),
    ['restart-now', 'later'],
    'each button does what it says, once the app checked its token',
  );
  const forged = urls[0]!.replace(/token=[^&]+/, 'token=forged-token-00000000');
  assert.equal(book.admit(findActivation([forged])!), 'open', 'a URL the app did not issue only opens the window');
});

test('a stale security intelligence notification says how old, with Update now', () => {
  const old = freshnessNotification({ kind: 'old', days: 11 }, 'en');
  assert.equal(old.title, 'Security intelligence is 11 days old');
  assert.deepEqual(
    old.buttons.map((b) => b.action),
    ['update-now'],
  );
  assert.equal(freshnessNotification({ kind: 'old', days: 11 }, 'ru').title, 'Аналитика безопасности не обновлялась 11 дней');
  assert.equal(freshnessNotification({ kind: 'failing' }, 'en').title, 'Security intelligence is not being updated');
});

test('the freshness notification is shown even with end-of-update notifications off: it has its own setting', async () => {
  const { rig, created, notifier } = notifierRig();
  await rig.controller.dispatch('settings:set', { notifications: false });
  notifier.freshness({ kind: 'old', days: 9 });
  assert.equal(created.length, 1);
});
