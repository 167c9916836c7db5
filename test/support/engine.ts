/** Opens the real engine on the stand-in and records what it emits. */
import assert from 'node:assert/strict';
import { DICTIONARIES, isMessageKey, renderMessage, type Lang, type Message } from '../../app/shared/messages';
import type { EngineEvent, NotificationRecord, OfflineJob, UpdateOutcome, UpdateSnapshot, UpdateSource } from '../../app/shared/update';
import type { UpdateEngine } from '../../app/main/update/engine-types';
import { openUpdateEngine } from '../../app/main/update/open-engine';
import type { EngineOptions } from '../../app/main/update/engine';

export async function openStandinEngine(options: EngineOptions = {}): Promise<UpdateEngine> {
  const engine = await openUpdateEngine({
    env: process.env,
    platform: process.platform,
    trustEnvironment: true,
    demo: false,
    log: () => undefined,
    ...options,
  });
  if (engine.availability.kind === 'unavailable') assertWorded(engine.availability.message);
  return engine;
}

/**
 * Every sentence the engine produces comes from the message table: a known key, every placeholder filled, in every
 * language (Defender's own text travels inside `message.verbatim`). English outside the table fails here.
 */
export function assertWorded(m: Message | null | undefined): void {
  if (!m) return;
  assert.ok(isMessageKey(m.key), `not a key of the message table: ${JSON.stringify(m)}`);
  for (const lang of Object.keys(DICTIONARIES) as Lang[]) {
    assert.doesNotMatch(renderMessage(lang, m), /\{\w+\}/, `${lang}: a placeholder of ${m.key} was left unfilled`);
  }
  for (const value of Object.values(m.params ?? {})) if (typeof value === 'object') assertWorded(value);
}

/** A message as English text, once it is known to come from the table. */
export function english(m: Message | null | undefined): string {
  assertWorded(m);
  return m ? renderMessage('en', m) : '';
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
    assertWorded(outcome.message);
    assertWorded(outcome.error?.message);
    for (const e of events) if (e.type === 'progress') [e.snapshot.error, e.snapshot.cancelRefusal].forEach((err) => assertWorded(err?.message));
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
