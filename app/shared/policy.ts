/**
 * Group Policy and Intune settings: the one table of every policy the app reads from
 * `HKLM\SOFTWARE\Policies\DefenderUpdater` and `HKCU\SOFTWARE\Policies\DefenderUpdater`, and the pure rule that turns
 * what the registry holds into policy values. scripts/generate-policy-templates.mjs writes the ADMX/ADML templates
 * from this same table, so the files administrators import and the values the app reads cannot drift apart.
 */
import { LANGUAGES, type LanguageSetting, type Settings } from './app-state';
import { message, renderMessage, type Message } from './messages';
import { UPDATE_SOURCES, type UpdateSource } from './update';

/** Relative to HKLM and HKCU; the ADMX writes the same key (registry paths are case-insensitive). */
export const POLICY_REGISTRY_KEY = 'SOFTWARE\\Policies\\DefenderUpdater';

/** The oldest app version that reads these policies, for the templates' "Supported on". */
export const POLICIES_SUPPORTED_SINCE = '0.1';

export type Hive = 'HKLM' | 'HKCU';

/** What each policy holds once read and checked. */
export interface PolicyValues {
  UpdateSource: UpdateSource;
  FileSharePath: string;
  AutoCheckHours: number;
  AllowCancel: boolean;
  AllowSourceChoice: boolean;
  ShowTrayIcon: boolean;
  RestartReminderHours: number;
  Language: LanguageSetting;
}

/** A policy's name is also its registry value name and its name in `status --json`. */
export type PolicyName = keyof PolicyValues;

/** The two languages the app and its ADML files speak (ADML folders en-US and ru-RU). */
export interface Localized<T> {
  en: T;
  ru: T;
}

export interface PolicyText {
  /** The policy's name in the Group Policy editor and Intune. */
  displayName: string;
  /** The help text beside it; paragraphs separated by blank lines. */
  explanation: string;
  /** The label of the value's control (drop-down, number box, check box, text box). */
  label: string;
}

interface PolicyCommon<N extends PolicyName> {
  name: N;
  /** The user setting this policy locks, or null when it governs something the user cannot set. */
  setting: keyof Settings | null;
  text: Localized<PolicyText>;
}

/** REG_SZ, one of fixed values: a drop-down list in the editor. */
export interface ChoicePolicy<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  kind: 'choice';
  type: 'REG_SZ';
  choices: readonly { value: string; text: Localized<string> }[];
}

/** REG_DWORD, a whole number in [min, max]: a number box. */
export interface NumberPolicy<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  kind: 'number';
  type: 'REG_DWORD';
  min: number;
  max: number;
  /** What the editor's number box shows first. */
  suggested: number;
}

/** REG_DWORD, 0 or 1: a check box. */
export interface FlagPolicy<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  kind: 'flag';
  type: 'REG_DWORD';
  /** Whether the editor's check box starts checked. */
  suggested: boolean;
}

/** REG_SZ, a full folder path: a text box. */
export interface PathPolicy<N extends PolicyName = PolicyName> extends PolicyCommon<N> {
  kind: 'path';
  type: 'REG_SZ';
  /** The ADMX `text` element's own default limit. */
  maxLength: number;
}

export type PolicyDefinition = ChoicePolicy | NumberPolicy | FlagPolicy | PathPolicy;

type DefinitionFor<N extends PolicyName> = [PolicyValues[N]] extends [boolean]
  ? FlagPolicy<N>
  : [PolicyValues[N]] extends [number]
    ? NumberPolicy<N>
    : ChoicePolicy<N> | PathPolicy<N>;

const SOURCE_NAMES: Record<UpdateSource, Localized<string>> = {
  default: { en: 'Default (as Windows is set up)', ru: 'По умолчанию (как настроена Windows)' },
  'microsoft-update': { en: 'Microsoft Update', ru: 'Центр обновления Майкрософт' },
  wsus: { en: 'WSUS (your organization’s server)', ru: 'WSUS (сервер вашей организации)' },
  mmpc: { en: 'Direct download from Microsoft (MMPC)', ru: 'Напрямую с сайта Майкрософт (MMPC)' },
  'file-share': { en: 'File share', ru: 'Общая папка' },
};

