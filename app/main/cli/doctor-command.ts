/** `defender-updater doctor`: prints what docs/mpclient.md's checks give on this PC. */
import { withDeadline } from '../update/deadline';
import { runDoctorChecks, type DoctorReport } from '../update/doctor';
import { EXIT, type CliPorts } from './ports';
import { say, t } from './text';

export async function doctorCommand(json: boolean, probeSources: boolean, ports: CliPorts): Promise<number> {
  const opened = await ports.openMpClient();
  if (opened.kind === 'unavailable') {
    if (json) ports.out(JSON.stringify({ available: false, reason: opened.availability.reason, message: say(opened.availability.message) }) + '\n');
    else ports.err(t('cli.unavailable', { message: opened.availability.message }) + '\n');
    // MpManagerOpen still holds a worker thread, and with it the process.
    if (opened.availability.reason === 'no-answer') ports.abandon(EXIT.unavailable);
    return EXIT.unavailable;
  }
  const { lib, manager } = opened;
  let code: number = EXIT.failed;
  let callsOut = false;
  try {
    if (!json && probeSources) ports.err(t('cli.doctor.probing') + '\n');
    const results = await runDoctorChecks(lib, manager, { probeSources });
    const report: DoctorReport = {
      library: lib.path,
      version: ports.readFileVersion(lib.path),
      sharedSignatureRoot: ports.readSharedSignatureRoot(),
      ...results,
    };
    ports.out(json ? JSON.stringify(report) + '\n' : doctorText(report));
    callsOut = report.checks.some((c) => c.unanswered);
    code = report.checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
    return code;
  } finally {
    // The last wait too has a deadline: a manager close that never returns ends the process, as in `update`.
    const closed = await withDeadline(
      lib.handleClose(manager).catch(() => undefined),
      ports.giveUpAfterMs ?? 10_000,
    );
    // A call still out holds a worker thread, and with it the process: only ending it stops the wait.
    if (!closed.done) {
      ports.err(t('cli.update.noReturn', { call: 'MpHandleClose' }) + '\n');
      ports.abandon(EXIT.failed);
    } else if (callsOut) ports.abandon(code);
  }
}

function doctorText(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  // SharedSignatureRoot is the registry value's own name, not a sentence.
  const labels = [t('cli.doctor.library'), t('cli.doctor.fileVersion'), 'SharedSignatureRoot'];
  const label = (i: number) => labels[i]!.padEnd(Math.max(...labels.map((l) => l.length)) + 2);
  const lines = [
    `${label(0)}${report.library}`,
    `${label(1)}${report.version ?? t('cli.doctor.noVersion')}`,
    `${label(2)}${report.sharedSignatureRoot ?? t('cli.doctor.notSet')}`,
    '',
    `     ${t('cli.doctor.check').padEnd(width)}  ${t('cli.doctor.expected').padEnd(10)}  ${t('cli.doctor.actual')}`,
    ...report.checks.map((c) => `${c.ok ? 'ok  ' : 'DIFF'} ${c.name.padEnd(width)}  ${c.expected}  ${c.actual}`),
  ];
  if (report.sources) {
    lines.push('', t('cli.doctor.sources'));
    for (const [bit, type] of Object.entries(report.sources)) lines.push(`  ${bit.padEnd(6)} ${type}`);
  }
  const differ = report.checks.filter((c) => !c.ok).length;
  lines.push('', differ === 0 ? t('cli.doctor.allMatch') : t('cli.doctor.differ', { count: differ }));
  return lines.join('\n') + '\n';
}
