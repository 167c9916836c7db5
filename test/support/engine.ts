/** Opens the real engine on the stand-in and records what it emits. */
import type { EngineEvent, NotificationRecord, OfflineJob, UpdateOutcome, UpdateSnapshot, UpdateSource } from '../../app/shared/update';
import type { UpdateEngine } from '../../app/main/update/engine-types';
import { openUpdateEngine } from '../../app/main/update/open-engine';
import type { EngineOptions } from '../../app/main/update/engine';

export function openStandinEngine(options: EngineOptions = {}): Promise<UpdateEngine> {
  return openUpdateEngine({ env: process.env, platform: process.platform, trustEnvironment: true, demo: false, log: () => undefined, ...options });
}

export interface Recorded {
  outcome: UpdateOutcome;
  records: NotificationRecord[];
  states: UpdateSnapshot[];
}

/** Starts an update (or an MpCmdRun job) and waits for its `finished` event. */
export async function runUpdate(
  engine: UpdateEngine,
  source: UpdateSource | { source: UpdateSource; offline: OfflineJob } = 'default',
  during?: (engine: UpdateEngine, events: EngineEvent[]) => Promise<void>,
): Promise<Recorded> {
  const events: EngineEvent[] = [];
  const unsubscribe = engine.subscribe((e) => events.push(e), { everyRecord: true });
  try {
    const finished = new Promise<UpdateOutcome>((resolve) => {
      const off = engine.subscribe((e) => {
        if (e.type === 'finished') {
          off();
          resolve(e.outcome);
        }
      });
    });
    await engine.start(typeof source === 'string' ? { source, trigger: 'window' } : { ...source, trigger: 'window' });
    if (during) await during(engine, events);
    const outcome = await finished;
    await engine.whenIdle();
    return {
      outcome,
      records: events.flatMap((e) => (e.type === 'progress' ? e.records : [])),
      states: events.flatMap((e) => (e.type === 'progress' ? [e.snapshot] : [])),
    };
  } finally {
    unsubscribe();
  }
}

/** Resolves when a snapshot matches; rejects after `timeoutMs` with what was last seen (a wait, not a timing check). */
export function waitForState(engine: UpdateEngine, predicate: (s: UpdateSnapshot) => boolean, timeoutMs = 20_000): Promise<UpdateSnapshot> {
  return new Promise((resolve, reject) => {
    if (predicate(engine.getSnapshot())) return resolve(engine.getSnapshot());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state not reached; last: ${JSON.stringify(engine.getSnapshot())}`));
    }, timeoutMs);
    const off = engine.subscribe((e) => {
      if (e.type === 'progress' && predicate(e.snapshot)) {
        clearTimeout(timer);
        off();
        resolve(e.snapshot);
      }
    });
  });
}
