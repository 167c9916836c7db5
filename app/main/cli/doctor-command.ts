/** `defender-updater doctor`: prints what docs/mpclient.md's checks give on this PC. */
import { runDoctorChecks, type DoctorReport } from '../update/doctor';
import { EXIT, type CliPorts } from './ports';

export async function doctorCommand(json: boolean, probeSources: boolean, ports: CliPorts): Promise<number> {
  const opened = await ports.openMpClient();
  if (opened.kind === 'unavailable') {
    if (json) ports.out(JSON.stringify({ available: false, reason: opened.availability.reason, message: opened.availability.message }) + '\n');
    else ports.err(`Defender not available: ${opened.availability.message}\n`);
    // MpManagerOpen still holds a worker thread, and with it the process.
    if (opened.availability.reason === 'no-answer') ports.abandon(EXIT.unavailable);
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
