/**
 * Puts the app's core together: the engine (Defender's MpClient, or the stand-in in demo mode), the stores in the user
 * data folder, the controller over them, the automatic check's schedule and the freshness watch. The Electron entry
 * (index.ts) and the browser test harness both call this and differ only in the ports they pass: Electron's dialog,
 * clipboard, notifications and shutdown.exe, or recorders.
 */
import { uptime } from 'node:os';
import { createAppController, type AppController, type AppControllerOptions } from './app-controller';
import { createFreshnessWatch, FAILURES_IN_A_ROW, type FreshnessAlert } from './freshness';
import { createHistoryStore } from './history-store';
import { systemScheduler, type Scheduler } from './ports';
import { createRebootStore } from './reboot-store';
import { createCheckSchedule } from './schedule';
import { createScheduleStore } from './schedule-store';
import { createSettingsStore } from './settings-store';
import { EngineHolder } from './engine-holder';
import { withDeadline } from './update/deadline';
import { DISPOSE_DEADLINE_MS } from './update/engine';
import type { UpdateEngine } from './update/engine-types';
import { openUpdateEngine, type OpenEngineOptions } from './update/open-engine';

export type ComposeOptions = Omit<
  AppControllerOptions,
  'engine' | 'settings' | 'history' | 'rebootStore' | 'scheduler' | 'bootTime' | 'schedule' | 'engineReady'
> & {
  /** Where settings, history, the restart prompt's state and the schedule are kept. */
  userData: string;
  engine: OpenEngineOptions;
  scheduler?: Scheduler;
  /** When Windows booted (epoch ms); from the system's uptime unless given. */
  bootTime?: number;
  /** Shows the "security intelligence is N days old" notification (the notifier in the app; recorded in the harness). */
  notifyFreshness?: (alert: FreshnessAlert) => void;
  /** How long closing may wait for Defender (default DISPOSE_DEADLINE_MS, 8 s: quitting ends within 10 s). */
  disposeDeadlineMs?: number;
};

export interface ComposedApp {
  /** "Connecting" until Defender has answered MpManagerOpen; the app is usable (and closable) meanwhile. */
  engine: UpdateEngine;
  /** Settles once Defender has answered (available or not). */
  engineReady: Promise<void>;
  controller: AppController;
  /** The computer woke up from sleep: re-plan the schedule and look at freshness now (resolves when it has looked). */
  resume(): Promise<void>;
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
    notifyFreshness,
    disposeDeadlineMs = DISPOSE_DEADLINE_MS,
    ...ports
  } = options;
  const engine = new EngineHolder(openUpdateEngine(engineOptions), engineOptions.demo);
  const scheduleStore = createScheduleStore({ dir: userData });
  const saved = scheduleStore.load();
  const persist = (patch: Parameters<typeof scheduleStore.update>[0]) => void scheduleStore.update(patch).catch(() => undefined);

  const scheduleListeners = new Set<() => void>();
  let controller: AppController | null = null;
  const schedule = createCheckSchedule({
    clock: scheduler,
    lastCheckAt: saved.lastCheckAt,
    run: () => void controller?.startUpdate('schedule'),
    onChange: (status) => {
      persist({ lastCheckAt: status.lastCheckAt });
      for (const listener of scheduleListeners) listener();
    },
  });
  const ctrl = createAppController({
    ...ports,
    engine,
    engineReady: engine.ready,
    settings: createSettingsStore({ dir: userData }),
    history: createHistoryStore({ dir: userData }),
    rebootStore: createRebootStore({ dir: userData }),
    scheduler,
    bootTime,
    schedule: {
      status: () => schedule.status(),
      subscribe(listener) {
        scheduleListeners.add(listener);
        return () => scheduleListeners.delete(listener);
      },
    },
    onSettingsChanged: (next, previous) => {
      schedule.configure(next.autoCheckHours);
      ports.onSettingsChanged?.(next, previous);
    },
  });
  controller = ctrl;
  // Every update is a check, whoever started it: the next automatic one counts from its end.
  const unsubscribe = ctrl.subscribe((event) => {
    if (event.type === 'finished') schedule.checked(event.outcome.endedAt);
  });
  schedule.configure(ctrl.getState().settings.autoCheckHours);

  const freshness = createFreshnessWatch({
    clock: scheduler,
    enabled: () => ctrl.getState().settings.watchFreshness,
    readVersions: () => ctrl.refreshVersions(),
    recentResults: () => Promise.resolve(ctrl.recentResults(FAILURES_IN_A_ROW)),
    notify: (alert) => notifyFreshness?.(alert),
    notifiedAt: saved.freshnessNotifiedAt,
    saveNotifiedAt: (at) => persist({ freshnessNotifiedAt: at }),
  });
  let disposed: Promise<void> | null = null;
  // The first look waits for Defender's answer: while it is still connecting there are no versions to judge.
  void engine.ready.then(
    () => disposed === null && freshness.start(),
    () => undefined,
  );
  return Promise.resolve({
    engine,
    engineReady: engine.ready,
    controller: ctrl,
    async resume() {
      schedule.resume();
      await freshness.resume();
    },
    dispose() {
      disposed ??= (async () => {
        schedule.dispose();
        freshness.dispose();
        // The engine first: ending a running update emits its result (a hang's too), which the controller records.
        await engine.dispose({ deadlineMs: disposeDeadlineMs });
        unsubscribe();
        await withDeadline(ctrl.dispose(), CONTROLLER_DISPOSE_MS);
        await withDeadline(scheduleStore.idle(), CONTROLLER_DISPOSE_MS);
      })();
      return disposed;
    },
  });
}
