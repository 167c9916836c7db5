/** What the bench processes share: medians, percentiles, and handing their figures to scripts/bench.mjs. */
import { writeFileSync } from 'node:fs';

/** A figure by its dotted key (`engine.usPerNotification`), as bench.json nests it. */
export type Figures = Record<string, number | string | boolean | null>;

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Writes the figures where `--out <file>` says (scripts/bench.mjs passes it), else prints them. */
export function report(figures: Figures): void {
  const at = process.argv.indexOf('--out');
  const file = at >= 0 ? process.argv[at + 1] : undefined;
  if (file) writeFileSync(file, JSON.stringify(figures));
  else console.log(JSON.stringify(figures, null, 2));
}

/** Runs a bench's main and exits non-zero with its message when it fails (an unhandled rejection would say less). */
export function runBench(main: () => Promise<Figures>): void {
  main().then(
    (figures) => {
      report(figures);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}

/** Every wait in a bench has a deadline: a storm that never ends is reported, not waited for. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
