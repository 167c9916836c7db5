/**
 * Puts the app's core together: the engine (Defender's MpClient, or the stand-in in demo mode), the stores in the user
 * data folder and the controller over them. The Electron entry (index.ts) and the browser test harness both call this
 * and differ only in the ports they pass: Electron's dialog, clipboard and shutdown.exe, or recorders.
 */
import { uptime } from 'node:os';
import { createAppController, type AppController, type AppControllerOptions } from './app-controller';
import { createHistoryStore } from './history-store';
import { systemScheduler, type Scheduler } from './ports';
import { createRebootStore } from './reboot-store';
import { createSettingsStore } from './settings-store';
import type { UpdateEngine } from './update/engine-types';
import { openUpdateEngine, type OpenEngineOptions } from './update/open-engine';

export type ComposeOptions = Omit<AppControllerOptions, 'engine' | 'settings' | 'history' | 'rebootStore' | 'scheduler' | 'bootTime'> & {
  /** Where settings, history and the restart prompt's state are kept. */
  userData: string;
  engine: OpenEngineOptions;
  scheduler?: Scheduler;
  /** When Windows booted (epoch ms); from the system's uptime unless given. */
  bootTime?: number;
};

export interface ComposedApp {
  engine: UpdateEngine;
  controller: AppController;
  /** Ends a running update, records it, then stops the controller. */
  dispose(): Promise<void>;
}

export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const { userData, engine: engineOptions, scheduler = systemScheduler, bootTime = Date.now() - uptime() * 1000, ...ports } = options;
  const engine = await openUpdateEngine(engineOptions);
  const controller = createAppController({
    ...ports,
    engine,
    settings: createSettingsStore({ dir: userData }),
    history: createHistoryStore({ dir: userData }),
    rebootStore: createRebootStore({ dir: userData }),
    scheduler,
    bootTime,
  });
  let disposed: Promise<void> | null = null;
  return {
    engine,
    controller,
    dispose() {
      disposed ??= (async () => {
        // The engine first: ending a running update emits its result, which the controller still records in history.
        await engine.dispose();
        await controller.dispose();
      })();
      return disposed;
    },
  };
}
