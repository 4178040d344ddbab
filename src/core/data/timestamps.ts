// Timestamp order is checked but never enforced: real logs (NAB machine_temperature) repeat an
// hour after a clock reset, and reordering would invent a series that was never recorded. So
// problems become warnings and the rows stay in file order.

import { locationPrefix } from './errors';
import { quoteCell } from './cells';

const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Milliseconds (or the number itself for numeric stamps); undefined when unparseable. */
export function parseTimestamp(raw: string): number | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const numeric = Number(text);
  if (Number.isFinite(numeric)) return numeric;
  // Zone-less stamps are read as UTC so a daylight-saving change cannot fake a duplicate hour.
  const ms = ISO_LOCAL.test(text) ? Date.parse(`${text.replace(' ', 'T')}Z`) : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export class TimestampOrderCheck {
  private readonly seen = new Set<number>();
  private previous: { time: number; raw: string } | undefined;
  private backwards = 0;
  private firstBackwards: { line: number; raw: string; previousRaw: string } | undefined;
  private duplicates = 0;
  private firstDuplicate: { line: number; raw: string } | undefined;
  private unparseable: { line: number; raw: string } | undefined;

  constructor(private readonly display: string, private readonly columnName: string) {}

  add(raw: string, line: number): void {
    if (this.unparseable) return;
    const time = parseTimestamp(raw);
    if (time === undefined) {
      this.unparseable = { line, raw };
      return;
    }
    if (this.previous && time < this.previous.time) {
      this.backwards++;
      this.firstBackwards ??= { line, raw, previousRaw: this.previous.raw };
    }
    if (this.seen.has(time)) {
      this.duplicates++;
      this.firstDuplicate ??= { line, raw };
    } else {
      this.seen.add(time);
    }
    this.previous = { time, raw };
  }

  warnings(): string[] {
    const out: string[] = [];
    if (this.unparseable) {
      const { line, raw } = this.unparseable;
      out.push(`${locationPrefix(this.display, line)}timestamp ${quoteCell(raw)} in column "${this.columnName}" is not a date or number; timestamp order not checked`);
      return out;
    }
    if (this.firstBackwards) {
      const { line, raw, previousRaw } = this.firstBackwards;
      const times = this.backwards === 1 ? '1 time' : `${this.backwards} times`;
      out.push(`${locationPrefix(this.display, line)}timestamps go backwards ${times} (first at line ${line}: ${quoteCell(raw)} after ${quoteCell(previousRaw)}); rows are used in file order`);
    }
    if (this.firstDuplicate) {
      const { line, raw } = this.firstDuplicate;
      const what = this.duplicates === 1 ? '1 duplicate timestamp' : `${this.duplicates} duplicate timestamps`;
      out.push(`${locationPrefix(this.display, line)}${what} (first at line ${line}: ${quoteCell(raw)}); rows are used in file order`);
    }
    return out;
  }
}
