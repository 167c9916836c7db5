/**
 * Bytes from a Windows tool → lines of text. MpCmdRun.log is UTF-16LE (a public log checker decodes it so; whether it
 * starts with a BOM is not known), `wmic` writes UTF-16 when redirected, console output is 8-bit: the encoding is
 * taken from the first bytes. Chunks may end anywhere (mid-character, mid-line); lines are bounded.
 */
import { StringDecoder } from 'node:string_decoder';

export type TextEncoding = 'utf8' | 'utf16le';

/** BOM first; without one, UTF-16LE is recognised by the zero high bytes of ASCII text. */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  const pairs = Math.floor(Math.min(head.length, 256) / 2);
  if (pairs === 0) return 'utf8';
  let zeroHigh = 0;
  for (let i = 0; i < pairs; i++) if (head[2 * i + 1] === 0 && head[2 * i] !== 0) zeroHigh++;
  return zeroHigh * 2 >= pairs ? 'utf16le' : 'utf8';
}

/** U+200E/U+200F (MpCmdRun puts them in its dates) and U+FEFF (BOM) are formatting, not text. */
const FORMAT_MARKS = /[\u200e\u200f\ufeff]/g;

export const MAX_LINE_CHARS = 8192;

/** Splits a byte stream into lines; the encoding is fixed by the first bytes unless given. */
export class TextLines {
  private decoder: StringDecoder | null;
  private head: Buffer = Buffer.alloc(0);
  private pending = '';

  constructor(
    encoding: TextEncoding | null = null,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {
    this.decoder = encoding ? new StringDecoder(encoding) : null;
  }

  /** The complete lines these bytes finish (empty lines dropped). */
  push(bytes: Uint8Array): string[] {
    if (!this.decoder) {
      // Two bytes are needed to tell UTF-16 from 8-bit text.
      this.head = Buffer.concat([this.head, bytes]);
      if (this.head.length < 2) return [];
      this.decoder = new StringDecoder(detectEncoding(this.head));
      bytes = this.head;
      this.head = Buffer.alloc(0);
    }
    return this.split(this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), false);
  }

  /** Whatever is left when the stream ends, as a last line. */
  end(): string[] {
    const rest = this.decoder ? this.decoder.end() : this.head.toString('latin1');
    this.head = Buffer.alloc(0);
    return this.split(rest, true);
  }

  private split(text: string, final: boolean): string[] {
    const parts = (this.pending + text).split('\n');
    this.pending = final ? '' : (parts.pop() ?? '');
    const lines: string[] = [];
    const add = (raw: string) => {
      const line = raw.replace(FORMAT_MARKS, '').replace(/\r+$/, '').replace(/\r/g, ' ').trimEnd();
      if (line) lines.push(line);
    };
    for (const part of parts) for (let i = 0; i < Math.max(part.length, 1); i += this.maxLineChars) add(part.slice(i, i + this.maxLineChars));
    // An unfinished line longer than the limit is let out in pieces, so memory stays bounded.
    while (this.pending.length > this.maxLineChars) {
      add(this.pending.slice(0, this.maxLineChars));
      this.pending = this.pending.slice(this.maxLineChars);
    }
    return lines;
  }
}