const LANGUAGE_NAMES: Record<LanguageSetting, Localized<string>> = {
  system: { en: 'Same as Windows', ru: 'Как в Windows' },
  en: { en: 'English', ru: 'Английский (English)' },
  ru: { en: 'Russian (Русский)', ru: 'Русский' },
};

const PRECEDENCE: Localized<string> = {
  en: 'A policy set for the computer wins over the same policy set for the user.',
  ru: 'Политика для компьютера имеет приоритет над той же политикой для пользователя.',
};

/** Paragraphs, then the precedence rule every policy shares. */
function explain(language: keyof Localized<string>, ...paragraphs: string[]): string {
  return [...paragraphs, PRECEDENCE[language]].join('\n\n');
}

/** A 0/1 policy for something that is on unless the policy turns it off, with no user setting of its own. */
function onUnlessTurnedOff<N extends PolicyName>(name: N, text: Localized<PolicyText>): FlagPolicy<N> {
  return { name, setting: null, kind: 'flag', type: 'REG_DWORD', suggested: true, text };
}

/** Every policy, in the order the editor lists them. */
export const POLICIES: { readonly [N in PolicyName]: DefinitionFor<N> } = {
  UpdateSource: {
    name: 'UpdateSource',
    setting: 'source',
    kind: 'choice',
    type: 'REG_SZ',
    choices: UPDATE_SOURCES.map((value) => ({ value, text: SOURCE_NAMES[value] })),
    text: {
      en: {
        displayName: 'Update source',
        explanation: explain(
          'en',
          'Sets where Microsoft Defender gets security intelligence updates when Defender Updater updates it, from the window, the tray, automatic checks and the command line. Users cannot change the Update source setting.',
          'Default: the order Windows is set up with. WSUS: your organization’s update server. Direct download from Microsoft: the Microsoft Malware Protection Center (MMPC). File share: the folder named by the "File share folder" policy.',
          'If you disable or do not configure this policy, users choose the source (see "Allow choosing the update source").',
        ),
        label: 'Update source:',
      },
      ru: {
        displayName: 'Источник обновлений',
        explanation: explain(
          'ru',
          'Задаёт, откуда Microsoft Defender получает обновления аналитики безопасности, когда его обновляет Defender Updater: из окна, из области уведомлений, при автоматической проверке и из командной строки. Пользователь не может изменить параметр «Источник обновлений».',
          'По умолчанию: в порядке, заданном в Windows. WSUS: сервер обновлений вашей организации. Напрямую с сайта Майкрософт: Microsoft Malware Protection Center (MMPC). Общая папка: папка из политики «Общая папка для обновлений».',
          'Если политика отключена или не задана, источник выбирает пользователь (см. «Разрешить выбор источника обновлений»).',
        ),
        label: 'Источник обновлений:',
      },
    },
  },
  FileSharePath: {
    name: 'FileSharePath',
    // The Settings folder of the file-share source (updated from with MpCmdRun -SignatureUpdate -UNC -Path).
    setting: 'sharePath',
    kind: 'path',
    type: 'REG_SZ',
    maxLength: 1023,
    text: {
      en: {
        displayName: 'File share folder',
        explanation: explain(
          'en',
          'The folder that holds security intelligence update packages for the File share source, as x64\\mpam-fe.exe (and arm64\\mpam-fe.exe for ARM PCs): a UNC path such as \\\\server\\share\\defender, or a local folder such as D:\\defender. It applies when the update source is File share: Defender Updater then updates from it with MpCmdRun.exe -SignatureUpdate -UNC -Path, and users cannot change the folder.',
          'If you disable or do not configure this policy, users may name the folder in Settings; without a folder, the File share source uses the file shares Microsoft Defender is configured with (its own policy "Define file shares for downloading security intelligence updates").',
        ),
        label: 'Folder:',
      },
      ru: {
        displayName: 'Общая папка для обновлений',
        explanation: explain(
          'ru',
          'Папка с пакетами обновлений аналитики безопасности для источника «Общая папка», в виде x64\\mpam-fe.exe (и arm64\\mpam-fe.exe для компьютеров ARM): UNC-путь, например \\\\server\\share\\defender, или локальная папка, например D:\\defender. Действует, когда источник обновлений — «Общая папка»: Defender Updater обновляет из неё через MpCmdRun.exe -SignatureUpdate -UNC -Path, и пользователь не может изменить папку.',
          'Если политика отключена или не задана, пользователь может указать папку в настройках; без папки источник «Общая папка» использует общие папки, заданные в собственной политике Microsoft Defender «Определить общие папки для скачивания обновлений аналитики безопасности».',
        ),
        label: 'Папка:',
      },
    },
  },
  AutoCheckHours: {
    name: 'AutoCheckHours',
    setting: 'autoCheckHours',
    kind: 'number',
    type: 'REG_DWORD',
    min: 0,
    max: 24,
    suggested: 4,
    text: {
      en: {
        displayName: 'Check for updates automatically',
        explanation: explain(
          'en',
          'How often Defender Updater checks for and installs security intelligence updates while it runs: every 1 to 24 hours. 0 turns automatic checks off. Users cannot change the setting.',
          'If you disable or do not configure this policy, users choose.',
        ),
        label: 'Check every (hours, 0 = off):',
      },
      ru: {
        displayName: 'Проверять обновления автоматически',
        explanation: explain(
          'ru',
          'Как часто Defender Updater, пока работает, проверяет и устанавливает обновления аналитики безопасности: каждые 1–24 часа. 0 отключает автоматическую проверку. Пользователь не может изменить параметр.',
          'Если политика отключена или не задана, выбирает пользователь.',
        ),
        label: 'Проверять каждые (часов, 0 — не проверять):',
      },
    },
  },
  AllowCancel: onUnlessTurnedOff('AllowCancel', {
    en: {
      displayName: 'Allow cancelling an update',
      explanation: explain(
        'en',
        'Enabled with the box checked: users can cancel a running update. Enabled with the box cleared: the Cancel button and the tray’s Cancel item are unavailable, and an update that has started runs to its end.',
        'If you disable or do not configure this policy, users can cancel.',
      ),
      label: 'Users can cancel a running update',
    },
    ru: {
      displayName: 'Разрешить отмену обновления',
      explanation: explain(
        'ru',
        'Включена и флажок установлен: пользователь может отменить идущее обновление. Включена и флажок снят: кнопка «Отмена» и пункт «Отмена» в области уведомлений недоступны, начатое обновление идёт до конца.',
        'Если политика отключена или не задана, пользователь может отменять обновление.',
      ),
      label: 'Пользователь может отменить идущее обновление',
    },
  }),
  AllowSourceChoice: onUnlessTurnedOff('AllowSourceChoice', {
    en: {
      displayName: 'Allow choosing the update source',
      explanation: explain(
        'en',
        'Enabled with the box checked: users choose the update source. Enabled with the box cleared: the Update source setting is locked to Default, and to the source set by the "Update source" policy when that policy is set.',
        'If you disable or do not configure this policy, users choose.',
      ),
      label: 'Users can choose the update source',
    },
    ru: {
      displayName: 'Разрешить выбор источника обновлений',
      explanation: explain(
        'ru',
        'Включена и флажок установлен: источник обновлений выбирает пользователь. Включена и флажок снят: параметр «Источник обновлений» закреплён на значении «По умолчанию», а если задана политика «Источник обновлений» — на её значении.',
        'Если политика отключена или не задана, выбирает пользователь.',
      ),
      label: 'Пользователь может выбрать источник обновлений',
    },
  }),
  ShowTrayIcon: onUnlessTurnedOff('ShowTrayIcon', {
    en: {
      displayName: 'Show the icon in the notification area',
      explanation: explain(
        'en',
        'Enabled with the box checked: Defender Updater shows its icon in the notification area (the tray). Enabled with the box cleared: no icon; closing the window quits the app, so automatic checks run only while the window is open.',
        'If you disable or do not configure this policy, the icon is shown.',
      ),
      label: 'Show the icon in the notification area',
    },
    ru: {
      displayName: 'Показывать значок в области уведомлений',
      explanation: explain(
        'ru',
        'Включена и флажок установлен: Defender Updater показывает значок в области уведомлений. Включена и флажок снят: значка нет; закрытие окна завершает приложение, поэтому автоматическая проверка работает, только пока окно открыто.',
        'Если политика отключена или не задана, значок показывается.',
      ),
      label: 'Показывать значок в области уведомлений',
    },
  }),
  RestartReminderHours: {
    name: 'RestartReminderHours',
    setting: 'rebootReminderHours',
    kind: 'number',
    type: 'REG_DWORD',
    // Whole hours up to a week: the same ceiling the user's own setting has (ipc-schemas: at most 168).
    min: 1,
    max: 168,
    suggested: 4,
    text: {
      en: {
        displayName: 'Restart reminder delay',
        explanation: explain(
          'en',
          'When Microsoft Defender needs a restart to finish an update and the user chooses Later, how many hours pass before Defender Updater reminds them again: 1 to 168 (one week). Users cannot change the setting.',
          'If you disable or do not configure this policy, users choose (4 hours unless they change it).',
        ),
        label: 'Remind again after (hours):',
      },
      ru: {
        displayName: 'Интервал напоминания о перезагрузке',
        explanation: explain(
          'ru',
          'Когда Microsoft Defender для завершения обновления нужна перезагрузка, а пользователь выбрал «Позже», — через сколько часов Defender Updater напомнит снова: от 1 до 168 (неделя). Пользователь не может изменить параметр.',
          'Если политика отключена или не задана, выбирает пользователь (4 часа, пока он это не изменит).',
        ),
        label: 'Напомнить снова через (часов):',
      },
    },
  },
  Language: {
    name: 'Language',
    setting: 'language',
    kind: 'choice',
    type: 'REG_SZ',
    choices: LANGUAGES.map((value) => ({ value, text: LANGUAGE_NAMES[value] })),
    text: {
      en: {
        displayName: 'Language',
        explanation: explain(
          'en',
          'The language of Defender Updater’s window, tray menu and notifications: the same as Windows, English or Russian. Users cannot change the setting.',
          'If you disable or do not configure this policy, users choose.',
        ),
        label: 'Language:',
      },
      ru: {
        displayName: 'Язык',
        explanation: explain(
          'ru',
          'Язык окна, меню в области уведомлений и уведомлений Defender Updater: как в Windows, английский или русский. Пользователь не может изменить параметр.',
          'Если политика отключена или не задана, выбирает пользователь.',
        ),
        label: 'Язык:',
      },
    },
  },
};

