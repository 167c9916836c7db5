/**
 * The real binding and engine against the stand-in MpClient, one scenario at a time. The same bundle runs on Linux
 * (the .so) and under Wine with the Windows node.exe (the mingw DLL).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { registeredCallbackCount } from '../../../app/main/mpclient/binding';
import type { UpdateEngine } from '../../../app/main/update/engine-types';
import { english, openStandinEngine, runUpdate, waitForState } from '../../support/engine';
import { lastUpdateOptions, standinCounters, useStandin } from '../../support/standin';

const standin = useStandin();
let engine: UpdateEngine;

before(async () => {
  engine = await openStandinEngine({ watchdogMs: 60_000 });
  assert.equal(engine.availability.kind, 'available', JSON.stringify(engine.availability));
});
after(async () => {
  await engine.dispose();
  standin.cleanup();
});
afterEach(() => standin.apply({ scenario: 'updated', admin: false, lang: 'en', stepMs: 1 }));

function assertNothingLeaks() {
  const c = standinCounters();
  assert.equal(c.runningUpdates, 0, 'no update left running');
  // One handle stays open: the engine's manager handle.
  assert.equal(c.openHandles, 1, 'only the manager handle is open');
  assert.equal(c.unfreedBuffers, 0, 'every MpErrorMessageFormat buffer was freed');
  assert.equal(registeredCallbackCount(), 0, 'no koffi callback left registered');
  // The real DLL throws C++ exceptions inside itself: no call of ours may run on the JS thread (docs/mpclient.md).
  assert.equal(c.jsThreadCalls, 0, 'every MpClient call ran on a koffi worker thread');
}

describe('an update that finds new signatures', () => {
  test('walks search, download and install in order and ends updated with a higher version', async () => {
    const { outcome, records, states } = await runUpdate(engine);
    assert.equal(outcome.result, 'succeeded');
    assert.equal(outcome.hresult, 0);
    const phases = states.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['starting', 'searching', 'downloading', 'installing', 'finishing', 'succeeded']);
    const before = outcome.versionsBefore?.antivirus.version;
    const after = outcome.versionsAfter?.antivirus.version;
    assert.ok(before && after, 'versions are read before and after');
    const [a, b, build, rev] = before.split('.').map(Number);
    assert.equal(after, [a, b, (build ?? 0) + 1, rev].join('.'));
    assert.ok(Date.parse(outcome.versionsAfter?.antivirus.updatedAt ?? '') > Date.now() - 60_000, 'the update time is now');
    assertNothingLeaks();
    // Progress over two updates, counted from one.
    const progress = records.filter((r) => r.notify === 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS');
    assert.ok(progress.length >= 2);
    assert.deepEqual([...new Set(progress.map((r) => `${r.current}/${r.total}`))], ['1/2', '2/2']);
    const percents = progress.map((r) => r.percent ?? -1);
    assert.deepEqual(
      percents,
      [...percents].sort((x, y) => x - y),
      'download percent never goes back',
    );
  });

  test('copies the update path out of Defender buffers before they are overwritten', async () => {
    const { records } = await runUpdate(engine);
    const paths = records.flatMap((r) => (r.path ? [r.path] : []));
    assert.ok(paths.length > 0);
    // The real DLL puts the server's URL there (docs/mpclient.md "Structures").
    for (const path of paths) assert.match(path, /^https:\/\/\S+\/$/);
  });

  test('a second request while one runs joins it instead of starting another', async () => {
    const callbacksBefore = standinCounters().callbacks;
    const first = await engine.start({ source: 'default', trigger: 'window' });
    const second = await engine.start({ source: 'default', trigger: 'tray' });
    assert.equal(second.joined, true);
    assert.equal(second.runId, first.runId);
    await engine.whenIdle();
    const { records } = await runUpdate(engine);
    // Two updates ran in total (the joined pair, then one more), so exactly twice the callbacks of one.
    assert.equal(standinCounters().callbacks - callbacksBefore, records.length * 2);
    assertNothingLeaks();
  });

  test('works the same when Defender runs the update synchronously inside the start call', async () => {
    const syncEngine = await openStandinEngine({ synchronous: true });
    try {
      const { outcome, states } = await runUpdate(syncEngine);
      assert.equal(outcome.result, 'succeeded');
      assert.ok(
        states.some((s) => s.phase === 'downloading'),
        'progress arrived while the start call was blocked',
      );
    } finally {
      await syncEngine.dispose();
    }
    assertNothingLeaks();
  });
});

describe('results other than an update', () => {
  test('already up to date: COMPLETE with S_FALSE', async () => {
    standin.apply({ scenario: 'up-to-date' });
    const { outcome } = await runUpdate(engine);
    assert.equal(outcome.result, 'up-to-date');
    assert.equal(outcome.hresult, 1);
    assert.equal(outcome.versionsAfter?.antivirus.version, outcome.versionsBefore?.antivirus.version);
  });

  test('up to date reported inline, on the thread that is still inside MpUpdateStart', async () => {
    standin.apply({ scenario: 'shared-root' });
    const { outcome } = await runUpdate(engine);
    assert.equal(outcome.result, 'up-to-date');
    assertNothingLeaks();
  });

  test('a needed restart ends the update as reboot-required', async () => {
    standin.apply({ scenario: 'reboot' });
    const { outcome, records } = await runUpdate(engine);
    assert.equal(outcome.result, 'reboot-required');
    assert.ok(records.some((r) => r.notify === 'MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED'));
  });
});

describe('failures are explained', () => {
  test('a network failure during download fails with Defender text for 0x80072EE7', async () => {
    standin.apply({ scenario: 'network-failure' });
    const { outcome, states } = await runUpdate(engine);
    assert.equal(outcome.result, 'failed');
    assert.equal(outcome.error?.kind, 'internal-failure');
    assert.equal(outcome.error?.hex, '0x80072EE7');
    assert.match(english(outcome.error?.message), /server name or address could not be resolved/i);
    assert.ok(
      states.some((s) => s.phase === 'downloading'),
      'it failed during the download',
    );
    assertNothingLeaks();
  });

  test('access denied at start fails at once with no handle left behind', async () => {
    standin.apply({ scenario: 'access-denied' });
    const { outcome, records } = await runUpdate(engine);
    assert.equal(outcome.result, 'failed');
    assert.equal(outcome.error?.kind, 'start-failed');
    assert.equal(outcome.error?.hex, '0x80070005');
    assert.match(english(outcome.error?.message), /access is denied/i);
    assert.equal(records.length, 0);
    assertNothingLeaks();
  });

  test('an install failure reported by REQUEST_PROCESSED fails with 0x8050A004', async () => {
    standin.apply({ scenario: 'install-failure' });
    const { outcome } = await runUpdate(engine);
    assert.equal(outcome.result, 'failed');
    assert.equal(outcome.error?.kind, 'update-failed');
    assert.equal(outcome.error?.hex, '0x8050A004');
  });

  test('a source this machine rejects names the source instead of a bare E_INVALIDARG', async () => {
    standin.apply({ scenario: 'source-unsupported' });
    const { outcome } = await runUpdate(engine, 'wsus');
    assert.equal(outcome.result, 'failed');
    assert.equal(outcome.error?.kind, 'source-unsupported');
    assert.equal(outcome.error?.source, 'wsus');
    assert.equal(outcome.error?.hex, '0x80070057');
    // The default source still works on the same machine.
    const retry = await runUpdate(engine, 'default');
    assert.equal(retry.outcome.result, 'succeeded');
  });

  test('Defender texts arrive in the user language as UTF-16', async () => {
    standin.apply({ scenario: 'network-failure', lang: 'ru' });
    const { outcome } = await runUpdate(engine);
    assert.match(english(outcome.error?.message), /[А-Яа-яЁё]/);
    assertNothingLeaks();
  });
});

describe('odd notifications', () => {
  test('unknown codes and missing data are kept in the log and never fatal', async () => {
    standin.apply({ scenario: 'unknown-codes' });
    const { outcome, records, states } = await runUpdate(engine);
    assert.equal(outcome.result, 'succeeded');
    const unknown = records.filter((r) => r.notify.startsWith('UNKNOWN_'));
    assert.deepEqual(
      unknown.map((r) => r.notify),
      ['UNKNOWN_0x8042', 'UNKNOWN_0x9999'],
    );
    // 0x8042 carried Stage = download: the phase follows the stage.
    assert.equal(unknown[0]?.phase, 'downloading');
    assert.ok(
      records.some((r) => r.notify === 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS' && r.percent === null),
      'a NULL pSigUpdateData is decoded as no data',
    );
    assert.deepEqual(states.at(-1)?.unknownCodes, [0x8042, 0x9999]);
  });

  test('a storm of 10,000 progress notifications all arrive and the update ends with the exact final state', async () => {
    standin.apply({ scenario: 'storm', stepMs: 0 });
    const { outcome, records, states } = await runUpdate(engine);
    assert.equal(outcome.result, 'succeeded');
    assert.equal(records.filter((r) => r.notify === 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS').length, 10_000);
    assert.deepEqual(
      records.map((r) => r.seq),
      records.map((_, i) => i + 1),
      'in order, none lost',
    );
    assert.equal(states.at(-1)?.phase, 'succeeded');
    assert.equal(states.at(-1)?.percent, 100);
    assertNothingLeaks();
  });
});

describe('stalls and cancelling', () => {
  test('silence past the watchdog marks the update stalled, and cancel ends it as cancelled', async () => {
    standin.apply({ scenario: 'stalled' });
    const watched = await openStandinEngine({ watchdogMs: 300 });
    try {
      const { outcome } = await runUpdate(watched, 'mmpc', async (e) => {
        await waitForState(e, (s) => s.stalled);
        assert.deepEqual(await e.cancel(), { kind: 'requested' });
      });
      assert.equal(outcome.result, 'cancelled');
      assert.equal(watched.getSnapshot().stalled, false);
    } finally {
      await watched.dispose();
    }
    assertNothingLeaks();
  });

  test('cancel aborts a running direct download through MpUpdateControl on the manager handle', async () => {
    standin.apply({ scenario: 'slow' });
    const { outcome } = await runUpdate(engine, 'mmpc', async (e) => {
      await waitForState(e, (s) => s.phase === 'downloading');
      assert.deepEqual(await e.cancel(), { kind: 'requested' });
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.versionsAfter?.antivirus.version, outcome.versionsBefore?.antivirus.version, 'nothing was installed');
    assertNothingLeaks();
  });

  test('a refused cancel (WSUS needs an administrator) is explained and the update goes on', async () => {
    standin.apply({ scenario: 'slow' });
    const { outcome } = await runUpdate(engine, 'wsus', async (e) => {
      await waitForState(e, (s) => s.phase === 'downloading');
      const result = await e.cancel();
      assert.equal(result.kind, 'refused');
      const error = result.kind === 'refused' ? result.error : null;
      assert.equal(error?.kind, 'cancel-refused');
      assert.equal(error?.hex, '0x80070005');
      assert.match(english(error?.message), /access is denied/i, "Defender's own text for the code");
      assert.equal(error?.updateType, e.getSnapshot().sigType, 'explained from the type Defender reported');
      assert.ok(e.getSnapshot().cancelRefusal, 'the refusal is in the state the window shows');
    });
    assert.equal(outcome.result, 'succeeded');
  });

  test('INTERNAL_FAILURE with no COMPLETE after it still ends the update, as failed', async () => {
    standin.apply({ scenario: 'failure-no-complete' });
    const quick = await openStandinEngine({ graceMs: 300 });
    try {
      const { outcome } = await runUpdate(quick);
      assert.equal(outcome.result, 'failed');
      assert.equal(outcome.error?.hex, '0x80072EFD');
    } finally {
      await quick.dispose();
    }
    assertNothingLeaks();
  });

  test('a cancel Defender accepts but never confirms still ends the update, as cancelled', async () => {
    standin.apply({ scenario: 'abort-ignored' });
    const quick = await openStandinEngine({ graceMs: 300 });
    try {
      const { outcome } = await runUpdate(quick, 'mmpc', async (e) => {
        await waitForState(e, (s) => s.phase === 'searching');
        assert.deepEqual(await e.cancel(), { kind: 'requested' });
      });
      assert.equal(outcome.result, 'cancelled');
    } finally {
      await quick.dispose();
    }
    assertNothingLeaks();
  });

  test('closing the app mid-update ends it as cancelled and closes every handle', async () => {
    standin.apply({ scenario: 'stalled' });
    const closing = await openStandinEngine();
    let finished: string | null = null;
    closing.subscribe((e) => {
      if (e.type === 'finished') finished = e.outcome.result;
    });
    await closing.start({ source: 'default', trigger: 'window' });
    await waitForState(closing, (s) => s.phase === 'searching');
    await closing.dispose();
    assert.equal(finished, 'cancelled');
    await assert.rejects(closing.start({ source: 'default', trigger: 'window' }), /closed/);
    assertNothingLeaks();
  });

  test('closing the app before Defender was even asked starts nothing', async () => {
    standin.apply({ scenario: 'slow' });
    const early = await openStandinEngine();
    const callbacksBefore = standinCounters().callbacks;
    let result: string | null = null;
    early.subscribe((e) => {
      if (e.type === 'finished') result = e.outcome.result;
    });
    await early.start({ source: 'default', trigger: 'window' });
    await early.dispose();
    assert.equal(result, 'cancelled');
    assert.equal(standinCounters().callbacks, callbacksBefore, 'MpUpdateStart was never called');
    assertNothingLeaks();
  });

  test('back-to-back updates never overlap: the next starts only after the last handle is closed', async () => {
    // Inline COMPLETE arrives before MpUpdateStart returns, so the first run ends while its start call is still open.
    standin.apply({ scenario: 'shared-root,updated' });
    const seen: number[] = [];
    const off = engine.subscribe((e) => {
      if (e.type === 'progress' && e.records[0]?.seq === 1) seen.push(standinCounters().openHandles);
    });
    const first = runUpdate(engine);
    await first;
    await Promise.all([runUpdate(engine), runUpdate(engine)]);
    off();
    // Manager + the one running update, never a second update handle beside it.
    assert.ok(
      seen.every((n) => n === 2),
      `open handles at each start: ${seen.join(', ')}`,
    );
    assertNothingLeaks();
  });

  test('cancel when nothing runs says so', async () => {
    assert.deepEqual(await engine.cancel(), { kind: 'not-running' });
  });
});

describe('resources', () => {
  test('1,000 consecutive updates leave no handle, buffer or callback behind', async () => {
    const scenarios = ['updated', 'network-failure', 'up-to-date', 'access-denied'];
    const results = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      standin.apply({ scenario: scenarios[i % scenarios.length], stepMs: 0 });
      const { outcome } = await runUpdate(engine);
      results.set(outcome.result, (results.get(outcome.result) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(results), { succeeded: 250, failed: 500, 'up-to-date': 250 });
    assertNothingLeaks();
  });
});

describe('what the real MpClient.dll does (docs/mpclient.md)', () => {
  test('every update asks for ASYNC | PROGRESS, plus one source bit: 0x8 direct download, 0x20 file shares', async () => {
    const sent: Record<string, number | null> = {};
    for (const source of ['default', 'mmpc', 'file-share'] as const) {
      await runUpdate(engine, source);
      sent[source] = lastUpdateOptions(standin.stateFile);
    }
    assert.deepEqual(sent, { default: 0x3, mmpc: 0x8 | 0x3, 'file-share': 0x20 | 0x3 });
  });

  test('the update type shown is the one Defender reported, not one guessed from the source', async () => {
    standin.apply({ serviceTypes: '0x80=unmanaged,default=http' });
    const wsus = await runUpdate(engine, 'wsus');
    assert.equal(wsus.outcome.updateType, 'unmanaged');
    assert.ok(wsus.records.every((r) => r.sigType === null || r.sigType === 'unmanaged'));
    const direct = await runUpdate(engine, 'mmpc');
    assert.equal(direct.outcome.updateType, 'http');
  });

  test('a failure reported only by COMPLETE is a failure with that code', async () => {
    standin.apply({ scenario: 'complete-failure' });
    const { outcome, records } = await runUpdate(engine);
    assert.ok(!records.some((r) => r.notify === 'MPNOTIFY_INTERNAL_FAILURE'), 'no INTERNAL_FAILURE before it');
    assert.equal(outcome.result, 'failed');
    assert.equal(outcome.error?.kind, 'update-failed');
    assert.equal(outcome.error?.hex, '0x80240022');
    assert.match(english(outcome.error?.message), /failed for all the updates/i, "Defender's text for the code");
    assertNothingLeaks();
  });

  test('a DLL that wants the update handle in MpUpdateControl, as the docs say, still cancels', async () => {
    standin.apply({ scenario: 'slow', controlAcceptsUpdateHandle: true });
    const { outcome } = await runUpdate(engine, 'mmpc', async (e) => {
      await waitForState(e, (s) => s.phase === 'downloading');
      assert.deepEqual(await e.cancel(), { kind: 'requested' });
    });
    assert.equal(outcome.result, 'cancelled');
    assertNothingLeaks();
  });

  test('a refused cancel is explained from the type Defender reported, not the source asked for', async () => {
    // "default" asks for no source; Defender reports Microsoft Update, whose updates only an administrator may cancel.
    standin.apply({ scenario: 'slow', serviceTypes: 'default=unmanaged' });
    await runUpdate(engine, 'default', async (e) => {
      await waitForState(e, (s) => s.phase === 'downloading');
      const result = await e.cancel();
      assert.equal(result.kind, 'refused');
      if (result.kind !== 'refused') return;
      assert.equal(result.error.source, 'default');
      assert.equal(result.error.updateType, 'unmanaged');
    });
  });

  describe('a PC whose signatures come from a shared folder (SharedSignatureRoot)', () => {
    test('"up to date" inside the start call says where the signatures come from', async () => {
      standin.apply({ scenario: 'shared-root' });
      const vdi = await openStandinEngine({ readSharedSignatureRoot: () => '\\\\fileserver\\Signatures' });
      try {
        const { outcome } = await runUpdate(vdi);
        assert.equal(outcome.result, 'up-to-date');
        assert.equal(outcome.sharedSignatureRoot, '\\\\fileserver\\Signatures');
        assert.equal(
          english(outcome.message),
          'This PC takes its security intelligence from a shared folder set by your organization (\\\\fileserver\\Signatures); it is updated there.',
        );
        assert.equal(vdi.getSnapshot().sharedSignatureRoot, '\\\\fileserver\\Signatures', 'the window shows it too');
      } finally {
        await vdi.dispose();
      }
    });

    test('without the setting the same answer is plain "up to date"', async () => {
      standin.apply({ scenario: 'shared-root' });
      const { outcome } = await runUpdate(engine);
      assert.equal(outcome.result, 'up-to-date');
      assert.equal(outcome.sharedSignatureRoot, null);
      assert.match(english(outcome.message), /already up to date/);
    });

    test('with the setting, an update that ran and found nothing is still plain "up to date"', async () => {
      standin.apply({ scenario: 'up-to-date' });
      const vdi = await openStandinEngine({ readSharedSignatureRoot: () => '\\\\fileserver\\Signatures' });
      try {
        const { outcome } = await runUpdate(vdi);
        assert.equal(outcome.result, 'up-to-date');
        assert.equal(outcome.sharedSignatureRoot, null, 'only the shortcut inside the start call means "shared folder"');
      } finally {
        await vdi.dispose();
      }
    });
  });
});
