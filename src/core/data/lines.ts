// The one policy for reading text files: every reader (the loader, the lint probe, the config
// reader of the CLI) opens files here and splits lines here, so they agree on what a line is.
// - Only regular files are read: a FIFO, a device or a directory is refused before any read
//   (the file is opened non-blocking and checked with fstat, so a FIFO never blocks).
// - LF, CRLF and CR-only line ends; a UTF-8 byte order mark at the start is dropped.
// - Linear time in the file size, whatever the line lengths; a line longer than MAX_LINE_CHARS
//   or a NUL byte ends the read with an error naming the line (a 2 GB sparse file is not a table).
// - The synchronous reader takes a byte budget, so static checks read at most the file's head.

import * as fs from 'node:fs';
import { DataError, locationPrefix } from './errors';

/** Longest line any reader accepts (characters). A 20,000-step UCR row is about 400 KB. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

const CHUNK_BYTES = 1 << 16;

/** Return `false` to stop reading. `line` is 1-based; the text has no line terminator. */
export type LineHandler = (text: string, line: number) => boolean | void;

export interface LineReadResult {
  /** Lines passed to the handler. */
  lines: number;
  stoppedEarly: boolean;
  /** Sync reader only: the byte budget ended the read before the end of the file. */
  budgetExhausted?: boolean;
}

/** Why a file was refused before reading: not a regular file. `code` follows Node's errno names where one exists. */
export class NotAFileError extends Error {
  constructor(
    readonly path: string,
    readonly code: 'EISDIR' | 'ENOTREG',
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
    this.name = 'NotAFileError';
  }
}

export function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Opens `path` for reading, refusing anything but a regular file before reading a byte. */
export function openRegularFileSync(path: string): { fd: number; size: number } {
  const fd = fs.openSync(path, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotAFileError(path, stat.isDirectory() ? 'EISDIR' : 'ENOTREG', describeKind(stat));
    return { fd, size: stat.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** The async form of openRegularFileSync. */
export async function openRegularFile(path: string): Promise<fs.promises.FileHandle> {
  const handle = await fs.promises.open(path, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotAFileError(path, stat.isDirectory() ? 'EISDIR' : 'ENOTREG', describeKind(stat));
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A whole text file (a config), at most `maxBytes`, without its byte order mark. */
export function readTextFileSync(path: string, maxBytes = 16 * 1024 * 1024): string {
  const { fd, size } = openRegularFileSync(path);
  try {
    if (size > maxBytes) throw new Error(`${path} is ${size} bytes, more than the ${maxBytes} bytes a config may have`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, buffer, read, size - read, null);
      if (n === 0) break;
      read += n;
    }
    return stripBom(buffer.subarray(0, read).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A line that no reader accepts: too long, or holding a NUL byte. `line` is 1-based. */
export class BadLineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'BadLineError';
  }
}

/**
 * Incremental line splitter: feed decoded text in chunks of any size. Each character is looked
 * at once, so the cost is linear however long the lines are.
 */
export class LineSplitter {
  private parts: string[] = [];
  private partsLength = 0;
  private afterCr = false;
  private line = 0;
  private stopped = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  /** Lines emitted so far. */
  get lines(): number {
    return this.line;
  }

  /** Splits `chunk`; false once the handler asked to stop. */
  feed(chunk: string): boolean {
    if (this.stopped) return false;
    const nul = chunk.indexOf('\0');
    if (nul >= 0) {
      const before = chunk.slice(0, nul);
      const breaks = (before.match(/\r\n|\r|\n/g) ?? []).length;
      throw new BadLineError(this.line + 1 + breaks, 'holds a NUL byte: this is not a text file');
    }
    let from = 0;
    if (this.afterCr && chunk.charCodeAt(0) === 10) from = 1;
    this.afterCr = false;
    const length = chunk.length;
    for (;;) {
      let end = from;
      while (end < length) {
        const c = chunk.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
      if (end === length) {
        this.append(chunk, from, end);
        return true;
      }
      this.append(chunk, from, end);
      if (!this.emit()) return false;
      if (chunk.charCodeAt(end) === 13) {
        if (end + 1 === length) {
          this.afterCr = true;
          return true;
        }
        if (chunk.charCodeAt(end + 1) === 10) end++;
      }
      from = end + 1;
    }
  }

  /** Emits the last line (one without a terminator); false when the handler stopped. */
  end(): boolean {
    if (this.stopped) return false;
    if (this.partsLength > 0) return this.emit();
    return true;
  }

  private append(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    this.partsLength += to - from;
    if (this.partsLength > this.maxLineChars) {
      throw new BadLineError(this.line + 1, `is longer than ${Math.round(this.maxLineChars / 1024 / 1024)} M characters: not a line of a data table`);
    }
    this.parts.push(from === 0 && to === chunk.length ? chunk : chunk.slice(from, to));
  }

  private emit(): boolean {
    let text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    this.line++;
    if (this.line === 1) text = stripBom(text);
    if (this.onLine(text, this.line) === false) {
      this.stopped = true;
      return false;
    }
    return true;
  }
}

/** Lines of text already in memory, with the same rules as the file readers. */
export function forEachTextLine(text: string, onLine: LineHandler): LineReadResult {
  const splitter = new LineSplitter(onLine);
  const going = splitter.feed(text) && splitter.end();
  return { lines: splitter.lines, stoppedEarly: !going };
}

/** Turns a BadLineError into a DataError naming the file and line. */
function asDataError(error: unknown, file: string, display: string): unknown {
  if (error instanceof BadLineError) {
    return new DataError(`${locationPrefix(display, error.line)}line ${error.line} ${error.reason}`, { file, line: error.line, field: 'data.path' });
  }
  return error;
}

/**
 * Calls `onLine` for every line of `file`, reading at most `maxBytes` (the rest is not read and
 * `budgetExhausted` is set; the cut-off last line is not passed on). Synchronous because the
 * linter is.
 */
export function forEachLineSync(file: string, onLine: LineHandler, options: { maxBytes?: number; display?: string } = {}): LineReadResult {
  const maxBytes = options.maxBytes ?? Infinity;
  const { fd } = openRegularFileSync(file);
  try {
    const splitter = new LineSplitter(onLine);
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK_BYTES, maxBytes - total);
      if (want <= 0) return { lines: splitter.lines, stoppedEarly: false, budgetExhausted: true };
      const bytes = fs.readSync(fd, buffer, 0, want, null);
      if (bytes === 0) break;
      total += bytes;
      if (!splitter.feed(decoder.decode(buffer.subarray(0, bytes), { stream: true }))) return { lines: splitter.lines, stoppedEarly: true };
    }
    const going = splitter.feed(decoder.decode()) && splitter.end();
    return { lines: splitter.lines, stoppedEarly: !going };
  } catch (error) {
    throw asDataError(error, file, options.display ?? file);
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `onLine` for every line of `file`, streaming, so multi-megabyte data never sits in memory as one string. */
export async function forEachLine(file: string, onLine: LineHandler, signal?: AbortSignal, display = file): Promise<LineReadResult> {
  const handle = await openRegularFile(file);
  try {
    const splitter = new LineSplitter(onLine);
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.alloc(1 << 18);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      if (!splitter.feed(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }))) return { lines: splitter.lines, stoppedEarly: true };
    }
    const going = splitter.feed(decoder.decode()) && splitter.end();
    return { lines: splitter.lines, stoppedEarly: !going };
  } catch (error) {
    throw asDataError(error, file, display);
  } finally {
    await handle.close();
  }
}
