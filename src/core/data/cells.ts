// The one policy for turning a line of a data file into cells and a cell into a number, shared
// by the loader (csv.ts, ucr.ts), the lint probe (probe.ts) and everything else that reads data.
// Splitting honours RFC 4180 quoting; numbers are strict decimal literals: `N/A`, `1,234.5`,
// `0x1F`, `0b101`, `0o17`, `Infinity` or `1_000` are bad cells, never numbers, and missing cells
// are only the explicit markers below.

import { MAX_LINE_CHARS } from './lines';

/** Cells that mean "no value" (compared case-insensitively, after trimming). */
export const MISSING_MARKERS: ReadonlySet<string> = new Set(['', 'nan', 'null', 'na']);

/** Returned by `parseCell` for text that is neither a number nor a missing marker. */
export const NOT_A_NUMBER = Symbol('not a number');

/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when `text` (trimmed) is a missing marker. */
export function isMissingCell(text: string): boolean {
  return text.length <= 4 && MISSING_MARKERS.has(text.toLowerCase());
}

/** A finite number, NaN for a missing cell, or NOT_A_NUMBER (bad cells, and decimals beyond float64). */
export function parseCell(raw: string): number | typeof NOT_A_NUMBER {
  const text = raw.trim();
  if (isMissingCell(text)) return NaN;
  if (text.length > 400 || !DECIMAL.test(text)) return NOT_A_NUMBER;
  const value = Number(text);
  return Number.isFinite(value) ? value : NOT_A_NUMBER;
}

/**
 * What is wrong with a bad cell, in words that never repeat its content (data files may hold
 * secrets, and messages end up in SARIF uploads and logs).
 */
export function describeBadCell(raw: string): string {
  const text = raw.trim();
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(text)) return 'a hexadecimal literal';
  if (/^[+-]?0[bB][01]+$/.test(text)) return 'a binary literal';
  if (/^[+-]?0[oO][0-7]+$/.test(text)) return 'an octal literal';
  if (/^[+-]?(\d{1,3}(,\d{3})+)(\.\d+)?$/.test(text)) return 'a number with thousands separators';
  if (/^[+-]?\d+,\d+$/.test(text)) return 'a number with a decimal comma';
  if (/^[+-]?(inf|infinity)$/i.test(text)) return 'an infinite value';
  if (/^[+-]?[\d_]+(\.[\d_]+)?$/.test(text)) return 'a number with digit separators';
  if (DECIMAL.test(text)) return 'a number too large for 64-bit floating point';
  if (/^n\/a$|^none$|^-$|^\?$/i.test(text)) return 'a missing-value marker TSAE does not read';
  return 'text';
}

/** Labels are numbers when they look like numbers (so 1.0 in a file equals 1 in the config), else text. */
export function parseLabel(raw: string): number | string {
  const text = raw.trim();
  if (text === '') return text;
  const value = parseCell(text);
  return typeof value === 'number' && Number.isFinite(value) ? value : text;
}

/** Label equality across number/text: numerically when both sides are numbers. */
export function sameLabel(a: number | string, b: number | string): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : Number(a);
    const y = typeof b === 'number' ? b : Number(b);
    if (Number.isFinite(x) && Number.isFinite(y) && !(typeof a === 'string' && a.trim() === '') && !(typeof b === 'string' && b.trim() === '')) return x === y;
  }
  return String(a) === String(b);
}

/** Splits one CSV record. Returns undefined while a quoted field is still open (it continues on the next line). */
export function splitCsvRecord(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** A UCR row: values separated by whitespace or commas. */
export function splitUcrRecord(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/[\s,]+/);
}

/**
 * Joins physical lines into CSV records: a quoted field may hold line breaks, so a record can
 * span several lines. Feed lines in order; `push` returns the record's fields and first line
 * once it is complete. Blank lines outside a record carry no record.
 */
export class CsvRecordAssembler {
  private pending: { text: string; line: number; lines: number } | undefined;

  /** Lines a quoted field may span before the record is refused (a stray quote would otherwise swallow the file). */
  static readonly MAX_RECORD_LINES = 1000;

  push(text: string, line: number): { fields: string[]; line: number } | undefined {
    if (this.pending) {
      this.pending.text += `\n${text}`;
      this.pending.lines++;
    } else {
      if (text.trim() === '') return undefined;
      this.pending = { text, line, lines: 1 };
    }
    const fields = splitCsvRecord(this.pending.text);
    if (!fields) return undefined;
    const start = this.pending.line;
    this.pending = undefined;
    return { fields, line: start };
  }

  /** First line of a record whose quoted field is still open, if any. */
  get openSince(): number | undefined {
    return this.pending?.line;
  }

  /** True when an open quoted field has run over MAX_RECORD_LINES lines or MAX_LINE_CHARS characters. */
  get runaway(): boolean {
    return !!this.pending && (this.pending.lines > CsvRecordAssembler.MAX_RECORD_LINES || this.pending.text.length > MAX_LINE_CHARS);
  }
}

/** Growable Float64Array: typed storage while the row count is still unknown. */
export class FloatBuffer {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  /** Exactly `length` values (a copy, so the spare capacity is released). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
