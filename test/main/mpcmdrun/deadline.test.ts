/** A share that never answers: the wait ends on time with the caller's error, and leaves no timer running. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitAtMost, withDeadline } from '../../../app/main/mpcmdrun/deadline';

const never = new Promise<never>(() => undefined);
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test("a call that never answers is given up with the caller's error once its deadline passes", async () => {
  const before = timers();
  await assert.rejects(
    withDeadline(never, 20, () => new Error('\\\\server\\updates did not answer within 0.02 s')),
    /did not answer/,
  );
  assert.equal(await waitAtMost(never, 20), null);
  assert.equal(timers(), before);
});

test('an answer in time is passed through, and its timer is cleared', async () => {
  const before = timers();
  assert.equal(await withDeadline(Promise.resolve(7), 60_000, () => new Error('late')), 7);
  assert.equal(await waitAtMost(Promise.resolve('done'), 60_000), 'done');
  assert.equal(timers(), before);
});
