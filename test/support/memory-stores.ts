/** Settings and history kept in memory, for tests that need no files. */
import { DEFAULT_SETTINGS, type HistoryEntry, type Settings } from '../../app/shared/app-state';
import type { HistoryPort, SettingsPort } from '../../app/main/ports';

export interface MemorySettingsPort extends SettingsPort {
  /** Every saved value, in order. */
  readonly saved: Settings[];
}

export function createMemorySettings(initial: Partial<Settings> = {}): MemorySettingsPort {
  const saved: Settings[] = [];
  return {
    saved,
    load: () => ({ value: { ...DEFAULT_SETTINGS, ...initial }, notice: null }),
    save: (settings) => {
      saved.push({ ...settings });
      return Promise.resolve();
    },
  };
}

export interface MemoryHistoryPort extends HistoryPort {
  readonly saved: HistoryEntry[][];
}

export function createMemoryHistory(initial: readonly HistoryEntry[] = []): MemoryHistoryPort {
  const saved: HistoryEntry[][] = [];
  return {
    saved,
    load: () => ({ value: [...initial], notice: null }),
    save: (entries) => {
      saved.push([...entries]);
      return Promise.resolve();
    },
  };
}
