/**
 * Native notifications: when an update ends, when the restart reminder fires, and when security intelligence has gone
 * stale. Texts come from the message table in the window's language. On Windows, where Electron's `actions` do nothing,
 * a notification that offers a choice (restart now or later, update now) is a toast with buttons (toast-xml.ts) when
 * the installed app's Start menu shortcut carries its AppUserModelID (Windows routes button clicks by it); otherwise
 * it is today's plain notification, whose click opens the window.
 */
import { formatHresult } from '../shared/hresult';
import { formatCount, translator, type Lang } from '../shared/messages';
import type { UpdateOutcome } from '../shared/update';
import { activationUrl, type ActivationAction, type TokenBook } from './activation';
import type { FreshnessAlert } from './freshness';
import { buildToastXml } from './toast-xml';

/** What a notification says: the plain text, and the buttons a toast may add (with the body that goes with them). */
export interface NotificationSpec {
  title: string;
  body: string;
  /** The body when the buttons are there: it does not tell the user to open the window for the choice. */
  bodyWithButtons: string;
  buttons: { action: ActivationAction; label: string }[];
}

/** What Electron's Notification is given: `toastXml` (Windows) supersedes title and body. */
export interface NotificationContent {
  title: string;
  body: string;
  toastXml?: string;
}

function plain(title: string, body: string): NotificationSpec {
  return { title, body, bodyWithButtons: body, buttons: [] };
}

/** What to say about an update's end; null for a cancel (the user just did that themselves). */
export function notificationFor(outcome: UpdateOutcome, lang: Lang): NotificationSpec | null {
  const t = translator(lang);
  const after = outcome.versionsAfter?.antivirus.version ?? null;
  switch (outcome.result) {
    case 'succeeded':
      return plain(t('result.succeeded.title'), after ? t('result.succeeded.bodyNew', { after }) : t('outcome.message.succeeded'));
    case 'up-to-date': {
      const version = after ?? outcome.versionsBefore?.antivirus.version ?? null;
      return plain(t('result.up-to-date.title'), version ? t('result.up-to-date.body', { version }) : t('outcome.message.up-to-date'));
    }
    case 'failed':
      return plain(
        t('result.failed.title'),
        t('notify.failed.body', { message: outcome.error?.message ?? outcome.message, hex: outcome.error?.hex ?? formatHresult(outcome.hresult) }),
      );
    case 'reboot-required':
      return restartSpec(lang, t('reboot.title'), t('notify.reboot.body'), t('notify.reboot.bodyButtons'));
    case 'cancelled':
      return null;
  }
}

function restartSpec(lang: Lang, title: string, body: string, bodyWithButtons: string): NotificationSpec {
  const t = translator(lang);
  return {
    title,
    body,
    bodyWithButtons,
    buttons: [
      { action: 'restart-now', label: t('reboot.now') },
      { action: 'later', label: t('reboot.later') },
    ],
  };
}

export function reminderNotification(lang: Lang): NotificationSpec {
  const t = translator(lang);
  return restartSpec(lang, t('notify.reminder.title'), t('notify.reminder.body'), t('notify.reminder.bodyButtons'));
}

export function freshnessNotification(alert: FreshnessAlert, lang: Lang): NotificationSpec {
  const t = translator(lang);
  const buttons = [{ action: 'update-now' as const, label: t('notify.updateNow') }];
  if (alert.kind === 'old') {
    const title = t('notify.stale.title', { age: formatCount(lang, 'days', alert.days) });
    return { title, body: t('notify.stale.body'), bodyWithButtons: t('notify.stale.bodyButtons'), buttons };
  }
  return { title: t('notify.failing.title'), body: t('notify.failing.body'), bodyWithButtons: t('notify.failing.bodyButtons'), buttons };
}

/** The notification Electron is given: a toast with buttons when `buttons` is on and the spec has some. */
export function notificationContent(spec: NotificationSpec, lang: Lang, buttons: boolean, tokens: TokenBook): NotificationContent {
  if (!buttons || spec.buttons.length === 0) return { title: spec.title, body: spec.body };
  const token = tokens.issue(['open', ...spec.buttons.map((b) => b.action)]);
  const toastXml = buildToastXml({
    title: spec.title,
    body: spec.bodyWithButtons,
    launch: activationUrl('open', token),
    buttons: spec.buttons.map((b) => ({ content: b.label, uri: activationUrl(b.action, token) })),
    lang,
  });
  return { title: spec.title, body: spec.bodyWithButtons, toastXml };
}

/** The parts of Electron's Notification we use. */
export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface Notifier {
  finished(outcome: UpdateOutcome): void;
  rebootReminder(): void;
  /** Security intelligence has gone stale (the freshness watch decided; it also keeps the once-a-day rule). */
  freshness(alert: FreshnessAlert): void;
}

export interface NotifierOptions {
  create: (content: NotificationContent) => NotificationLike;
  isSupported: () => boolean;
  /** The notifications setting, read at the moment of showing (the freshness watch has its own). */
  enabled: () => boolean;
  /** The window's language now. */
  language: () => Lang;
  /** Whether toasts with buttons can be shown now (Windows, installed app: see app-id.ts). */
  buttons: () => boolean;
  tokens: TokenBook;
  /** A click on a plain notification opens the window (where the result and the restart prompt are). */
  onClick: () => void;
}

export function createNotifier(options: NotifierOptions): Notifier {
  // Windows drops click handlers of notifications that were garbage-collected; keep them until closed.
  const alive = new Set<NotificationLike>();
  const show = (spec: NotificationSpec | null): void => {
    if (!spec || !options.isSupported()) return;
    const content = notificationContent(spec, options.language(), options.buttons(), options.tokens);
    const notification = options.create(content);
    alive.add(notification);
    notification.on('click', () => options.onClick());
    notification.on('close', () => alive.delete(notification));
    notification.show();
  };
  return {
    finished: (outcome) => {
      if (options.enabled()) show(notificationFor(outcome, options.language()));
    },
    rebootReminder: () => {
      if (options.enabled()) show(reminderNotification(options.language()));
    },
    freshness: (alert) => show(freshnessNotification(alert, options.language())),
  };
}
