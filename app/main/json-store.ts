/**
 * Every JSON file the app keeps in the user data folder (settings, history, the restart prompt, the window's place)
 * goes through one store: read once, checked with a zod schema, salvaged where part of it can be kept, written
 * atomically, writes queued in order. A file that cannot be read as JSON or does not match is moved aside
 * (`name.corrupt-<time>`) so nothing is lost, and the app starts from the fallback; a store with a notice key tells
 * the user, once, what was reset or left out.
 */
import { readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import type { Notice } from '../shared/app-state';
import { messageOf } from '../shared/ipc-result';
import type { Loaded } from './ports';

/** What a valid file gave, and what of it had to be left out (null: nothing). */
export interface Salvaged<T> {
  value: T;
  leftOut: string | null;
}

/** Where a store keeps its file, and its clock (for the moved-aside file's name and notice ids). */
export interface StoreLocation {
  /** The user data folder (app.getPath('userData') in Electron). */
  dir: string;
  now?: () => number;
}

export interface JsonStoreOptions<F, T> extends StoreLocation {
  file: string;
  /** What the file must be as a whole; one that is not is moved aside. */
  schema: z.ZodType<F>;
  /** What a missing or moved-aside file reads as. */
  fallback: () => F;
  /** Turns a valid file into the value, keeping what it can. */
  salvage: (file: F) => Salvaged<T>;
  /** What is written for a value; the value itself unless given. */
  toFile?: (value: T) => unknown;
  /** The notice for a reset or partly kept file; null when losing the file needs no word to the user. */
  noticeKey: Notice['key'] | null;
}

export interface JsonStore<T> {
  readonly path: string;
  /** Reads the file; never throws. */
  load(): Loaded<T>;
  save(value: T): Promise<void>;
  /** Resolves when every queued write has settled. */
  idle(): Promise<void>;
}

/** For a file whose schema is the whole story: what is valid is kept as it is. */
export function keepAll<T>(value: T): Salvaged<T> {
  return { value, leftOut: null };
}

/** `2025-01-02T03-04-05-678Z`: an ISO time without the colons Windows forbids in file names. */
function fileTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

/** The valid file, or why there is none (null: no file yet); a bad file is moved aside first. */
function readValidFile<F>(path: string, file: string, schema: z.ZodType<F>, now: number): { file: F } | { problem: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: null };
    return { problem: `cannot read ${file}: ${messageOf(error)}` };
  }
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { file: parsed.data };
    reason = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      .join('; ');
  } catch (error) {
    reason = messageOf(error);
  }
  const movedTo = `${path}.corrupt-${fileTimestamp(now)}`;
  try {
    renameSync(path, movedTo);
    return { problem: `${file} is not valid (${reason}); the old file was kept as ${movedTo}` };
  } catch (error) {
    return { problem: `${file} is not valid (${reason}) and could not be moved aside: ${messageOf(error)}` };
  }
}

export function createJsonStore<F, T>(options: JsonStoreOptions<F, T>): JsonStore<T> {
  const path = join(options.dir, options.file);
  const now = options.now ?? Date.now;
  const toFile = options.toFile ?? ((value: T): unknown => value);
  // Writes are queued so a burst of saves lands in order and the last one wins.
  let queue: Promise<void> = Promise.resolve();
  return {
    path,
    load() {
      const t = now();
      const read = readValidFile(path, options.file, options.schema, t);
      const { value, leftOut } = options.salvage('file' in read ? read.file : options.fallback());
      const detail = 'problem' in read ? read.problem : leftOut;
      const key = options.noticeKey;
      return { value, notice: key && detail !== null ? { id: `${key}-${t}`, level: 'warning', key, detail } : null };
    },
    save(value) {
      const text = JSON.stringify(toFile(value), null, 2) + '\n';
      const next = queue.then(async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(path, text, { encoding: 'utf8' });
      });
      // A failed write must not block the ones after it; the caller of this write still sees the failure.
      queue = next.catch(() => undefined);
      return next;
    },
    idle: () => queue,
  };
}
