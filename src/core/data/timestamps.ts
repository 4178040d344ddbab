// The one policy for timestamp columns: which column is the timestamp, how a stamp is read, and
// what the stamps say about the series (order, duplicates, cadence, gaps). The loader, the lint
// probe, the rules and the config helpers all use this module.
//
// Timestamp order is checked but never enforced: real logs (NAB machine_temperature) repeat an
// hour after a clock reset, and reordering would invent a series that was never recorded. So
// problems become warnings and the rows stay in file order. Messages name lines, never the
// stamps themselves (data files may hold anything; messages reach logs and SARIF uploads).

import { FloatBuffer } from './cells';

/** Column names (case-insensitive) a timestamp column goes by when `data.timestamp` is not set. */
export const TIMESTAMP_NAMES: ReadonlySet<string> = new Set(['timestamp', 'time', 'date', 'datetime', 'ts']);

export function isTimestampName(name: string): boolean {
  return TIMESTAMP_NAMES.has(name.trim().toLowerCase());
}

/** Index of the timestamp column: the configured name, else the first header name in TIMESTAMP_NAMES; -1 when none. */
export function timestampColumnIndex(header: readonly string[], configured?: string): number {
  if (configured !== undefined) return header.indexOf(configured);
  return header.findIndex(isTimestampName);
}

