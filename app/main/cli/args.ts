/** Command-line parsing for the headless CLI. Every mistake gets a sentence a person can act on, never a parser dump. */
import { parseArgs } from 'node:util';
import { UPDATE_SOURCES, type OfflineJob, type UpdateSource } from '../../shared/update';
import { STALE_AFTER_DAYS } from '../../shared/versions';
import { t } from './text';

/** Defender's own default for when security intelligence is "due" (MpCmdRun / Get-MpComputerStatus). */
export const DEFAULT_MAX_AGE_DAYS = STALE_AFTER_DAYS;

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

export const USAGE = t('cli.usage', { sources: UPDATE_SOURCES.join('|'), maxAge: DEFAULT_MAX_AGE_DAYS });

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
  if (extra.length > 0) return { kind: 'usage-error', message: t('cli.args.unexpected', { arg: extra[0]! }) };
  if (command === undefined) return { kind: 'usage-error', message: t('cli.args.noCommand') };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: 'usage-error', message: withSuggestion(t('cli.args.unknownCommand', { command }), command, COMMANDS) };
  }
  for (const [name, owner] of Object.entries(OPTION_COMMAND)) {
    if (values[name as keyof typeof values] !== undefined && owner !== command) {
      return { kind: 'usage-error', message: t('cli.args.wrongCommand', { option: name, command: owner }) };
    }
  }
  const json = values.json === true;
  if (command === 'repair') return { kind: 'update', source: null, json, offline: { kind: 'repair', all: values.all === true } };
  if (command === 'update') {
    if (values.package !== undefined) {
      if (values.source !== undefined || values.path !== undefined) return { kind: 'usage-error', message: t('cli.args.packageAlone') };
      if (!values.package.trim()) return { kind: 'usage-error', message: t('cli.args.packageEmpty') };
      return { kind: 'update', source: 'file-share', json, offline: { kind: 'package', file: values.package } };
    }
    if (values.path !== undefined) {
      if ((values.source ?? 'file-share') !== 'file-share') return { kind: 'usage-error', message: t('cli.args.pathSource') };
      if (!values.path.trim()) return { kind: 'usage-error', message: t('cli.args.pathEmpty') };
      return { kind: 'update', source: 'file-share', json, offline: { kind: 'folder', path: values.path } };
    }
    const source = values.source ?? null;
    if (source !== null && !(UPDATE_SOURCES as readonly string[]).includes(source)) {
      return {
        kind: 'usage-error',
        message: withSuggestion(t('cli.args.unknownSource', { source, sources: UPDATE_SOURCES.join(', ') }), source, UPDATE_SOURCES),
      };
    }
    return { kind: 'update', source: source as UpdateSource | null, json };
  }
  if (command === 'status') {
    const text = values['max-age-days'];
    const maxAgeDays = text === undefined ? DEFAULT_MAX_AGE_DAYS : Number(text);
    if (!Number.isInteger(maxAgeDays) || maxAgeDays < 0 || maxAgeDays > 3650) {
      return { kind: 'usage-error', message: t('cli.args.maxAge', { text: String(text) }) };
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
    return withSuggestion(t('cli.args.unknownOption', { option }), option, known, '');
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const wantsValue = (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
    const example: Record<string, string> = { source: 'mmpc', path: '\\\\server\\updates', package: 'mpam-fe.exe' };
    return wantsValue ? t('cli.args.needsValue', { option, example: `${option} ${example[name] ?? '7'}` }) : t('cli.args.noValue', { option });
  }
  return t('cli.args.unreadable');
}

function withSuggestion(sentence: string, typed: string, known: readonly string[], quote = '"'): string {
  const best = closest(typed, known);
  return best ? t('cli.args.didYouMean', { sentence, suggestion: `${quote}${best}${quote}` }) : sentence;
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
