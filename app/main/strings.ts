/**
 * The few texts main shows itself (tray menu, tooltips, notifications) in English and Russian; the window's texts
 * live in the renderer's dictionaries.
 */
import type { LanguageSetting } from '../shared/app-state';
import type { ActivePhase } from '../shared/update';

export interface MainStrings {
  locale: 'en' | 'ru';
  appName: string;
  updateSignatures: string;
  cancelUpdate: string;
  open: string;
  quit: string;
  noUpdateYet: string;
  unavailable: string;
  connecting: string;
  demo: string;
  phase: Record<ActivePhase, string>;
  lastResult: { succeeded: string; 'up-to-date': string; 'reboot-required': string; failed: string; cancelled: string };
  restartNeeded: string;
  restartScheduled: string;
  notify: {
    updatedTitle: string;
    updatedBody: (version: string | null) => string;
    upToDateTitle: string;
    upToDateBody: (version: string | null) => string;
    failedTitle: string;
    failedBody: (message: string, hex: string) => string;
    rebootTitle: string;
    rebootBody: string;
    reminderTitle: string;
    reminderBody: string;
  };
}

const en: MainStrings = {
  locale: 'en',
  appName: 'Defender Updater',
  updateSignatures: 'Update signatures',
  cancelUpdate: 'Cancel update',
  open: 'Open Defender Updater',
  quit: 'Quit',
  noUpdateYet: 'No update yet',
  unavailable: 'Microsoft Defender is not available',
  connecting: 'Connecting to Defender…',
  demo: 'Demo',
  phase: { starting: 'Starting', searching: 'Searching for updates', downloading: 'Downloading', installing: 'Installing', finishing: 'Finishing' },
  lastResult: {
    succeeded: 'Updated',
    'up-to-date': 'Already up to date',
    'reboot-required': 'Restart needed',
    failed: 'Update failed',
    cancelled: 'Update cancelled',
  },
  restartNeeded: 'Restart needed to finish the update',
  restartScheduled: 'Restart scheduled',
  notify: {
    updatedTitle: 'Defender signatures updated',
    updatedBody: (v) => (v ? `Security intelligence is now version ${v}.` : 'Security intelligence was updated.'),
    upToDateTitle: 'Already up to date',
    upToDateBody: (v) => (v ? `Security intelligence version ${v} is the latest.` : 'Security intelligence is the latest.'),
    failedTitle: 'Update failed',
    failedBody: (message, hex) => `${message} (${hex})`,
    rebootTitle: 'Restart needed',
    rebootBody: 'Restart Windows to finish the Defender update. Open Defender Updater to restart now or later.',
    reminderTitle: 'Restart still needed',
    reminderBody: 'The Defender update finishes after a restart. Open Defender Updater to restart now or later.',
  },
};

const ru: MainStrings = {
  locale: 'ru',
  appName: 'Defender Updater',
  updateSignatures: 'Обновить сигнатуры',
  cancelUpdate: 'Отменить обновление',
  open: 'Открыть Defender Updater',
  quit: 'Выход',
  noUpdateYet: 'Обновлений ещё не было',
  unavailable: 'Microsoft Defender недоступен',
  connecting: 'Подключение к Defender…',
  demo: 'Демо',
  phase: { starting: 'Запуск', searching: 'Поиск обновлений', downloading: 'Загрузка', installing: 'Установка', finishing: 'Завершение' },
  lastResult: {
    succeeded: 'Обновлено',
    'up-to-date': 'Обновления не требуются',
    'reboot-required': 'Нужна перезагрузка',
    failed: 'Ошибка обновления',
    cancelled: 'Обновление отменено',
  },
  restartNeeded: 'Для завершения обновления нужна перезагрузка',
  restartScheduled: 'Перезагрузка запланирована',
  notify: {
    updatedTitle: 'Сигнатуры Defender обновлены',
    updatedBody: (v) => (v ? `Версия сигнатур: ${v}.` : 'Сигнатуры обновлены.'),
    upToDateTitle: 'Обновления не требуются',
    upToDateBody: (v) => (v ? `Версия сигнатур ${v} — последняя.` : 'Установлены последние сигнатуры.'),
    failedTitle: 'Ошибка обновления',
    failedBody: (message, hex) => `${message} (${hex})`,
    rebootTitle: 'Нужна перезагрузка',
    rebootBody: 'Перезагрузите Windows, чтобы завершить обновление Defender. Откройте Defender Updater, чтобы перезагрузить сейчас или позже.',
    reminderTitle: 'Всё ещё нужна перезагрузка',
    reminderBody: 'Обновление Defender завершится после перезагрузки. Откройте Defender Updater, чтобы перезагрузить сейчас или позже.',
  },
};

/** "system" follows the OS locale (app.getLocale()): Russian for ru-*, English otherwise. */
export function mainStrings(language: LanguageSetting, systemLocale: string): MainStrings {
  const lang = language === 'system' ? (systemLocale.toLowerCase().startsWith('ru') ? 'ru' : 'en') : language;
  return lang === 'ru' ? ru : en;
}
