/** Native notifications when an update ends and when the restart reminder fires; off when the setting says so. */
import { formatHresult } from '../shared/hresult';
import type { UpdateOutcome } from '../shared/update';
import type { MainStrings } from './strings';

export interface NotificationContent {
  title: string;
  body: string;
}

/** What to say about an update's end; null for a cancel (the user just did that themselves). */
export function notificationFor(outcome: UpdateOutcome, strings: MainStrings): NotificationContent | null {
  const n = strings.notify;
  const after = outcome.versionsAfter?.antivirus.version ?? null;
  switch (outcome.result) {
    case 'succeeded':
      return { title: n.updatedTitle, body: n.updatedBody(after) };
    case 'up-to-date':
      return { title: n.upToDateTitle, body: n.upToDateBody(after ?? outcome.versionsBefore?.antivirus.version ?? null) };
    case 'failed':
      return {
        title: n.failedTitle,
        body: n.failedBody(outcome.error?.message ?? outcome.message, outcome.error?.hex ?? formatHresult(outcome.hresult)),
      };
    case 'reboot-required':
      return { title: n.rebootTitle, body: n.rebootBody };
    case 'cancelled':
      return null;
  }
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
}

export function createNotifier(options: {
  create: (content: NotificationContent) => NotificationLike;
  isSupported: () => boolean;
  /** The notifications setting, read at the moment of showing. */
  enabled: () => boolean;
  strings: () => MainStrings;
  /** A click on a notification opens the window (where the result and the restart prompt are). */
  onClick: () => void;
}): Notifier {
  // Windows drops click handlers of notifications that were garbage-collected; keep them until closed.
  const alive = new Set<NotificationLike>();
  const show = (content: NotificationContent | null): void => {
    if (!content || !options.enabled() || !options.isSupported()) return;
    const notification = options.create(content);
    alive.add(notification);
    notification.on('click', () => options.onClick());
    notification.on('close', () => alive.delete(notification));
    notification.show();
  };
  return {
    finished: (outcome) => show(notificationFor(outcome, options.strings())),
    rebootReminder: () => {
      const n = options.strings().notify;
      show({ title: n.reminderTitle, body: n.reminderBody });
    },
  };
}