export const POLICY_LIST: readonly PolicyDefinition[] = Object.values(POLICIES);

/** The category every policy sits in, and the "Supported on" text. */
export const POLICY_CATEGORY_TEXT: Localized<{ displayName: string; explanation: string }> = {
  en: {
    displayName: 'Defender Updater',
    explanation:
      'Settings of Defender Updater, which updates Microsoft Defender security intelligence. A setting set by policy is locked in the app and labelled "Managed by your organization".',
  },
  ru: {
    displayName: 'Defender Updater',
    explanation:
      'Параметры Defender Updater, приложения для обновления аналитики безопасности Microsoft Defender. Параметр, заданный политикой, заблокирован в приложении и помечен «Управляется вашей организацией».',
  },
};

export const POLICY_SUPPORTED_ON_TEXT: Localized<string> = {
  en: `Defender Updater ${POLICIES_SUPPORTED_SINCE} or later`,
  ru: `Defender Updater ${POLICIES_SUPPORTED_SINCE} или более поздней версии`,
};

// ---------------------------------------------------------------- reading

/** One registry value as read: REG_EXPAND_SZ arrives expanded as REG_SZ; other types are only named. */
export type RawRegistryValue = { type: 'REG_SZ'; data: string } | { type: 'REG_DWORD'; data: number } | { type: 'other'; typeName: string };

