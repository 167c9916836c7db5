/** Automatic update every 4, 8 or 24 hours while the app runs (in the tray); off by default. */
import type { AutoCheckHours } from '../shared/app-state';
import type { Scheduler, TimerHandle } from './ports';

export interface AutoCheck {
  /** Applies the interval; a changed interval counts from now, the same one keeps its timer. */
  configure(hours: AutoCheckHours): void;
  dispose(): void;
}

export function createAutoCheck(options: { scheduler: Scheduler; run: () => void }): AutoCheck {
  const { scheduler } = options;
  let hours: AutoCheckHours = 0;
  let timer: TimerHandle | null = null;

  const stop = (): void => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
  };
  const arm = (): void => {
    stop();
    if (hours === 0) return;
    timer = scheduler.setTimeout(() => {
      timer = null;
      arm();
      options.run();
    }, hours * 3_600_000);
  };

  return {
    configure(next) {
      if (next === hours) return;
      hours = next;
      arm();
    },
    dispose: stop,
  };
}
