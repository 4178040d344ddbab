// Strict cell parsing. `Number()` alone would turn '' into 0 and accept ' 12 ' silently; here
// the missing markers are explicit and anything else that is not a finite number is an error.

const MISSING_MARKERS = new Set(['', 'nan', 'null', 'na']);

/** Returned by `parseCell` for text that is neither a number nor a missing marker. */
export const NOT_A_NUMBER = Symbol('not a number');

/** A finite number, NaN for a missing cell, or NOT_A_NUMBER. */
export function parseCell(raw: string): number | typeof NOT_A_NUMBER {
  const text = raw.trim();
  if (MISSING_MARKERS.has(text.toLowerCase())) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NOT_A_NUMBER;
}

/** Labels are numbers when they look like numbers (so 1.0 in a file equals 1 in the config), else text. */
export function parseLabel(raw: string): number | string {
  const text = raw.trim();
  if (text === '') return text;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
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

/** Shows a cell in a message without flooding it. */
export function quoteCell(raw: string): string {
  const text = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  return JSON.stringify(text);
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

  /** Exactly `length` values (a copy, so the spare capacity is released). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
