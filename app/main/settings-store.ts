/** settings.json in the user data folder. Missing keys take defaults; unknown keys (a newer version's) are dropped. */
import { z } from 'zod';
import { DEFAULT_SETTINGS, type Settings } from '../shared/app-state';
import { settingsPatchSchema } from '../shared/ipc-schemas';
import { createJsonStore, type JsonStore, type StoreLocation } from './json-store';
import type { SettingsPort } from './ports';

export const SETTINGS_FILE = 'settings.json';

// The file must be a JSON object; beyond that each field is judged alone, with the IPC patch's rules, so one bad or
// newer-version value costs that one setting, not all of them (and never quietly turns off start-at-login).
const settingsFileSchema = z.record(z.string(), z.unknown());

/** Valid fields are kept, invalid ones take their default and are named; unknown keys (a newer version's) are dropped. */
export function salvageSettings(raw: Record<string, unknown>): {
  value: Settings;
  invalid: string[];
} {
  const value: Settings = { ...DEFAULT_SETTINGS };
  const invalid: string[] = [];
  for (const [key, schema] of Object.entries(settingsPatchSchema.shape)) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success && parsed.data !== undefined) Object.assign(value, { [key]: parsed.data });
    else invalid.push(key);
  }
  return { value, invalid };
}

/** What the file held, with the settings the user changed since the app started from the defaults. */
export function mergeSettings(fromFile: Settings, current: Settings, atLoad: Settings): Settings {
  const merged: Settings = { ...fromFile };
  for (const key of Object.keys(current) as (keyof Settings)[]) {
    if (current[key] !== atLoad[key]) Object.assign(merged, { [key]: current[key] });
  }
  return merged;
}

export function createSettingsStore(options: StoreLocation): JsonStore<Settings> & SettingsPort {
  return createJsonStore({
    ...options,
    file: SETTINGS_FILE,
    schema: settingsFileSchema,
    fallback: () => ({}),
    salvage: (file) => {
      const { value, invalid } = salvageSettings(file);
      const leftOut =
        invalid.length > 0 ? `${SETTINGS_FILE}: ${invalid.join(', ')} had values this version does not accept and went back to their defaults` : null;
      return { value, leftOut };
    },
    noticeKey: 'settings-reset',
    unreadableNoticeKey: 'settings-unreadable',
    merge: mergeSettings,
  });
}
