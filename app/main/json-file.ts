/**
 * One JSON file in the user data folder: read and validated with a zod schema, written atomically. A file that
 * cannot be parsed or does not match is moved aside (`name.corrupt-<time>`) so nothing is lost and the app starts
 * with defaults; the caller turns `problem` into a notice.
 */
import { readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';

export interface JsonReadResult<T> {
  value: T;
  /** Set when the file existed but could not be used. */
  problem: { reason: string; movedTo: string | null } | null;
}

/** `2025-01-02T03-04-05-678Z`: an ISO time without the colons Windows forbids in file names. */
export function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function readJsonFile<T>(path: string, schema: z.ZodType<T>, fallback: () => T, now: number): JsonReadResult<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: fallback(), problem: null };
    return {
      value: fallback(),
      problem: {
        reason: `cannot read ${basename(path)}: ${describe(error)}`,
        movedTo: null,
      },
    };
  }
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { value: parsed.data, problem: null };
    reason = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      .join('; ');
  } catch (error) {
    reason = describe(error);
  }
  const movedTo = `${path}.corrupt-${fileTimestamp(now)}`;
  try {
    renameSync(path, movedTo);
    return {
      value: fallback(),
      problem: {
        reason: `${basename(path)} is not valid (${reason})`,
        movedTo,
      },
    };
  } catch (error) {
    return {
      value: fallback(),
      problem: {
        reason: `${basename(path)} is not valid (${reason}) and could not be moved aside: ${describe(error)}`,
        movedTo: null,
      },
    };
  }
}

/**
 * What a reset notice says: why the file could not be used (and where the old one was kept), or else what part of a
 * usable file was left out; null when the file was fine.
 */
export function resetDetail(problem: JsonReadResult<unknown>['problem'], partial: string | null): string | null {
  if (problem) return problem.movedTo ? `${problem.reason}; the old file was kept as ${problem.movedTo}` : problem.reason;
  return partial;
}

/** Writes are queued per file so a burst of saves lands in order and the last one wins. */
export class JsonFileWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  write(value: unknown): Promise<void> {
    const text = JSON.stringify(value, null, 2) + '\n';
    const next = this.queue.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, text, { encoding: 'utf8' });
    });
    // A failed write must not block the ones after it; the caller of this write still sees the failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued write has settled. */
  idle(): Promise<void> {
    return this.queue;
  }
}
