/**
 * What the main process runs, without Electron: the real engine on the stand-in and the app's controller over it, with
 * in-memory stores and the system clock. The controller's events are what would go over IPC.
 */
import { createAppController, type AppController } from '../app/main/app-controller';
import { systemScheduler } from '../app/main/ports';
import type { UpdateEngine } from '../app/main/update/engine-types';
import type { AppEvent } from '../app/shared/ipc';
import { recordingShellPorts } from '../test/main/fakes';
import { openStandinEngine } from '../test/support/engine';
import { createMemoryHistory, createMemorySettings } from '../test/support/memory-stores';
import { withDeadline } from './figures';

export interface AppRig {
  engine: UpdateEngine;
  controller: AppController;
  /** Starts an update as the window's button does; resolves once it finished and the engine let go of its handles. */
  runUpdate(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openAppRig(): Promise<AppRig> {
  const engine = await openStandinEngine({});
  if (engine.availability.kind !== 'available') throw new Error(`the stand-in did not load: ${JSON.stringify(engine.availability)}`);
  const history = createMemoryHistory();
  const controller = createAppController({
    engine,
    settings: createMemorySettings(),
    history,
    ...recordingShellPorts(),
    scheduler: systemScheduler,
    appVersion: '0.0.0-bench',
  });
  return {
    engine,
    controller,
    async runUpdate() {
      let off = () => {};
      const finished = new Promise<void>((resolve) => {
        off = controller.subscribe((event: AppEvent) => {
          if (event.type === 'finished') resolve();
        });
      });
      const started = await controller.startUpdate('window');
      if (!started.ok) {
        off();
        throw new Error(`the update did not start: ${started.error.message}`);
      }
      await withDeadline(finished, 120_000, 'the update did not finish');
      off();
      await engine.whenIdle();
      // The memory store keeps every saved history as a test would read it; the app keeps only the file.
      history.saved.splice(0);
    },
    async dispose() {
      await engine.dispose();
      await controller.dispose();
    },
  };
}
