/** settings.json in the user data folder. Missing keys take defaults; unknown keys (a newer version's) are dropped. */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS, type Notice, type Settings } from '../shared/app-state';
import { settingsPatchSchema } from '../shared/ipc-schemas';
import { JsonFileWriter, readJsonFile } from './json-file';
import type { Loaded, SettingsPort } from './ports';

export const SETTINGS_FILE = 'settings.json';

// Same field rules as the IPC patch, but lenient about keys the file may carry from another version.
const settingsFileSchema = z.object(settingsPatchSchema.shape).transform((patch): Settings => ({ ...DEFAULT_SETTINGS, ...stripUndefined(patch) }));

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
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
      const read = readJsonFile<Settings>(path, settingsFileSchema, () => ({ ...DEFAULT_SETTINGS }), t);
      const notice: Notice | null = read.problem && {
        id: `settings-reset-${t}`,
        level: 'warning',
        key: 'settings-reset',
        detail: read.problem.movedTo ? `${read.problem.reason}; the old file was kept as ${read.problem.movedTo}` : read.problem.reason,
      };
      return { value: read.value, notice };
    },
    save: (settings) => writer.write(settings),
    idle: () => writer.idle(),
  };
}