/** Every value under one hive's policy key, by its name as stored (registry names are case-insensitive). */
export type RawValues = Readonly<Record<string, RawRegistryValue>>;

export interface InvalidPolicy {
  /** The value's name as found in the registry. */
  name: string;
  hive: Hive;
  /** The data as found; null for a type that is neither REG_SZ nor REG_DWORD. */
  raw: string | number | null;
  /** One English sentence naming the value and what is allowed (the CLI's words). */
  reason: string;
  /** The same sentence for the window, in its language. */
  message: Message;
}

export interface ResolvedPolicies {
  values: Partial<PolicyValues>;
  /** The hive each value in `values` came from. */
  hives: Partial<Record<PolicyName, Hive>>;
  /** Values that were ignored, from either hive, each with why. */
  invalid: InvalidPolicy[];
}

type Checked = { ok: true; value: PolicyValues[PolicyName] } | { ok: false; reason: Message };

/** UNC (\\server\share…) or a drive-letter path (C:\…). */
const FULL_PATH = /^(\\\\[^\\/]+[\\/][^\\/]+|[A-Za-z]:[\\/])/;

function check(definition: PolicyDefinition, raw: RawRegistryValue): Checked {
  const { name } = definition;
  const refuse = (reason: Message): Checked => ({ ok: false, reason });
  if (raw.type !== definition.type) {
    const found = raw.type === 'other' ? raw.typeName : raw.type;
    return refuse(message('policy.invalid.type', { name, expected: definition.type, found }));
  }
  switch (definition.kind) {
    case 'choice': {
      const text = String(raw.data).trim().toLowerCase();
      const choice = definition.choices.find((c) => c.value === text);
      if (choice) return { ok: true, value: choice.value as PolicyValues[PolicyName] };
      return refuse(message('policy.invalid.choice', { name, value: String(raw.data), allowed: definition.choices.map((c) => c.value).join(', ') }));
    }
    case 'number': {
      const n = Number(raw.data);
      if (Number.isInteger(n) && n >= definition.min && n <= definition.max) return { ok: true, value: n };
      return refuse(message('policy.invalid.range', { name, value: String(raw.data), min: definition.min, max: definition.max }));
    }
    case 'flag': {
      if (raw.data === 0 || raw.data === 1) return { ok: true, value: raw.data === 1 };
      return refuse(message('policy.invalid.flag', { name, value: String(raw.data) }));
    }
    case 'path': {
      const path = String(raw.data).trim();
      if (!path) return refuse(message('policy.invalid.pathEmpty', { name }));
      if (path.length > definition.maxLength) return refuse(message('policy.invalid.pathLong', { name, max: definition.maxLength }));
      if (!FULL_PATH.test(path)) return refuse(message('policy.invalid.pathNotFull', { name, value: path }));
      return { ok: true, value: path };
    }
  }
}

