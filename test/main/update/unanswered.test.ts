/**
 * A Defender that stops answering, with the real engine on the stand-in's misbehaving scenarios: a call that never
 * returns is given up at a deadline and named, a string without its terminator is cut at Windows' longest path. Each
 * test releases the calls it hung, so the test process can end (its exit waits for every worker thread).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, test } from 'node:test';
import { MAX_WIDE_STRING_UNITS, registeredCallbackCount } from '../../../app/main/mpclient/binding';
import type { UpdateEngine } from '../../../app/main/update/engine-types';
import type { UpdateOutcome } from '../../../app/shared/update';
import { openStandinEngine, runUpdate } from '../../support/engine';
import { hungStandinCalls, releaseStandinHangs, standinCounters, useStandin } from '../../support/standin';
import { renderMessage } from '../../../app/shared/messages';

const standin = useStandin();
after(() => standin.cleanup());

const opened: UpdateEngine[] = [];
const handlesBefore = standinCounters().openHandles;

async function until(what: string, predicate: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  releaseStandinHangs();
  // What the released calls still had to do (close the handles, unregister the callback) finishes on its own.
  await Promise.all(opened.splice(0).map((engine) => engine.dispose()));
  await until('every handle closed after the release', () => standinCounters().openHandles === handlesBefore && hungStandinCalls() === 0);
  await until('every callback unregistered', () => registeredCallbackCount() === 0);
  standin.apply({ scenario: 'updated' });
});

async function engineFor(scenario: string, options: Parameters<typeof openStandinEngine>[0] = {}) {
  standin.apply({ scenario, stepMs: 1 });
  // The scenario list starts from its first entry again (the position is kept in the state file).
  rmSync(standin.stateFile, { force: true });
  const engine = await openStandinEngine(options);
  assert.equal(engine.availability.kind, 'available', JSON.stringify(engine.availability));
  opened.push(engine);
  const outcomes: UpdateOutcome[] = [];
  engine.subscribe((event) => {
    if (event.type === 'finished') outcomes.push(event.outcome);
  });
  return { engine, outcomes };
}

test('an MpUpdateStart that never returns: closing gives up at its deadline and records "Defender did not answer"', async () => {
  const { engine, outcomes } = await engineFor('start-hangs');
  await engine.start({ source: 'default', trigger: 'window' });
  await until('MpUpdateStart is hung', () => hungStandinCalls() === 1);
  assert.equal(engine.pendingNativeCall(), 'MpUpdateStart');

  const { unanswered } = await engine.dispose({ deadlineMs: 200 });

  assert.equal(unanswered, 'MpUpdateStart');
  assert.equal(hungStandinCalls(), 1, 'Defender still holds the call: dispose did not wait for it');
  assert.equal(outcomes.length, 1, 'the update still has its one result, for the history');
  assert.equal(outcomes[0]?.result, 'failed');
  assert.equal(outcomes[0]?.error?.kind, 'no-answer');
  assert.match(outcomes[0] ? renderMessage('en', outcomes[0].message) : '', /^Defender did not answer: MpUpdateStart did not return\.$/);
});

test('an MpHandleClose that never returns: closing ends within its deadline and the update counts as failed, no answer', async () => {
  const { engine, outcomes } = await engineFor('close-hangs');
  await engine.start({ source: 'default', trigger: 'window' });
  await until('MpHandleClose is hung', () => hungStandinCalls() === 1);
  assert.equal(outcomes.length, 0, 'no result while the update handle is not closed');

  const { unanswered } = await engine.dispose({ deadlineMs: 200 });

  assert.equal(unanswered, 'MpHandleClose');
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0]?.result, 'failed');
  assert.equal(outcomes[0]?.error?.kind, 'no-answer');
  assert.match(outcomes[0] ? renderMessage('en', outcomes[0].message) : '', /MpHandleClose did not return/);
});

test('a Path with no terminator is cut at 32,767 units and the update goes on to its result', async () => {
  const { engine } = await engineFor('path-unterminated');
  const { outcome, records } = await runUpdate(engine);
  assert.equal(outcome.result, 'succeeded');
  const paths = records.flatMap((record) => (record.path === null ? [] : [record.path]));
  assert.ok(paths.length > 5, 'every notification with data carried the unterminated Path');
  for (const path of paths) {
    assert.equal(path.length, MAX_WIDE_STRING_UNITS);
    assert.ok(path.startsWith('abcdefghijklmnopqrstuvwxyzabc'), 'the units before the cut are kept as they were');
  }
});

test('a version query that never returns holds up neither the update nor its result, and is not asked again meanwhile', async () => {
  const { engine } = await engineFor('version-query-hangs,updated', { queryDeadlineMs: 100 });
  const { outcome } = await runUpdate(engine);
  assert.equal(outcome.result, 'succeeded');
  assert.equal(outcome.versionsBefore, null, 'no versions from before: the query never answered');
  assert.equal(outcome.versionsAfter, null, 'nor after: the first query is still out');
  assert.equal(hungStandinCalls(), 1, 'one worker thread held, not one per question');
  releaseStandinHangs();
  await until('the first query returned', () => engine.pendingNativeCall() === null);
  assert.notEqual(await engine.readVersions(), null, 'once it has, Defender is asked again and answers');
});
