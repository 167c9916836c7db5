/** An update's end, with whatever a test sets; the rest is a plain, finished-with-nothing default. */
import { verbatim } from '../../app/shared/messages';
import type { UpdateOutcome } from '../../app/shared/update';

export function outcomeOf(overrides: Partial<UpdateOutcome> & Pick<UpdateOutcome, 'result'>): UpdateOutcome {
  return {
    runId: 1,
    source: 'default',
    trigger: 'window',
    startedAt: 0,
    endedAt: 1,
    hresult: 0,
    message: verbatim(''),
    error: null,
    versionsBefore: null,
    versionsAfter: null,
    updateType: null,
    sharedSignatureRoot: null,
    ...overrides,
  };
}