const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Milliseconds (or the number itself for numeric stamps); undefined when unparseable. */
export function parseTimestamp(raw: string): number | undefined {
  const text = raw.trim();
  if (text === '' || text.length > 64) return undefined;
  const numeric = Number(text);
  if (Number.isFinite(numeric)) return numeric;
  // Zone-less stamps are read as UTC so a daylight-saving change cannot fake a duplicate hour.
  const ms = ISO_LOCAL.test(text) ? Date.parse(`${text.replace(' ', 'T')}Z`) : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A step of at least GAP_FACTOR times the usual one is a gap (one missing sample makes a step of 2). */
export const GAP_FACTOR = 1.5;
/** Steps within this fraction of the usual step are regular. */
export const CADENCE_TOLERANCE = 0.1;

export interface StampPlace {
  /** 1-based line in the data file. */
  line: number;
  /** 0-based data row. */
  row: number;
}

export interface TimestampReport {
  column: string;
  /** Rows looked at. */
  rows: number;
  /** Stamps are dates (milliseconds) rather than plain numbers. */
  dates: boolean;
  /** First stamp that is neither a date nor a number; nothing else is checked past it. */
  unparseable?: StampPlace;
  backwards: { count: number; first?: StampPlace & { previousLine: number } };
  duplicates: { count: number; first?: StampPlace & { firstLine: number } };
  /** The usual step between rows (median of the positive steps); undefined with fewer than 2 increasing stamps. */
  cadence?: number;
  /** Steps of at least GAP_FACTOR x cadence, with the largest one. */
  gaps: { count: number; missingSteps: number; largest?: { step: number; before: StampPlace; after: StampPlace } };
  /** Positive steps off the cadence by more than CADENCE_TOLERANCE that are not gaps. */
  irregular: { count: number; first?: StampPlace };
  /** Positive steps seen. */
  steps: number;
}

/** Collects a timestamp column row by row (linear: a Set for duplicates); `report` analyses any prefix. */
export class TimestampTrack {
  private readonly times = new FloatBuffer();
  private readonly lines: number[] = [];
  private unparseableRow = -1;
  private dates = false;
  /** Reports by row count: the linter asks on every keystroke, the track does not change once read. */
  private readonly reports = new Map<number, TimestampReport>();

  constructor(readonly column: string) {}

  add(raw: string, line: number): void {
    if (this.unparseableRow >= 0) return;
    const time = parseTimestamp(raw);
    if (time === undefined) {
      this.unparseableRow = this.lines.length;
      this.lines.push(line);
      return;
    }
    if (!this.dates && !Number.isFinite(Number(raw.trim()))) this.dates = true;
    this.times.push(time);
    this.lines.push(line);
    this.reports.clear();
  }

  /** The analysis of the first `maxRows` rows (all by default); computed once per row count. */
  report(maxRows = Infinity): TimestampReport {
    const cached = this.reports.get(maxRows);
    if (cached) return cached;
    const report = this.analyse(maxRows);
    if (this.reports.size > 8) this.reports.clear();
    this.reports.set(maxRows, report);
    return report;
  }

  private analyse(maxRows: number): TimestampReport {
    const usable = this.unparseableRow >= 0 ? this.unparseableRow : this.times.length;
    const rows = Math.min(usable, maxRows);
    const report: TimestampReport = {
      column: this.column,
      rows,
      dates: this.dates,
      backwards: { count: 0 },
      duplicates: { count: 0 },
      gaps: { count: 0, missingSteps: 0 },
      irregular: { count: 0 },
      steps: 0,
    };
    if (this.unparseableRow >= 0 && this.unparseableRow < maxRows) {
      report.unparseable = { line: this.lines[this.unparseableRow], row: this.unparseableRow };
    }
    const seen = new Map<number, number>();
    const positive: number[] = [];
    for (let r = 0; r < rows; r++) {
      const time = this.times.get(r);
      const line = this.lines[r];
      const firstLine = seen.get(time);
      if (firstLine !== undefined) {
        report.duplicates.count++;
        report.duplicates.first ??= { line, row: r, firstLine };
      } else seen.set(time, line);
      if (r === 0) continue;
      const step = time - this.times.get(r - 1);
      if (step < 0) {
        report.backwards.count++;
        report.backwards.first ??= { line, row: r, previousLine: this.lines[r - 1] };
      } else if (step > 0) positive.push(step);
    }
    report.steps = positive.length;
    if (positive.length < 2) return report;
    const cadence = median(positive);
    report.cadence = cadence;
    for (let r = 1; r < rows; r++) {
      const step = this.times.get(r) - this.times.get(r - 1);
      if (step <= 0) continue;
      if (step >= GAP_FACTOR * cadence) {
        report.gaps.count++;
        report.gaps.missingSteps += Math.max(1, Math.round(step / cadence) - 1);
        if (!report.gaps.largest || step > report.gaps.largest.step) {
          report.gaps.largest = { step, before: { line: this.lines[r - 1], row: r - 1 }, after: { line: this.lines[r], row: r } };
        }
      } else if (Math.abs(step - cadence) > CADENCE_TOLERANCE * cadence) {
        report.irregular.count++;
        report.irregular.first ??= { line: this.lines[r], row: r };
      }
    }
    return report;
  }
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const UNITS: Array<[number, string]> = [
  [7 * 86_400_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
  [1, 'ms'],
];

/** The one format for a time step: "5 min", "1 h", "1 day", "2 weeks"; numeric stamps as "3 timestamp units". */
export function describeStep(cadence: { step: number; dates: boolean }, steps = 1): string {
  const span = cadence.step * steps;
  if (!cadence.dates) return `${Number(span.toPrecision(4))} timestamp units`;
  const unitName = (unit: string, n: number): string => (unit === 'day' || unit === 'week' ? (n === 1 ? unit : `${unit}s`) : unit);
  for (const [ms, unit] of UNITS) {
    // An exact count of a unit, unless a larger unit reads better (10085 min is "1 week").
    if (span >= ms && Math.abs(span / ms - Math.round(span / ms)) < 1e-6 && span / ms < 1000) {
      const n = Math.round(span / ms);
      return `${n} ${unitName(unit, n)}`;
    }
  }
  for (const [ms, unit] of UNITS) {
    if (span >= ms) {
      const n = Number((span / ms).toPrecision(3));
      return `${n} ${unitName(unit, n)}`;
    }
  }
  return `${span} ms`;
}

/** The loader's warnings for a report: file:line first, never the stamps themselves. */
export function timestampWarnings(report: TimestampReport, prefix: (line: number) => string): string[] {
  const out: string[] = [];
  const column = `column "${report.column}"`;
  if (report.unparseable) {
    out.push(`${prefix(report.unparseable.line)}the timestamp in ${column} is not a date or number; timestamp order not checked past line ${report.unparseable.line}`);
  }
  const { backwards, duplicates, gaps, irregular } = report;
  if (backwards.first) {
    const times = backwards.count === 1 ? '1 time' : `${backwards.count} times`;
    out.push(
      `${prefix(backwards.first.line)}timestamps in ${column} go backwards ${times} (first at line ${backwards.first.line}, after line ${backwards.first.previousLine}); rows are used in file order`,
    );
  }
  if (duplicates.first) {
    const what = duplicates.count === 1 ? '1 duplicate timestamp' : `${duplicates.count} duplicate timestamps`;
    out.push(
      `${prefix(duplicates.first.line)}${what} in ${column} (first at line ${duplicates.first.line}, same as line ${duplicates.first.firstLine}); rows are used in file order`,
    );
  }
  if (gaps.largest && report.cadence !== undefined) {
    const { step, before, after } = gaps.largest;
    const what = gaps.count === 1 ? '1 gap' : `${gaps.count} gaps`;
    out.push(
      `${prefix(after.line)}${what} in ${column} (about ${gaps.missingSteps} missing steps of ${describeStep({ step: report.cadence, dates: report.dates })}); the largest is ${describeStep({ step: step, dates: report.dates })} between lines ${before.line} and ${after.line}; windows that span a gap join series that are not contiguous`,
    );
  }
  if (irregular.first && report.cadence !== undefined) {
    out.push(
      `${prefix(irregular.first.line)}${irregular.count} of ${report.steps} steps in ${column} are off the usual ${describeStep({ step: report.cadence, dates: report.dates })} (first at line ${irregular.first.line})`,
    );
  }
  return out;
}
