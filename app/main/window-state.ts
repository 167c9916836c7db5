/** The main window's size and position, remembered in window-state.json beside the settings. */
import { z } from 'zod';
import { createJsonStore, keepAll, type StoreLocation } from './json-store';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect | null;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: null, maximized: false };

const int = z.number().int().min(-100_000).max(100_000);
const windowStateSchema = z.object({
  bounds: z.object({ x: int, y: int, width: z.number().int().min(1).max(100_000), height: z.number().int().min(1).max(100_000) }).nullable(),
  maximized: z.boolean(),
});

export interface WindowStateStore {
  load(): WindowState;
  save(state: WindowState): Promise<void>;
}

/** A bad file is moved aside like settings.json; losing a window position needs no notice. */
export function createWindowStateStore(options: StoreLocation): WindowStateStore {
  const store = createJsonStore<WindowState, WindowState>({
    ...options,
    file: 'window-state.json',
    schema: windowStateSchema,
    fallback: () => ({ ...DEFAULT_WINDOW_STATE }),
    salvage: keepAll,
    noticeKey: null,
  });
  return { load: () => store.load().value, save: (value) => store.save(value) };
}

/** Saved bounds are used only if most of the title bar is on a screen that still exists (a monitor may be gone). */
export function visibleBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect | null {
  if (!saved) return null;
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const onScreen = workAreas.some((area) => {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return w >= Math.min(100, titleBar.width) && h >= 16;
  });
  return onScreen ? saved : null;
}