function invalid(name: string, hive: Hive, raw: string | number | null, reason: Message): InvalidPolicy {
  return { name, hive, raw, reason: renderMessage('en', reason), message: reason };
}

/**
 * Machine policy first, then user policy, value by value. A value that breaks the table's rules (wrong type, out of
 * range, not one of the choices) is ignored as if it were not set, so a valid user value can still apply beneath an
 * invalid machine one; every ignored value is listed in `invalid`. Value names and choices match case-insensitively,
 * as Windows treats registry names. A value under the key that is no policy (a typo, a policy of a newer version) is
 * listed as invalid too, so an administrator sees it.
 */
export function resolvePolicies(machine: RawValues, user: RawValues): ResolvedPolicies {
  const byName = new Map(POLICY_LIST.map((d) => [d.name.toLowerCase(), d]));
  const result: ResolvedPolicies = { values: {}, hives: {}, invalid: [] };
  const valid = new Map<PolicyName, { value: PolicyValues[PolicyName]; hive: Hive }>();
  for (const [hive, values] of [
    ['HKLM', machine],
    ['HKCU', user],
  ] as const) {
    for (const [name, raw] of Object.entries(values)) {
      const rawData = raw.type === 'other' ? null : raw.data;
      const definition = byName.get(name.toLowerCase());
      if (!definition) {
        result.invalid.push(invalid(name, hive, rawData, message('policy.invalid.unknown', { name })));
        continue;
      }
      const checked = check(definition, raw);
      if (!checked.ok) result.invalid.push(invalid(name, hive, rawData, checked.reason));
      else if (!valid.has(definition.name)) valid.set(definition.name, { value: checked.value, hive });
    }
  }
  // Table order, so `values` lists policies the way the templates do.
  for (const { name } of POLICY_LIST) {
    const found = valid.get(name);
    if (!found) continue;
    // check() produced this value from this policy's own definition, so it has the policy's type.
    (result.values as Record<PolicyName, unknown>)[name] = found.value;
    result.hives[name] = found.hive;
  }
  return result;
}
