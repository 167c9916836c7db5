/** The CLI's behaviour, with the process (output, signals, engine factory) passed in so tests run it in-process. */
import { formatHresult } from '../../shared/hresult';
import {
  isActivePhase,
  updateTypeName,
  type NotificationRecord,
  type UpdateError,
  type UpdateOutcome,
  type UpdateResult,
  type UpdateSnapshot,
} from '../../shared/update';
import { ageInDays } from '../../shared/versions';
import type { UpdateEngine } from '../update/engine-types';
import type { OpenedMpClient } from '../update/open-engine';
import { runDoctorChecks, type DoctorReport } from '../update/doctor';
import { parseCli, USAGE } from './args';

export const EXIT = { ok: 0, failed: 1, usage: 2, reboot: 3, unavailable: 4, cancelled: 5 } as const;

const EXIT_BY_RESULT: Record<UpdateResult, number> = {
  succeeded: EXIT.ok,
  'up-to-date': EXIT.ok,
  'reboot-required': EXIT.reboot,
  failed: EXIT.failed,
  cancelled: EXIT.cancelled,
};

export interface CliPorts {
  argv: readonly string[];
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: progress redraws one line; otherwise plain lines. */
  isTty: boolean;
  openEngine(): Promise<UpdateEngine>;
  /** The library and manager handle alone, for `doctor` (which makes calls the engine never would). */
  openMpClient(): Promise<OpenedMpClient>;
  readFileVersion(path: string): string | null;
  readSharedSignatureRoot(): string | null;
  /** Registers the Ctrl+C handler; returns its removal. */
  onInterrupt(handler: () => void): () => void;
}

