/** Command-line parsing for the headless CLI. Every mistake gets a sentence a person can act on, never a parser dump. */
import { parseArgs } from 'node:util';
import { UPDATE_SOURCES, type OfflineJob, type UpdateSource } from '../../shared/update';

/** Defender's own default for when signatures are "due": 7 days (MpCmdRun / Get-MpComputerStatus). */
export const DEFAULT_MAX_AGE_DAYS = 7;

export type CliCommand =
  /**
   * `source` is null when the command line names none (policy or the default decides). `offline`: a folder, a package
   * or a repair, through MpCmdRun.exe (update --path / --package, repair).
   */
  | { kind: 'update'; source: UpdateSource | null; json: boolean; offline?: OfflineJob }
  | { kind: 'status'; json: boolean; maxAgeDays: number }
  | { kind: 'doctor'; json: boolean; probeSources: boolean }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string };

export const USAGE = `Usage:
  defender-updater update [--source ${UPDATE_SOURCES.join('|')}] [--json]
  defender-updater update --source file-share --path <folder> [--json]
  defender-updater update --package <mpam-fe.exe> [--json]
  defender-updater repair [--all] [--json]
  defender-updater status [--json] [--max-age-days N]
  defender-updater doctor [--json] [--probe-sources]
  defender-updater help | --help | --version

--path <folder>   update from a folder or share holding x64\\mpam-fe.exe, through MpCmdRun.exe
                  (without --path, file-share uses the shares Windows is set up with)
--package <file>  install a downloaded mpam-fe.exe through MpCmdRun.exe
repair            remove the dynamic security intelligence (--all: every definition) with MpCmdRun.exe,
                  then update

Exit codes: 0 updated, up to date, or every doctor check as expected
            1 failed (or a doctor check differs)
            2 bad usage, or a package or folder that cannot be used
            3 restart required
            4 Defender not available, or MpCmdRun.exe not found
            5 cancelled (Ctrl+C, a closed console window, or a service stop)
            6 status: security intelligence older than --max-age-days (default ${DEFAULT_MAX_AGE_DAYS})
MPCLIENT_PATH=<library> uses that MpClient library instead of Defender's.
MPCMDRUN_PATH=<program> uses that MpCmdRun.exe instead of the one beside MpClient.dll.`;

const COMMANDS = ['update', 'repair', 'status', 'doctor', 'help'] as const;
const OPTIONS = {
  source: { type: 'string' },
  path: { type: 'string' },
  package: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  'probe-sources': { type: 'boolean' },
  'max-age-days': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;
/** Which command each option belongs to (global options are absent). */
const OPTION_COMMAND: Partial<Record<keyof typeof OPTIONS, (typeof COMMANDS)[number]>> = {
  source: 'update',
  path: 'update',
  package: 'update',
  all: 'repair',
  'probe-sources': 'doctor',
  'max-age-days': 'status',
};

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    return { kind: 'usage-error', message: explainParseError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (command === 'help') return { kind: 'help' };
  if (extra.length > 0) return { kind: 'usage-error', message: `Unexpected argument: ${extra[0]}` };
  if (command === undefined) return { kind: 'usage-error', message: 'No command given.' };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: 'usage-error', message: withSuggestion(`Unknown command "${command}".`, command, COMMANDS) };
  }
  for (const [name, owner] of Object.entries(OPTION_COMMAND)) {
    if (values[name as keyof typeof values] !== undefined && owner !== command) {
      return { kind: 'usage-error', message: `--${name} only applies to "${owner}".` };
    }
  }
  const json = values.json === true;
  if (command === 'repair') return { kind: 'update', source: null, json, offline: { kind: 'repair', all: values.all === true } };
  if (command === 'update') {
    if (values.package !== undefined) {
      if (values.source !== undefined || values.path !== undefined) return { kind: 'usage-error', message: '--package takes no --source or --path.' };
      if (!values.package.trim()) return { kind: 'usage-error', message: '--package needs the path of a downloaded mpam-fe.exe.' };
      return { kind: 'update', source: 'file-share', json, offline: { kind: 'package', file: values.package } };
    }
    if (values.path !== undefined) {
      if ((values.source ?? 'file-share') !== 'file-share')
        return { kind: 'usage-error', message: '--path names a folder or file share: use it with --source file-share.' };
      if (!values.path.trim()) return { kind: 'usage-error', message: '--path needs the folder that holds x64\\mpam-fe.exe.' };
      return { kind: 'update', source: 'file-share', json, offline: { kind: 'folder', path: values.path } };
    }
    const source = values.source ?? null;
    if (source !== null && !(UPDATE_SOURCES as readonly string[]).includes(source)) {
      return {
        kind: 'usage-error',
        message: withSuggestion(`Unknown source "${source}". Choose one of: ${UPDATE_SOURCES.join(', ')}.`, source, UPDATE_SOURCES),
      };
    }
    return { kind: 'update', source: source as UpdateSource | null, json };
  }
  if (command === 'status') {
    const text = values['max-age-days'];
    const maxAgeDays = text === undefined ? DEFAULT_MAX_AGE_DAYS : Number(text);
    if (!Number.isInteger(maxAgeDays) || maxAgeDays < 0 || maxAgeDays > 3650) {
      return { kind: 'usage-error', message: `--max-age-days takes a whole number of days from 0 to 3650, not "${text}".` };
    }
    return { kind: 'status', json, maxAgeDays };
  }
  return { kind: 'doctor', json, probeSources: values['probe-sources'] === true };
}

/** node:util's messages are written for developers; say what was wrong and what was probably meant. */
function explainParseError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const known = Object.keys(OPTIONS).map((name) => `--${name}`);
    return withSuggestion(`Unknown option ${option}.`, option, known, '');
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const wantsValue = (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
    const example: Record<string, string> = { source: 'mmpc', path: '\\\\server\\updates', package: 'mpam-fe.exe' };
    return wantsValue ? `${option} needs a value, e.g. ${option} ${example[name] ?? '7'}.` : `${option} takes no value.`;
  }
  return 'The command line could not be read.';
}

function withSuggestion(sentence: string, typed: string, known: readonly string[], quote = '"'): string {
  const best = closest(typed, known);
  return best ? `${sentence} Did you mean ${quote}${best}${quote}?` : sentence;
}

/** The known word within two edits (Levenshtein) of what was typed, the closest first. */
function closest(typed: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const word of known) {
    const d = editDistance(typed.toLowerCase(), word.toLowerCase());
    if (d < bestDistance) {
      best = word;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
