// Streams a text file line by line so multi-megabyte data never sits in memory as one string,
// and so `data.maxRows` can stop reading early.

import { createReadStream } from 'node:fs';

/** Return `false` to stop reading. `line` is 1-based; the text has no line terminator. */
export type LineHandler = (text: string, line: number) => boolean | void;

export interface LineReadResult {
  /** Lines passed to the handler. */
  lines: number;
  stoppedEarly: boolean;
}

/** Calls `onLine` for every line of `file` (LF or CRLF, a UTF-8 BOM is dropped, a final newline adds no empty line). */
export async function forEachLine(file: string, onLine: LineHandler, signal?: AbortSignal): Promise<LineReadResult> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 18 });
  let carry = '';
  let line = 0;
  const emit = (raw: string): boolean => {
    line++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return onLine(text, line) !== false;
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      signal?.throwIfAborted();
      let from = 0;
      let newline = chunk.indexOf('\n');
      if (newline >= 0) {
        if (!emit(carry + chunk.slice(0, newline))) return { lines: line, stoppedEarly: true };
        carry = '';
        from = newline + 1;
        while ((newline = chunk.indexOf('\n', from)) >= 0) {
          if (!emit(chunk.slice(from, newline))) return { lines: line, stoppedEarly: true };
          from = newline + 1;
        }
      }
      carry += chunk.slice(from);
    }
    if (carry.length > 0 && !emit(carry)) return { lines: line, stoppedEarly: true };
    return { lines: line, stoppedEarly: false };
  } finally {
    stream.destroy();
  }
}
