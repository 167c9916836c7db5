/** The CLI's behaviour: parse, then one command. The process is passed in as ports (./ports.ts). */
import type { UpdateSource } from '../../shared/update';
import { eventForUnavailable } from '../event-log/event-record';
import { parseCli, USAGE } from './args';
import { doctorCommand } from './doctor-command';
import { EXIT, type CliPorts } from './ports';
import { sourceUnderPolicy } from './policy-rules';
import { statusCommand } from './status-command';
import { say, t } from './text';
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
  const policies = ports.readPolicies();
  for (const problem of policies.invalid) ports.err(t('cli.policy.ignored', { hive: problem.hive, reason: problem.reason }) + '\n');
  let source: UpdateSource = 'default';
  if (command.kind === 'update' && command.offline) source = command.source ?? 'default';
  else if (command.kind === 'update') {
    // A package, a folder or a repair names no source: the policy on sources is about where Defender downloads from.
    const decision = sourceUnderPolicy(command.source, policies.values);
    if (!decision.ok) {
      ports.err(`defender-updater: ${say(decision.message)}\n`);
      return EXIT.usage;
    }
    source = decision.source;
  }
  const engine = await ports.openEngine();
  let code: number;
  try {
    const availability = engine.availability;
    if (availability.kind === 'unavailable') {
      if (command.json) ports.out(JSON.stringify({ available: false, reason: availability.reason, message: say(availability.message) }) + '\n');
      else ports.err(t('cli.unavailable', { message: availability.message }) + '\n');
      if (command.kind === 'update')
        await ports.writeEvent(eventForUnavailable(availability, { source, trigger: 'cli' }, { appVersion: ports.version }));
      code = EXIT.unavailable;
    } else {
      code =
        command.kind === 'status'
          ? await statusCommand(engine, command.json, command.maxAgeDays, policies.values, ports)
          : await updateCommand(engine, source, command.json, ports, command.offline, policies.values.AllowCancel ?? true);
    }
  } finally {
    await engine.dispose();
  }
  // A call Defender never returned holds a worker thread, and with it the process: end it with the code it has.
  if (engine.pendingNativeCall() !== null) ports.abandon(code);
  return code;
}
