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
import { EngineHolder } from './engine-holder';
import { withDeadline } from './update/deadline';
import { DISPOSE_DEADLINE_MS } from './update/engine';
import type { UpdateEngine } from './update/engine-types';
import { openUpdateEngine, type OpenEngineOptions } from './update/open-engine';

export type ComposeOptions = Omit<
  AppControllerOptions,
  'engine' | 'settings' | 'history' | 'rebootStore' | 'scheduler' | 'bootTime' | 'engineReady'
> & {
  /** Where settings, history and the restart prompt's state are kept. */
  userData: string;
  engine: OpenEngineOptions;
  scheduler?: Scheduler;
  /** When Windows booted (epoch ms); from the system's uptime unless given. */
  bootTime?: number;
  /** How long closing may wait for Defender (default DISPOSE_DEADLINE_MS, 8 s: quitting ends within 10 s). */
  disposeDeadlineMs?: number;
};

export interface ComposedApp {
  /** "Connecting" until Defender has answered MpManagerOpen; the app is usable (and closable) meanwhile. */
  engine: UpdateEngine;
  /** Settles once Defender has answered (available or not). */
  engineReady: Promise<void>;
  controller: AppController;
  /** Ends a running update, records it, then stops the controller; within the deadline whatever Defender does. */
  dispose(): Promise<void>;
}

/** What closing the controller may take once the engine is done: its last history write, not a question to Defender. */
const CONTROLLER_DISPOSE_MS = 1_500;

/** Resolves at once: the engine opens in the background, so the window and the tray never wait for Defender. */
export function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const {
    userData,
    engine: engineOptions,
    scheduler = systemScheduler,
    bootTime = Date.now() - uptime() * 1000,
    disposeDeadlineMs = DISPOSE_DEADLINE_MS,
    ...ports
  } = options;
  const engine = new EngineHolder(openUpdateEngine(engineOptions), engineOptions.demo);
  const controller = createAppController({
    ...ports,
    engine,
    engineReady: engine.ready,
    settings: createSettingsStore({ dir: userData }),
    history: createHistoryStore({ dir: userData }),
    rebootStore: createRebootStore({ dir: userData }),
    scheduler,
    bootTime,
  });
  let disposed: Promise<void> | null = null;
  return Promise.resolve({
    engine,
    engineReady: engine.ready,
    controller,
    dispose() {
      disposed ??= (async () => {
        // The engine first: ending a running update emits its result (a hang's too), which the controller records.
        await engine.dispose({ deadlineMs: disposeDeadlineMs });
        await withDeadline(controller.dispose(), CONTROLLER_DISPOSE_MS);
      })();
      return disposed;
    },
  });
}
