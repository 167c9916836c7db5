/** settings.json in the user data folder. Missing keys take defaults; unknown keys (a newer version's) are dropped. */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS, type Notice, type Settings } from '../shared/app-state';
import { settingsPatchSchema } from '../shared/ipc-schemas';
import { JsonFileWriter, readJsonFile, resetDetail } from './json-file';
import type { Loaded, SettingsPort } from './ports';

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

export interface SettingsStoreOptions {
  /** The user data folder (app.getPath('userData') in Electron). */
  dir: string;
  now?: () => number;
}

export interface SettingsStore extends SettingsPort {
  readonly path: string;
  /** Resolves when pending writes have settled. */
  idle(): Promise<void>;
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const path = join(options.dir, SETTINGS_FILE);
  const now = options.now ?? Date.now;
  const writer = new JsonFileWriter(path);
  return {
    path,
    load(): Loaded<Settings> {
      const t = now();
      const read = readJsonFile(path, settingsFileSchema, () => ({}), t);
      const { value, invalid } = salvageSettings(read.value);
      const detail = resetDetail(
        read.problem,
        invalid.length > 0 ? `${SETTINGS_FILE}: ${invalid.join(', ')} had values this version does not accept and went back to their defaults` : null,
      );
      const notice: Notice | null =
        detail === null
          ? null
          : {
              id: `settings-reset-${t}`,
              level: 'warning',
              key: 'settings-reset',
              detail,
            };
      return { value, notice };
    },
    save: (settings) => writer.write(settings),
    idle: () => writer.idle(),
  };
}
