/**
 * `defender-updater update`: progress while it runs, one result at the end. A stop signal cancels (Ctrl+C not, under
 * the AllowCancel=0 policy: it says so and the update runs to its end); a second one, or
 * 10 s without an answer, stops waiting, and a native call that never returns is named instead of waited for. Once
 * Defender has reported the end, closing the update gets the same 10 s.
 */
import { formatHresult } from '../../shared/hresult';
import {
  cancelRefusalMessage,
  isActivePhase,
  updateTypeName,
  type NotificationRecord,
  type OfflineJob,
  type UpdateOutcome,
  type UpdateResult,
  type UpdateSource,
} from '../../shared/update';
import type { OfflineRefusal, UpdateEngine } from '../update/engine-types';
import { eventForOutcome } from '../event-log/event-record';
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

export async function updateCommand(
  engine: UpdateEngine,
  source: UpdateSource,
  json: boolean,
  ports: CliPorts,
  offline?: OfflineJob,
  /** The AllowCancel policy: false, Ctrl+C does not cancel (a closing console or a service stop still does). */
  allowCancel = true,
): Promise<number> {
  let job = offline;
  if (job) {
    // Input that cannot work is refused before anything starts: a text file is not a package, and says so.
    const check = await engine.checkOffline(job);
    if (!check.ok) return refuse(check.refusal, json, ports);
    job = check.job;
    if (!json) ports.out(`${jobText(job)}\n`);
  }
  let outcome: UpdateOutcome | null = null;
  const progress = json ? null : new ProgressPrinter(ports);
  let refusal: string | null = null;
  let stallReported = false;
  const unsubscribe = engine.subscribe(
    (event) => {
      if (event.type === 'finished') {
        outcome = event.outcome;
        return;
      }
      if (json) for (const record of event.records) ports.out(JSON.stringify(notificationLine(record)) + '\n');
      progress?.show(event.snapshot);
      // The update has ended for Defender: what is left (closing its handle, reading the versions) takes moments.
      if (event.snapshot.phase !== 'idle' && !isActivePhase(event.snapshot.phase)) waitForAnswer();
      // In --json mode stdout stays one object per notification; the stall goes to stderr for the person watching.
      if (json && event.snapshot.stalled && !stallReported) ports.err(t('cli.update.stalled') + '\n');
      stallReported = event.snapshot.stalled;
      // A refusal can come later than the Ctrl+C (the abort waits for the start call): say it whenever it comes.
      const message = event.snapshot.cancelRefusal ? say(cancelRefusalMessage(event.snapshot.cancelRefusal)) : null;
      if (message && message !== refusal) ports.err(`${message}\n`);
      refusal = message ?? refusal;
    },
    // --json prints one line per notification, so it needs every record of a storm, not the newest few.
    { everyRecord: json },
  );

  let giveUpTimer: ReturnType<typeof setTimeout> | null = null;
  const waitForAnswer = () => {
    if (giveUpTimer === null && !givingUp) giveUpTimer = setTimeout(() => void giveUp(), ports.giveUpAfterMs ?? 10_000);
  };
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
    if (signal === 'SIGINT' && !allowCancel) {
      ports.err(`\n${t('policy.refused.cancel')}\n`);
      return;
    }
    stops += 1;
    if (stops > 1 || signal !== 'SIGINT') {
      // A second Ctrl+C; or a console window closing / a service stopping, which will not wait for Defender either.
      if (stops === 1) ports.err(`\n${t('cli.update.cancellingSignal', { signal })}\n`);
      void engine.cancel().finally(() => void giveUp());
      return;
    }
    ports.err(`\n${t('cli.update.cancelling')}\n`);
    void engine.cancel();
    waitForAnswer();
  });

  let gaveUp = false;
  try {
    await engine.start({ source, trigger: 'cli', ...(job ? { offline: job } : {}) });
    gaveUp = (await Promise.race([engine.whenIdle(), abandoned])) === 'abandoned';
  } finally {
    if (giveUpTimer !== null) clearTimeout(giveUpTimer);
    removeStop();
    unsubscribe();
    progress?.end();
  }
  const final = outcome as UpdateOutcome | null;
  const code = final ? EXIT_BY_RESULT[final.result] : EXIT.failed;
  // For the organisation's collector (Windows Event Forwarding, a SIEM); a failure to write changes nothing here.
  if (final) await ports.writeEvent(eventForOutcome(final, { appVersion: ports.version }));
  if (gaveUp) {
    // The line naming the call says it all; a script still gets its final JSON object.
    if (final && json) ports.out(JSON.stringify(resultLine(final)) + '\n');
    // Native calls are still out: only ending the process stops waiting for them.
    const exit = stops > 0 ? EXIT.cancelled : code;
    ports.abandon(exit);
    return exit;
  }
  if (final) ports.out((json ? JSON.stringify(resultLine(final)) : resultText(final)) + '\n');
  else ports.err(t('cli.update.noResult') + '\n');
  return code;
}

export function notificationLine(record: NotificationRecord) {
  // MpCmdRun's lines have no MPNOTIFY code or progress, only what it printed or logged.
  if (record.via === 'mpcmdrun')
    return {
      via: record.via,
      notify: record.notify,
      hresult: formatHresult(record.hresult),
      phase: record.phase,
      line: record.line ?? '',
    };
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
    via: final.via ?? 'mpclient',
    updateType: updateTypeName(final.updateType),
    sharedSignatureRoot: final.sharedSignatureRoot,
    versions: { before: final.versionsBefore?.antivirus.version ?? null, after: final.versionsAfter?.antivirus.version ?? null },
    ...(final.error ? { error: { kind: final.error.kind, hresult: final.error.hex, message: say(final.error.message) } } : {}),
  };
}

/** A package or folder that cannot be used is bad input (exit 2); no MpCmdRun.exe is Defender missing a part (exit 4). */
function refuse(refusal: OfflineRefusal, json: boolean, ports: CliPorts): number {
  const text = say(refusal.message);
  if (json) ports.out(JSON.stringify({ via: 'mpcmdrun', refused: refusal.kind, hresult: formatHresult(refusal.hresult), message: text }) + '\n');
  ports.err(`defender-updater: ${text}\n`);
  return refusal.kind === 'offline-input' ? EXIT.usage : EXIT.unavailable;
}

/** What MpCmdRun is about to do, said once before it starts (stderr, so stdout stays the result). */
function jobText(job: OfflineJob): string {
  switch (job.kind) {
    case 'folder':
      return t('cli.job.folder', { path: job.path });
    case 'package':
      return t('cli.job.package', { file: job.file });
    case 'repair':
      return t(job.all ? 'cli.job.repairAll' : 'cli.job.repair');
  }
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
