/**
 * What one line of MpCmdRun's console or MpCmdRun.log means. Microsoft documents neither; the patterns follow lines
 * in public captures (see test/standin/mpcmdrun_standin.c for the list and where each was seen). Spelling and
 * format drift between platform versions ("succesfully" in the log, "hr=80070652" and "hr=0x800704e8" on the
 * console), so the patterns are loose. A line that matches nothing means nothing: it is only logged.
 */
import type { MpCmdRunPhase } from '../../shared/mpcmdrun';
import { isFailure } from '../../shared/hresult';

export type LineMeaning =
  { kind: 'phase'; phase: MpCmdRunPhase } | { kind: 'succeeded'; upToDate: boolean } | { kind: 'failed'; hresult: number } | { kind: 'other' };

const PHASES: ReadonlyArray<readonly [RegExp, MpCmdRunPhase]> = [
  [/^signature update started\b/i, 'starting'], // console
  [/^update started\b/i, 'starting'], // log
  [/^search started\b/i, 'searching'],
  // Nothing is logged between "Search Completed" and the result: for a package on a share or in a folder there is
  // nothing to download, so that stretch is Defender installing it.
  [/^search completed\b/i, 'installing'],
  [/^starting (engine and )?signature rollback\b/i, 'removing'],
];

const SUCCEEDED = [/^update completed succ?ess?fully\b/i, /^signature update finished\b/i, /^done!$/i];
const UP_TO_DATE = /no updates needed/i;

/** "failed with hr=80070652", "Failed with hr = 0x80070652.", "Update failed with hr: 0x8050a004". */
const FAILED_WITH_HR = /\bfailed with hr\s*[=:]\s*(0x[0-9a-f]{1,8}|[0-9a-f]{8})\b/i;
/** The command's own result line in the log: "MpCmdRun.exe: hr = 0x8050a004." (0x0 on success). */
const RESULT_HR = /^mpcmdrun\.exe:\s*hr\s*=\s*(0x[0-9a-f]{1,8})\b/i;

export function classifyLine(line: string): LineMeaning {
  const text = line.trim();
  const hr = FAILED_WITH_HR.exec(text) ?? RESULT_HR.exec(text);
  if (hr?.[1]) {
    const value = Number.parseInt(hr[1].replace(/^0x/i, ''), 16) >>> 0;
    // "MpCmdRun.exe: hr = 0x0." and hr = 0x1 (S_FALSE) are not failures.
    return isFailure(value) ? { kind: 'failed', hresult: value } : { kind: 'other' };
  }
  for (const [pattern, phase] of PHASES) if (pattern.test(text)) return { kind: 'phase', phase };
  if (SUCCEEDED.some((p) => p.test(text))) return { kind: 'succeeded', upToDate: UP_TO_DATE.test(text) };
  return { kind: 'other' };
}
