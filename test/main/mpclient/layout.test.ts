/** The binding's struct declarations match what a C compiler makes of the header, on this platform's ABI. */
import assert from 'node:assert/strict';
import * as koffi from 'koffi';
import { test } from 'node:test';
import { BINDING_STRUCTS } from '../../../app/main/mpclient/binding';
import { compareLayouts, runLayoutProbe } from '../../support/layout';

test('every struct, size and offset the binding declares matches the C layout', () => {
  const probe = runLayoutProbe();
  assert.deepEqual(compareLayouts(probe, BINDING_STRUCTS), []);
  assert.equal(probe.structs.MPVERSION_INFO?.size, 192);
  assert.equal(probe.structs.MPVERSION_INFO?.fields.AVSignature, 80);
});

test('a wrong offset in a declaration is reported with both numbers', () => {
  const probe = runLayoutProbe();
  // A plausible mistake: hResult typed as 64-bit, which moves TimeStamp and everything after it.
  const wrong = koffi.struct('MPCALLBACK_DATA_WRONG', {
    Notify: 'int32_t',
    hResult: 'int64_t',
    TimeStamp: 'uint64_t',
    Type: 'int32_t',
    Data: 'void *',
  });
  const problems = compareLayouts({ ...probe, structs: { MPCALLBACK_DATA_WRONG: probe.structs.MPCALLBACK_DATA! } }, { MPCALLBACK_DATA_WRONG: wrong });
  assert.ok(problems.includes('MPCALLBACK_DATA_WRONG.hResult offset: C 4, koffi 8'), problems.join('\n'));
  assert.ok(problems.includes('MPCALLBACK_DATA_WRONG size: C 32, koffi 40'), problems.join('\n'));
});
