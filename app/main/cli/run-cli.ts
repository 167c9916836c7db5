/** The CLI's behaviour: parse, then one command. The process is passed in as ports (./ports.ts). */
import { parseCli, USAGE } from './args';
import { doctorCommand } from './doctor-command';
import { EXIT, type CliPorts } from './ports';
import { statusCommand } from './status-command';
import { updateCommand } from './update-command';

export { EXIT, type CliPorts } from './ports';

export async function runCli(ports: CliPorts): Promise<number> {
  const command = parseCli(ports.argv);
  switch (command.kind) {
    case 'help':
      ports.out(USAGE + '\n');
      return EXIT.ok;
    case 'version':
      ports.out(`defender-updater ${ports.version}\n`);
      return EXIT.ok;
    case 'usage-error':
      ports.err(`defender-updater: ${command.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    case 'doctor':
      return doctorCommand(command.json, command.probeSources, ports);
    default:
      break;
  }
  const engine = await ports.openEngine();
  let code: number;
  try {
    if (engine.availability.kind === 'unavailable') {
      if (command.json)
        ports.out(JSON.stringify({ available: false, reason: engine.availability.reason, message: engine.availability.message }) + '\n');
      else ports.err(`Defender not available: ${engine.availability.message}\n`);
      code = EXIT.unavailable;
    } else {
      code =
        command.kind === 'status'
          ? await statusCommand(engine, command.json, command.maxAgeDays, ports)
          : await updateCommand(engine, command.source, command.json, ports);
    }
  } finally {
    await engine.dispose();
  }
  // A call Defender never returned holds a worker thread, and with it the process: end it with the code it has.
  if (engine.pendingNativeCall() !== null) ports.abandon(code);
  return code;
}
