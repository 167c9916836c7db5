/** Version and time formatting for MPCOMPONENT_VERSION values (docs/mpclient.md "Structures"). */

/**
 * Security intelligence older than this many days is stale: Defender's own threshold (Windows Security warns after
 * about a week; MpCmdRun and Get-MpComputerStatus use 7). The window, the freshness watch and the CLI all use it.
 */
export const STALE_AFTER_DAYS = 7;

/**
 * `Version` is a ULONGLONG of four WORDs. The docs list "major, minor, build, and revision" without saying which
 * WORD is most significant (open question 10); we follow the natural reading, major = most significant WORD,
 * which also matches how Get-MpComputerStatus prints signature versions (1.413.102.0).
 */
export function formatComponentVersion(version: bigint): string {
  const v = BigInt.asUintN(64, version);
  return [48n, 32n, 16n, 0n].map((shift) => ((v >> shift) & 0xffffn).toString()).join('.');
}

/** 100-ns intervals between 1601-01-01 and 1970-01-01 (the FILETIME epoch offset). */
const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** FILETIME → ISO-8601 UTC; null for 0 (never) or a value outside what a JS Date can hold. */
export function filetimeToIso(filetime: bigint): string | null {
  const ft = BigInt.asUintN(64, filetime);
  if (ft === 0n) return null;
  const ms = Number((ft - FILETIME_UNIX_EPOCH) / 10000n);
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 || d.getUTCFullYear() > 9999) return null;
  return d.toISOString();
}

export function isoToFiletime(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 10000n + FILETIME_UNIX_EPOCH;
}

/**
 * Whole days between an update time and now; null when unknown or impossible. Windows reports 4,294,967,295
 * (UINT32_MAX) as an age when it has no data (Get-MpComputerStatus), so anything negative or absurdly large is
 * "unknown", never a number to show.
 */
export function ageInDays(updatedAtIso: string | null, now: number = Date.now()): number | null {
  if (!updatedAtIso) return null;
  const t = Date.parse(updatedAtIso);
  if (Number.isNaN(t)) return null;
  const ms = now - t;
  // Just after an update Defender's clock may run a little ahead of ours: a time up to an hour ahead is "today".
  if (ms < 0) return ms > -3_600_000 ? 0 : null;
  const days = Math.floor(ms / 86_400_000);
  return days > 36_500 ? null : days;
}
