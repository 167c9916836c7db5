/** Command-line parsing for the headless CLI. */
import { parseArgs } from 'node:util';
import { UPDATE_SOURCES, type UpdateSource } from '../../shared/update';

export type CliCommand =
  | { kind: 'update'; source: UpdateSource; json: boolean }
  | { kind: 'status'; json: boolean }
  | { kind: 'doctor'; json: boolean; probeSources: boolean }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

export const USAGE = `Usage:
  defender-updater update [--source ${UPDATE_SOURCES.join('|')}] [--json]
  defender-updater status [--json]
  defender-updater doctor [--json] [--probe-sources]

Exit codes: 0 updated or up to date, 1 failed, 2 bad usage, 3 restart required,
            4 Defender not available, 5 cancelled (Ctrl+C).
doctor:     0 every check as expected, 1 a check differs, 4 Defender not available.
MPCLIENT_PATH=<library> uses that MpClient library instead of Defender's.`;

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        source: { type: 'string' },
        json: { type: 'boolean' },
        'probe-sources': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (extra.length > 0) return { kind: 'usage-error', message: `Unexpected argument: ${extra[0]}` };
  const json = values.json === true;
  if (values['probe-sources'] !== undefined && command !== 'doctor')
    return { kind: 'usage-error', message: '--probe-sources only applies to "doctor".' };
  if (command === 'update') {
    const source = values.source ?? 'default';
    if (!(UPDATE_SOURCES as readonly string[]).includes(source)) {
      return { kind: 'usage-error', message: `Unknown source "${source}". Choose one of: ${UPDATE_SOURCES.join(', ')}.` };
    }
    return { kind: 'update', source: source as UpdateSource, json };
  }
  if (command === 'status') {
    if (values.source !== undefined) return { kind: 'usage-error', message: '--source only applies to "update".' };
    return { kind: 'status', json };
  }
  if (command === 'doctor') {
    if (values.source !== undefined) return { kind: 'usage-error', message: '--source only applies to "update".' };
    return { kind: 'doctor', json, probeSources: values['probe-sources'] === true };
  }
  return { kind: 'usage-error', message: command ? `Unknown command "${command}".` : 'No command given.' };
}