export async function runCli(ports: CliPorts): Promise<number> {
  const command = parseCli(ports.argv);
  if (command.kind === 'help') {
    ports.out(USAGE + '\n');
    return EXIT.ok;
  }
  if (command.kind === 'usage-error') {
    ports.err(`defender-updater: ${command.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.kind === 'doctor') return doctor(command.json, command.probeSources, ports);
  const engine = await ports.openEngine();
  try {
    if (engine.availability.kind === 'unavailable') {
      if (command.json)
        ports.out(JSON.stringify({ available: false, reason: engine.availability.reason, message: engine.availability.message }) + '\n');
      else ports.err(`Defender not available: ${engine.availability.message}\n`);
      return EXIT.unavailable;
    }
    return command.kind === 'status' ? await status(engine, command.json, ports) : await update(engine, command.source, command.json, ports);
  } finally {
    await engine.dispose();
  }
}

async function status(engine: UpdateEngine, json: boolean, ports: CliPorts): Promise<number> {
  const versions = await engine.readVersions();
  if (!versions) {
    ports.err('Defender did not report its versions (MpManagerVersionQuery failed).\n');
    return EXIT.failed;
  }
  const age = ageInDays(versions.antivirus.updatedAt);
  if (json) {
    ports.out(
      JSON.stringify({
        available: true,
        libraryPath: engine.availability.kind === 'available' ? engine.availability.libraryPath : null,
        versions,
        signatureAgeDays: age,
      }) + '\n',
    );
  } else {
    ports.out(
      [
        `Security intelligence  ${versions.antivirus.version}`,
        `Last updated           ${versions.antivirus.updatedAt ?? 'unknown'}${age === null ? '' : ` (${age} day${age === 1 ? '' : 's'} ago)`}`,
        `Engine                 ${versions.engine.version}`,
        `Platform               ${versions.product.version}`,
      ].join('\n') + '\n',
    );
  }
  return EXIT.ok;
}

async function doctor(json: boolean, probeSources: boolean, ports: CliPorts): Promise<number> {
  const opened = await ports.openMpClient();
  if (opened.kind === 'unavailable') {
    if (json) ports.out(JSON.stringify({ available: false, reason: opened.availability.reason, message: opened.availability.message }) + '\n');
    else ports.err(`Defender not available: ${opened.availability.message}\n`);
    return EXIT.unavailable;
  }
  const { lib, manager } = opened;
  try {
    if (!json && probeSources) ports.err('Probing the four service sources; each starts an update and cancels it…\n');
    const results = await runDoctorChecks(lib, manager, { probeSources });
    const report: DoctorReport = {
      library: lib.path,
      version: ports.readFileVersion(lib.path),
      sharedSignatureRoot: ports.readSharedSignatureRoot(),
      ...results,
    };
    ports.out(json ? JSON.stringify(report) + '\n' : doctorText(report));
    return report.checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
  } finally {
    await lib.handleClose(manager).catch(() => undefined);
  }
}

function doctorText(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = [
    `Library              ${report.library}`,
    `File version         ${report.version ?? 'unknown (no version resource)'}`,
    `SharedSignatureRoot  ${report.sharedSignatureRoot ?? 'not set'}`,
    '',
    `     ${'Check'.padEnd(width)}  Expected    Actual`,
    ...report.checks.map((c) => `${c.ok ? 'ok  ' : 'DIFF'} ${c.name.padEnd(width)}  ${c.expected}  ${c.actual}`),
  ];
  if (report.sources) {
    lines.push('', 'Update type Defender reports for each service bit:');
    for (const [bit, type] of Object.entries(report.sources)) lines.push(`  ${bit.padEnd(6)} ${type}`);
  }
  const differ = report.checks.filter((c) => !c.ok).length;
  lines.push(
    '',
    differ === 0 ? 'Every check matches docs/mpclient.md.' : `${differ} check(s) differ from docs/mpclient.md: please report this output.`,
  );
  return lines.join('\n') + '\n';
}

const PHASE_LABEL: Partial<Record<UpdateSnapshot['phase'], string>> = {
  starting: 'Starting',
  searching: 'Searching for updates',
  downloading: 'Downloading',
  installing: 'Installing',
  finishing: 'Finishing',
};

async function update(engine: UpdateEngine, source: UpdateSnapshot['source'], json: boolean, ports: CliPorts): Promise<number> {
  let outcome: UpdateOutcome | null = null;
  const progress = json ? null : new ProgressPrinter(ports);
  let refusal: string | null = null;
  let stallReported = false;
  const unsubscribe = engine.subscribe((event) => {
    if (event.type === 'notification' && json) ports.out(JSON.stringify(notificationLine(event.record)) + '\n');
    else if (event.type === 'state') {
      progress?.show(event.snapshot);
      // In --json mode stdout stays one object per notification; the stall goes to stderr for the person watching.
      if (json && event.snapshot.stalled && !stallReported) ports.err('Defender has sent no news for a while; Ctrl+C cancels the update.\n');
      stallReported = event.snapshot.stalled;
      // A refusal can come later than the Ctrl+C (the abort waits for the start call): say it whenever it comes.
      const message = event.snapshot.cancelRefusal ? cancelRefusalText(event.snapshot.cancelRefusal) : null;
      if (message && message !== refusal) ports.err(`${message}\n`);
      refusal = message ?? refusal;
    } else if (event.type === 'finished') outcome = event.outcome;
  });
  let interrupts = 0;
  const removeInterrupt = ports.onInterrupt(() => {
    interrupts += 1;
    if (interrupts === 1) {
      ports.err('\nCancelling… (Ctrl+C again to stop waiting)\n');
      void engine.cancel();
    } else {
      if (refusal) ports.err('Stopped waiting. Defender refused to cancel, so it may still be updating.\n');
      void engine.dispose(); // ends the run as cancelled on our side and still closes every handle
    }
  });
  try {
    await engine.start({ source, trigger: 'cli' });
    await engine.whenIdle();
  } finally {
    removeInterrupt();
    unsubscribe();
    progress?.end();
  }
  const final = outcome as UpdateOutcome | null;
  if (!final) {
    ports.err('The update ended without a result.\n');
    return EXIT.failed;
  }
  if (json) {
    ports.out(
      JSON.stringify({
        result: final.result,
        hresult: formatHresult(final.hresult),
        message: final.message,
        source: final.source,
        updateType: updateTypeName(final.updateType),
        sharedSignatureRoot: final.sharedSignatureRoot,
        versions: { before: final.versionsBefore?.antivirus.version ?? null, after: final.versionsAfter?.antivirus.version ?? null },
        ...(final.error ? { error: { kind: final.error.kind, hresult: final.error.hex, message: final.error.message } } : {}),
      }) + '\n',
    );
  } else {
    ports.out(resultLine(final) + '\n');
  }
  return EXIT_BY_RESULT[final.result];
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

/** Which update types only an administrator may cancel ([DOC] MPSIGUPDATE_DATA; docs/mpclient.md "Cancel"). */
const ADMIN_TO_CANCEL: Partial<Record<NonNullable<UpdateError['updateType']>, string>> = {
  managed: 'WSUS',
  'managed-platform': 'WSUS',
  unmanaged: 'Microsoft Update',
  'unmanaged-platform': 'Microsoft Update',
  'http-srv': "Defender's service",
};

/** Why Defender said no, from the update type it reported rather than the source that was asked for. */
export function cancelRefusalText(error: UpdateError): string {
  const from = error.updateType ? ADMIN_TO_CANCEL[error.updateType] : undefined;
  const reason =
    error.hresult === 0x80070005 && from ? `updates from ${from} can only be cancelled by an administrator` : `${error.message} (${error.hex})`;
  return `Defender refused to cancel: ${reason}. The update continues.`;
}

function resultLine(outcome: UpdateOutcome): string {
  const before = outcome.versionsBefore?.antivirus.version;
  const after = outcome.versionsAfter?.antivirus.version;
  switch (outcome.result) {
    case 'succeeded':
      return `Updated: security intelligence ${before ?? '?'} → ${after ?? '?'}.`;
    case 'up-to-date':
      if (outcome.sharedSignatureRoot) return outcome.message;
      return `Already up to date (security intelligence ${after ?? before ?? '?'}).`;
    case 'reboot-required':
      return `Updated; restart Windows to finish (security intelligence ${after ?? '?'}).`;
    case 'cancelled':
      return 'Cancelled.';
    case 'failed':
      return `Failed: ${outcome.error?.hex ?? formatHresult(outcome.hresult)} ${outcome.message}`;
  }
}

/** Terminal: one redrawn line with a bar. Piped: a line per phase, plus every 25% of progress. */
class ProgressPrinter {
  private lastLine = '';
  private lastPhase = '';
  private lastQuarter = -1;
  constructor(private readonly ports: CliPorts) {}

  show(s: UpdateSnapshot): void {
    if (!isActivePhase(s.phase)) return;
    const label = PHASE_LABEL[s.phase] ?? s.phase;
    const count = s.total && s.current ? ` (update ${s.current} of ${s.total})` : '';
    const stalled = s.stalled ? ' — no news from Defender; Ctrl+C to cancel' : '';
    if (this.ports.isTty) {
      const bar = s.percent === null ? '' : ` [${'#'.repeat(Math.round(s.percent / 5)).padEnd(20, '.')}] ${String(s.percent).padStart(3)}%`;
      const line = `${label}${count}${bar}${stalled}`;
      if (line !== this.lastLine) this.ports.out(`\r\x1b[2K${line}`);
      this.lastLine = line;
      return;
    }
    const quarter = s.percent === null ? -1 : Math.floor(s.percent / 25);
    if (s.phase !== this.lastPhase || (quarter > this.lastQuarter && quarter >= 0) || (s.stalled && !this.lastLine.includes('Ctrl+C'))) {
      const line = `${label}${count}${s.percent === null ? '' : ` ${s.percent}%`}${stalled}`;
      this.ports.out(line + '\n');
      this.lastLine = line;
    }
    if (s.phase !== this.lastPhase) this.lastQuarter = quarter;
    else this.lastQuarter = Math.max(this.lastQuarter, quarter);
    this.lastPhase = s.phase;
  }

  end(): void {
    if (this.ports.isTty && this.lastLine) this.ports.out('\r\x1b[2K');
  }
}
