/**
 * Every JSON file the app keeps in the user data folder (settings, history, the restart prompt, the window's place)
 * goes through one store: read once, checked with a zod schema, salvaged where part of it can be kept, written
 * atomically, writes queued in order. A file that cannot be read as JSON or does not match is moved aside
 * (`name.corrupt-<time>`) so nothing is lost, and the app starts from the fallback; a store with a notice key tells
 * the user, once, what was reset or left out.
 *
 * A file that exists but cannot be read (an antivirus, a backup or an indexer holding it: EBUSY, EPERM, EACCES on
 * Windows) is never written over: the read is retried, and if it still fails the app works from memory and keeps its
 * changes until a later read succeeds; then the changes are merged into what the file held.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
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

/** The file system as the store uses it: a port, so a test can make a read fail as Windows does. */
export interface StoreFs {
  readFile(path: string): Buffer;
  rename(from: string, to: string): void;
  /** Names in a folder; throws when it cannot be listed. */
  list(dir: string): string[];
  remove(path: string): void;
  writeAtomic(path: string, text: string): Promise<void>;
  /** Waits between two read attempts (synchronously: the stores are read once, at start). */
  pause(ms: number): void;
}

export const nodeStoreFs: StoreFs = {
  readFile: (path) => readFileSync(path),
  rename: (from, to) => renameSync(from, to),
  list: (dir) => readdirSync(dir),
  remove: (path) => rmSync(path, { force: true }),
  async writeAtomic(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    await writeFileAtomic(path, text, { encoding: 'utf8' });
  },
  pause: (ms) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
};

/** Where a store keeps its file, and its clock (for the moved-aside file's name and notice ids). */
export interface StoreLocation {
  /** The user data folder (app.getPath('userData') in Electron). */
  dir: string;
  now?: () => number;
  fs?: StoreFs;
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
  /** The notice for a file that exists but could not be read; the reset notice's key unless given. */
  unreadableNoticeKey?: Notice['key'] | null;
  /**
   * What to write once a file that could not be read at start can be read: `fromFile` is what it held, `current` the
   * value to save, `atLoad` what the app started from instead. The current value unless given.
   */
  merge?: (fromFile: T, current: T, atLoad: T) => T;
}

export interface JsonStore<T> {
  readonly path: string;
  /** Reads the file; never throws. */
  load(): Loaded<T>;
  /** Writes the value; while the file cannot be read, keeps it in memory instead (never writes over the file). */
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

/** Errors Windows gives while another program has the file open; they pass. */
const TRANSIENT = new Set(['EBUSY', 'EPERM', 'EACCES', 'EMFILE', 'EAGAIN']);
/** Pauses before each retry of a read that failed with a transient error. */
const RETRY_PAUSES_MS = [25, 50, 100];

/** Why a file could not be read, in words; the system's code in brackets for support. */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EBUSY':
      return 'another program is using it (EBUSY)';
    case 'EPERM':
    case 'EACCES':
      return `access to it was refused, often while an antivirus or a backup has it open (${code})`;
    case 'EMFILE':
      return 'too many files were open (EMFILE)';
    case 'EAGAIN':
      return 'it was not available for a moment (EAGAIN)';
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR)';
    default:
      return code ? `the system refused to read it (${code})` : messageOf(error);
  }
}

/**
 * The text of a file, whichever of the encodings Windows tools write it in: UTF-8 with or without a byte-order mark
 * (Notepad), UTF-16 LE (PowerShell 5's Out-File, Notepad's "Unicode") or BE, with a mark or, for JSON, without one.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  // JSON starts with an ASCII character: UTF-16 without a mark has a zero byte beside it.
  if (bytes.length >= 2 && bytes.length % 2 === 0 && bytes[0] !== 0 && bytes[1] === 0) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes.length % 2 === 0 && bytes[0] === 0 && bytes[1] !== 0) return Buffer.from(bytes).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

/** What is wrong with text that is not JSON, in words (never JSON.parse's own message). */
function jsonProblem(text: string, error: unknown): string {
  if (text.trim() === '') return 'the file is empty';
  if (text.includes('\u0000') || text.includes('\ufffd')) return 'it holds binary data, not text';
  const message = messageOf(error);
  if (/end of JSON input|Unterminated/i.test(message)) return 'the text stops before it is complete (it may have been cut off while being written)';
  const position = /position (\d+)/.exec(message);
  const line = position ? text.slice(0, Number(position[1])).split('\n').length : null;
  return line === null ? 'the text is not valid JSON' : `the text is not valid JSON (a mistake on line ${line})`;
}

