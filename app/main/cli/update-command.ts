/**
 * `defender-updater update`: progress while it runs, one result at the end. A stop signal cancels; a second one, or
 * 10 s without an answer, stops waiting, and a native call that never returns is named instead of waited for.
 */
import { formatHresult } from '../../shared/hresult';
import {
  cancelRefusalMessage,
  updateTypeName,
  type NotificationRecord,
  type UpdateOutcome,
  type UpdateResult,
  type UpdateSource,
} from '../../shared/update';
import type { UpdateEngine } from '../update/engine-types';
import { EXIT, type CliPorts } from './ports';
import { ProgressPrinter } from './progress-printer';
import { say, t } from './text';

const EXIT_BY_RESULT: Record<UpdateResult, number> = {
  succeeded: EXIT.ok,
  'up-to-date': EXIT.ok,
  'reboot-required': EXIT.reboot,
  failed: EXIT.failed,
  cancelled: EXIT.cancelled,
};

/** How long closing the handles may take once the CLI has stopped waiting for the update itself. */
const CLOSE_DEADLINE_MS = 3_000;

export async function updateCommand(engine: UpdateEngine, source: UpdateSource, json: boolean, ports: CliPorts): Promise<number> {
  let outcome: UpdateOutcome | null = null;
  const progress = json ? null : new ProgressPrinter(ports);
  let refusal: string | null = null;
  let stallReported = false;
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'notification' && json) ports.out(JSON.stringify(notificationLine(event.record)) + '\n');
    else if (event.type === 'state') {
      progress?.show(event.snapshot);
      // In --json mode stdout stays one object per notification; the stall goes to stderr for the person watching.
      if (json && event.snapshot.stalled && !stallReported) ports.err(t('cli.update.stalled') + '\n');
      stallReported = event.snapshot.stalled;
      // A refusal can come later than the Ctrl+C (the abort waits for the start call): say it whenever it comes.
      const message = event.snapshot.cancelRefusal ? say(cancelRefusalMessage(event.snapshot.cancelRefusal)) : null;
      if (message && message !== refusal) ports.err(`${message}\n`);
      refusal = message ?? refusal;
    } else if (event.type === 'finished') outcome = event.outcome;
  });

  let giveUpTimer: ReturnType<typeof setTimeout> | null = null;
  let abandon!: () => void;
  const abandoned = new Promise<'abandoned'>((resolve) => (abandon = () => resolve('abandoned')));
  let givingUp = false;
  const giveUp = async () => {
    if (givingUp) return;
    givingUp = true;
    if (giveUpTimer !== null) clearTimeout(giveUpTimer);
    const pending = engine.pendingNativeCall();
    if (!pending && refusal) ports.err(t('cli.update.stoppedWaiting') + '\n');
    // Ends the run as cancelled on our side and closes every handle, unless Defender holds one of our calls.
    const { unanswered } = await engine.dispose({ deadlineMs: pending ? 0 : CLOSE_DEADLINE_MS });
    if (unanswered) {
      ports.err(t('cli.update.noReturn', { call: unanswered }) + '\n');
      abandon();
    }
  };
  let stops = 0;
  const removeStop = ports.onStop((signal) => {
    stops += 1;
    if (stops > 1 || signal !== 'SIGINT') {
      // A second Ctrl+C; or a console window closing / a service stopping, which will not wait for Defender either.
      if (stops === 1) ports.err(`\n${t('cli.update.cancellingSignal', { signal })}\n`);
      void engine.cancel().finally(() => void giveUp());
      return;
    }
    ports.err(`\n${t('cli.update.cancelling')}\n`);
    void engine.cancel();
    giveUpTimer = setTimeout(() => void giveUp(), ports.giveUpAfterMs ?? 10_000);
  });

  let gaveUp = false;
  try {
    await engine.start({ source, trigger: 'cli' });
    gaveUp = (await Promise.race([engine.whenIdle(), abandoned])) === 'abandoned';
  } finally {
    if (giveUpTimer !== null) clearTimeout(giveUpTimer);
    removeStop();
    unsubscribe();
    progress?.end();
  }
  const final = outcome as UpdateOutcome | null;
  if (final) ports.out((json ? JSON.stringify(resultLine(final)) : resultText(final)) + '\n');
  else ports.err(t('cli.update.noResult') + '\n');
  if (gaveUp) {
    // Native calls are still out: only ending the process stops waiting for them.
    ports.abandon(EXIT.cancelled);
    return EXIT.cancelled;
  }
  return final ? EXIT_BY_RESULT[final.result] : EXIT.failed;
}

export function notificationLine(record: NotificationRecord) {
  return {
    notify: record.notify,
    code: record.code,
    hresult: formatHresult(record.hresult),
    phase: record.phase,
    percent: record.percent,
    current: record.current,
    total: record.total,
    updateType: updateTypeName(record.sigType),
    ...(record.path ? { path: record.path } : {}),
  };
}

function resultLine(final: UpdateOutcome) {
  return {
    result: final.result,
    hresult: formatHresult(final.hresult),
    message: say(final.message),
    source: final.source,
    updateType: updateTypeName(final.updateType),
    sharedSignatureRoot: final.sharedSignatureRoot,
    versions: { before: final.versionsBefore?.antivirus.version ?? null, after: final.versionsAfter?.antivirus.version ?? null },
    ...(final.error ? { error: { kind: final.error.kind, hresult: final.error.hex, message: say(final.error.message) } } : {}),
  };
}

function resultText(outcome: UpdateOutcome): string {
  const before = outcome.versionsBefore?.antivirus.version ?? '?';
  const after = outcome.versionsAfter?.antivirus.version;
  switch (outcome.result) {
    case 'succeeded':
      return t('cli.result.succeeded', { before, after: after ?? '?' });
    case 'up-to-date':
      if (outcome.sharedSignatureRoot) return say(outcome.message);
      return t('cli.result.up-to-date', { version: after ?? before });
    case 'reboot-required':
      return t('cli.result.reboot-required', { version: after ?? '?' });
    case 'cancelled':
      return t('cli.result.cancelled');
    case 'failed':
      return t('cli.result.failed', { hex: outcome.error?.hex ?? formatHresult(outcome.hresult), message: outcome.message });
  }
}
