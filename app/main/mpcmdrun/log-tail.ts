/**
 * Follows a log file another process appends to (MpCmdRun.log): remembers the size at start, then reads only what
 * was added, a bounded amount per read, opening the file for each read so the writer is never blocked. A file that
 * shrinks (rotated or deleted and written again) is read again from its start.
 */
import { open, stat } from 'node:fs/promises';
import { detectEncoding, TextLines, type TextEncoding } from './text-lines';

export const MAX_READ_BYTES = 256 * 1024;
const HEAD_BYTES = 256;

export class LogTail {
  private offset = 0;
  private lines: TextLines = new TextLines();

  constructor(
    readonly path: string,
    private readonly maxReadBytes = MAX_READ_BYTES,
  ) {}

  /** Skips what the file already holds; a missing file will be read from its start once it appears. */
  async start(): Promise<void> {
    const size = await sizeOf(this.path);
    if (size === null || size === 0) return this.restart();
    const encoding = detectEncoding(await this.readAt(0, HEAD_BYTES));
    // A UTF-16 writer may be half-way through a code unit: start on a whole one.
    this.offset = encoding === 'utf16le' ? size - (size % 2) : size;
    this.lines = new TextLines(encoding);
  }

  /** The complete lines added since the last read (at most maxReadBytes of them). */
  async read(): Promise<string[]> {
    const size = await sizeOf(this.path);
    if (size === null) return [];
    if (size < this.offset) this.restart();
    if (size === this.offset) return [];
    const bytes = await this.readAt(this.offset, Math.min(size - this.offset, this.maxReadBytes));
    this.offset += bytes.length;
    return this.lines.push(bytes);
  }

  /** Everything still unread, the last unfinished line included; reads at most `maxReads` chunks. */
  async finish(maxReads = 16): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < maxReads; i++) {
      const before = this.offset;
      out.push(...(await this.read()));
      if (this.offset === before) break;
    }
    out.push(...this.lines.end());
    return out;
  }

  private restart(encoding: TextEncoding | null = null): void {
    this.offset = 0;
    this.lines = new TextLines(encoding);
  }

  private async readAt(position: number, length: number): Promise<Buffer> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}