type FileRead<F> =
  | { kind: 'valid'; file: F }
  | { kind: 'missing' }
  /** Not valid: moved aside (or not), the app starts from the fallback. */
  | { kind: 'reset'; problem: string }
  /** There, but not readable: nothing is moved, nothing may be written over it. */
  | { kind: 'unreadable'; problem: string };

/** Reads the file, retrying errors that pass; a file that is there but not valid is moved aside first. */
function readFile<F>(fs: StoreFs, path: string, file: string, schema: z.ZodType<F>, now: number): FileRead<F> {
  let bytes: Buffer | null = null;
  for (let attempt = 0; bytes === null; attempt++) {
    try {
      bytes = fs.readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'missing' };
      const pause = RETRY_PAUSES_MS[attempt];
      if (!code || !TRANSIENT.has(code) || pause === undefined)
        return { kind: 'unreadable', problem: `${file} could not be read: ${readProblem(error)}` };
      fs.pause(pause);
    }
  }
  const text = decodeText(bytes);
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'valid', file: parsed.data };
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
      .join('; ');
    reason = `its content is not what this version expects (${issues})`;
  } catch (error) {
    reason = jsonProblem(text, error);
  }
  const movedTo = `${path}.corrupt-${fileTimestamp(now)}`;
  try {
    fs.rename(path, movedTo);
    return { kind: 'reset', problem: `${file} could not be used: ${reason}. The old file was kept as ${movedTo}` };
  } catch (error) {
    return { kind: 'reset', problem: `${file} could not be used: ${reason}. It could not be moved aside: ${readProblem(error)}` };
  }
}

/** write-file-atomic writes `<file>.<number>` and renames it; one left behind is a write that was interrupted. */
function removeOrphans(fs: StoreFs, dir: string, file: string): void {
  let names: string[];
  try {
    names = fs.list(dir);
  } catch {
    return; // no folder yet, or not listable: nothing to tidy
  }
  const prefix = `${file}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    try {
      fs.remove(join(dir, name));
    } catch {
      // Still open somewhere; the next start tries again.
    }
  }
}

export function createJsonStore<F, T>(options: JsonStoreOptions<F, T>): JsonStore<T> {
  const path = join(options.dir, options.file);
  const fs = options.fs ?? nodeStoreFs;
  const now = options.now ?? Date.now;
  const toFile = options.toFile ?? ((value: T): unknown => value);
  const merge = options.merge ?? ((_fromFile: T, current: T): T => current);
  // How far the file can be trusted: read at start; not read, so never written; or read later, so merged into.
  let disk: { kind: 'read' } | { kind: 'unreadable'; atLoad: T } | { kind: 'read-late'; fromFile: T; atLoad: T } = { kind: 'read' };
  // Writes are queued so a burst of saves lands in order and the last one wins.
  let queue: Promise<void> = Promise.resolve();

  const valueOf = (read: FileRead<F>): Salvaged<T> => options.salvage(read.kind === 'valid' ? read.file : options.fallback());

  /** While the file could not be read: try again; what the file holds once it can be, or null. */
  const readAgain = (): T | null => {
    const read = readFile(fs, path, options.file, options.schema, now());
    return read.kind === 'unreadable' ? null : valueOf(read).value;
  };

  return {
    path,
    load() {
      const t = now();
      removeOrphans(fs, options.dir, options.file);
      const read = readFile(fs, path, options.file, options.schema, t);
      const { value, leftOut } = valueOf(read);
      disk = read.kind === 'unreadable' ? { kind: 'unreadable', atLoad: value } : { kind: 'read' };
      const detail = read.kind === 'unreadable' || read.kind === 'reset' ? read.problem : leftOut;
      const key = read.kind === 'unreadable' && options.unreadableNoticeKey !== undefined ? options.unreadableNoticeKey : options.noticeKey;
      return { value, notice: key && detail !== null ? { id: `${key}-${t}`, level: 'warning', key, detail } : null };
    },
    save(value) {
      const next = queue.then(async () => {
        if (disk.kind === 'unreadable') {
          const fromFile = readAgain();
          if (fromFile === null) return; // kept in memory: the app goes on with it, the file stays as it is
          disk = { kind: 'read-late', fromFile, atLoad: disk.atLoad };
        }
        const written = disk.kind === 'read-late' ? merge(disk.fromFile, value, disk.atLoad) : value;
        await fs.writeAtomic(path, JSON.stringify(toFile(written), null, 2) + '\n');
      });
      // A failed write must not block the ones after it; the caller of this write still sees the failure.
      queue = next.catch(() => undefined);
      return next;
    },
    idle: () => queue,
  };
}
