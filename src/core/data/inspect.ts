// What a new config needs to know about a data file before anyone has written one: its format,
// header and column types, the timestamp column and its cadence, the row count, value ranges,
// label-like columns and a repeating period. Reads through the core readers' own pieces (line
// streaming, CSV record splitting, cell and timestamp parsing, the lint probe's statistics), so
// the inspection, the linter and training read a file the same way.

import * as path from 'node:path';
import { CsvRecordAssembler, NOT_A_NUMBER, parseCell, parseLabel, splitUcrRecord } from './cells';
import { DataError } from './errors';
import { forEachLine } from './lines';
import { probeData, type ColumnStats } from './probe';
import { describeStep, isTimestampName, parseTimestamp } from './timestamps';

export { describeStep };

/** Rows whose cells are kept for type detection, cadence and period (the row count covers the whole file). */
export const SAMPLE_ROWS = 5000;

export type ColumnKind = 'timestamp' | 'label' | 'feature' | 'text';

export interface InspectedColumn {
  name: string;
  /** 0-based position in the row. */
  index: number;
  kind: ColumnKind;
  /** Numeric columns: statistics over the probe's rows. */
  stats?: ColumnStats;
  /** Label columns: how often each value occurs in the sample, most frequent first. */
  labelCounts?: Array<{ label: number | string; count: number }>;
  /** Why the column got its kind, for the config's comments. */
  reason: string;
}

export interface Cadence {
  /** Median step between consecutive timestamps in milliseconds (numeric stamps: in their own unit). */
  step: number;
  /** True when the stamps are dates (milliseconds), false when they are plain numbers. */
  dates: boolean;
  /** Share of steps that differ from the median by more than 1%. */
  irregularShare: number;
}

export interface Period {
  /** Steps between repeats of the pattern. */
  steps: number;
  /** Autocorrelation at that lag (0..1). */
  strength: number;
  /** Column the period was measured on. */
  column: string;
}

export interface DataInspection {
  /** Absolute path. */
  file: string;
  format: 'csv' | 'ucr';
  layout: 'series' | 'rows';
  columns: InspectedColumn[];
  /** Data rows in the whole file (header excluded, blank lines skipped). */
  rows: number;
  /** The rows the column types, cadence and period were taken from. */
  sampledRows: number;
  timestamp?: {
    column: string;
    cadence?: Cadence;
    /** First data row (0-based) and its line where the stamps go backwards or repeat (timestamps.ts), when they do. */
    disorder?: { row: number; line: number };
  };
  /** Names of the columns a model should read (CSV), or the value columns (UCR). */
  features: string[];
  label?: InspectedColumn;
  /** UCR: values per row besides the label (the sequence length). */
  sequenceLength?: number;
  period?: Period;
  /** Things the user should know before training (shown as comments in the new config). */
  notes: string[];
}

const LABEL_NAMES = /^(label|labels|class|target|anomaly|is_anomaly|anomalous|outlier|fault|y)$/i;
/** A numeric column with at most this many distinct integer values in the sample is label-like. */
const MAX_LABEL_VALUES = 10;

/** Reads `file` (CSV with a header, or UCR) and describes it; throws DataError naming the file and line. */
export async function inspectDataFile(file: string, signal?: AbortSignal): Promise<DataInspection> {
  const display = path.basename(file);
  const sample: string[][] = [];
  let header: string[] | undefined;
  let format: 'csv' | 'ucr' | undefined;
  let rows = 0;
  let firstRowLine = 0;
  const records = new CsvRecordAssembler();

  const take = (fields: string[], line: number): void => {
    if (format === 'csv' && header === undefined) {
      header = fields.map((f) => f.trim());
      return;
    }
    rows++;
    if (rows === 1) firstRowLine = line;
    if (sample.length < SAMPLE_ROWS) sample.push(fields);
  };

  try {
    await forEachLine(
      file,
      (text, line) => {
        // The format is sniffed from the first non-blank line; CSV records may span lines.
        if (format === undefined) {
          if (text.trim() === '') return true;
          format = sniffFormat(text, file);
        }
        if (format === 'ucr') {
          const fields = splitUcrRecord(text);
          if (fields.length > 0) take(fields, line);
          return true;
        }
        const record = records.push(text, line);
        if (record) take(record.fields, record.line);
        return !records.runaway;
      },
      signal,
    );
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${display}: cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const open = records.openSince;
  if (open !== undefined) throw new DataError(`${display}:${open}: quoted field is never closed`, { file, line: open });
  if (format === undefined) throw new DataError(`${display}: the file is empty: expected a CSV header and rows, or one UCR sequence per line`, { file, line: 1 });
  if (rows === 0) throw new DataError(`${display}:1: no data rows${header ? ' after the header' : ''}`, { file, line: 1 });

  const names = header ?? sample[0].map((_, i) => String(i));
  const width = names.length;
  const ragged = sample.findIndex((r) => r.length !== width);
  if (ragged >= 0) {
    const line = firstRowLine + ragged;
    throw new DataError(
      `${display}: row ${ragged + 1} of the data (near line ${line}) has ${sample[ragged].length} fields but ${header ? 'the header' : 'the first row'} has ${width}`,
      {
        file,
        line,
      },
    );
  }
  const probe = probeData(file, { format });
  const stats = probe.ok ? probe.probe.stats : {};
  return format === 'csv' ? describeCsv(file, names, sample, rows, stats) : describeUcr(file, sample, rows, stats);
}

/** CSV when the first line has a cell that is neither a number nor a missing marker (a header); UCR otherwise. */
function sniffFormat(firstLine: string, file: string): 'csv' | 'ucr' {
  if (/\.csv$/i.test(file)) return 'csv';
  const cells = splitUcrRecord(firstLine);
  return cells.some((c) => parseCell(c) === NOT_A_NUMBER) ? 'csv' : 'ucr';
}

function describeCsv(file: string, names: string[], sample: string[][], rows: number, stats: Record<string, ColumnStats>): DataInspection {
  const notes: string[] = [];
  const columns = names.map((name, index) => classifyColumn(name, index, sample, stats[name]));
  // Only the first timestamp-like column is the timestamp; a second one is text to leave out.
  const stamps = columns.filter((c) => c.kind === 'timestamp');
  for (const extra of stamps.slice(1)) {
    extra.kind = 'text';
    extra.reason = `looks like a second timestamp column (the first is "${stamps[0].name}")`;
  }
  const labels = columns.filter((c) => c.kind === 'label');
  const features = columns.filter((c) => c.kind === 'feature').map((c) => c.name);
  const text = columns.filter((c) => c.kind === 'text');
  if (text.length > 0) notes.push(`not numeric, left out: ${text.map((c) => `"${c.name}" (${c.reason})`).join(', ')}`);
  if (labels.length > 1) notes.push(`label-like columns: ${labels.map((c) => `"${c.name}"`).join(', ')}; "${labels[0].name}" is used as data.label`);
  const timestampColumn = stamps[0];
  const timestamp: DataInspection['timestamp'] = timestampColumn ? { column: timestampColumn.name, cadence: cadenceOf(sample.map((r) => r[timestampColumn.index])) } : undefined;
  if (timestamp) {
    // The linter's own analysis (TSAE116), so the new config and the linter agree.
    const probe = probeData(file, { format: 'csv', timestamp: timestamp.column });
    const report = probe.ok ? probe.probe.timestamps?.report() : undefined;
    const firsts = [report?.backwards.first, report?.duplicates.first].filter((p) => p !== undefined);
    if (firsts.length > 0) {
      const first = firsts.reduce((a, b) => (a.row <= b.row ? a : b));
      timestamp.disorder = { row: first.row, line: first.line };
      notes.push(`timestamps go backwards or repeat from line ${first.line}; data.maxRows stops before it (see TSAE116)`);
    }
  }
  if (timestamp?.cadence && timestamp.cadence.irregularShare > 0.05) {
    notes.push(
      `${Math.round(100 * timestamp.cadence.irregularShare)}% of the timestamp steps differ from the usual ${describeStep(timestamp.cadence)}: windows span different durations`,
    );
  }
  const firstFeature = columns.find((c) => c.kind === 'feature');
  const period = firstFeature ? periodOf(numericColumn(sample, firstFeature.index), firstFeature.name) : undefined;
  return {
    file,
    format: 'csv',
    layout: 'series',
    columns,
    rows,
    sampledRows: sample.length,
    timestamp,
    features,
    label: labels[0],
    period,
    notes,
  };
}

function describeUcr(file: string, sample: string[][], rows: number, stats: Record<string, ColumnStats>): DataInspection {
  const width = sample[0].length;
  const labelCounts = countLabels(sample.map((r) => r[0]));
  const label: InspectedColumn = { name: '0', index: 0, kind: 'label', labelCounts, reason: 'UCR files hold the class label in the first column' };
  const columns: InspectedColumn[] = [label];
  for (let i = 1; i < width; i++) columns.push({ name: String(i), index: i, kind: 'feature', stats: stats[String(i)], reason: 'a time step of the sequence' });
  const notes: string[] = [];
  if (labelCounts.length > MAX_LABEL_VALUES) notes.push(`column 0 has ${labelCounts.length} distinct values in the first ${sample.length} rows: check that it is a class label`);
  return {
    file,
    format: 'ucr',
    layout: 'rows',
    columns,
    rows,
    sampledRows: sample.length,
    features: columns.slice(1).map((c) => c.name),
    label,
    sequenceLength: width - 1,
    notes,
  };
}

function classifyColumn(name: string, index: number, sample: string[][], stats: ColumnStats | undefined): InspectedColumn {
  const cells = sample.map((r) => r[index] ?? '');
  const numbers = cells.map(parseCell);
  const numeric = numbers.filter((v): v is number => v !== NOT_A_NUMBER && !Number.isNaN(v));
  const textCells = numbers.filter((v) => v === NOT_A_NUMBER).length;
  if (isTimestampName(name) || (textCells > 0 && cells.every((c) => c.trim() === '' || parseTimestamp(c) !== undefined))) {
    const parsed = cells.filter((c) => parseTimestamp(c) !== undefined).length;
    if (parsed >= cells.length / 2) return { name, index, kind: 'timestamp', reason: isTimestampName(name) ? 'named like a timestamp' : 'its cells are dates' };
  }
  if (textCells > numeric.length) {
    const labelCounts = countLabels(cells);
    // A label repeats: few distinct values, each seen several times on average.
    const repeats = labelCounts.length <= MAX_LABEL_VALUES && labelCounts.length * 5 <= cells.length;
    if (LABEL_NAMES.test(name) || repeats) return { name, index, kind: 'label', labelCounts, reason: `${labelCounts.length} distinct text values` };
    return { name, index, kind: 'text', reason: 'text cells' };
  }
  if (numeric.length === 0) return { name, index, kind: 'text', reason: 'no values' };
  const distinct = new Set(numeric);
  const integers = numeric.every((v) => Number.isInteger(v));
  if (LABEL_NAMES.test(name) || (integers && distinct.size <= 2 && numeric.length >= 20 && /anom|label|class|flag|fault|outlier/i.test(name))) {
    return { name, index, kind: 'label', stats, labelCounts: countLabels(cells), reason: LABEL_NAMES.test(name) ? 'named like a label' : `${distinct.size} integer values` };
  }
  return { name, index, kind: 'feature', stats, reason: 'numeric' };
}

function countLabels(cells: string[]): Array<{ label: number | string; count: number }> {
  const counts = new Map<string, { label: number | string; count: number }>();
  for (const cell of cells) {
    const label = parseLabel(cell);
    const key = String(label);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { label, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || String(a.label).localeCompare(String(b.label)));
}

function numericColumn(sample: string[][], index: number): number[] {
  return sample.map((r) => parseCell(r[index] ?? '')).filter((v): v is number => v !== NOT_A_NUMBER && Number.isFinite(v));
}

/** Median step between consecutive parseable timestamps; undefined with fewer than 3 of them. */
export function cadenceOf(cells: string[]): Cadence | undefined {
  const times = cells.map(parseTimestamp).filter((t): t is number => t !== undefined);
  if (times.length < 3) return undefined;
  const steps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .filter((d) => d > 0);
  if (steps.length === 0) return undefined;
  const sorted = [...steps].sort((a, b) => a - b);
  const step = sorted[Math.floor(sorted.length / 2)];
  const irregular = steps.filter((d) => Math.abs(d - step) > 0.01 * step).length;
  const dates = cells.some((c) => c.trim() !== '' && !Number.isFinite(Number(c.trim())));
  return { step, dates, irregularShare: irregular / steps.length };
}

/** Lags at which a period is looked for: below 4 steps a window learns nothing of the shape. */
const MIN_PERIOD = 4;
/** An autocorrelation peak below this is noise, not a repeating pattern. */
const MIN_STRENGTH = 0.3;

/**
 * The repeat length of the series: past the autocorrelation's first trough, the first local
 * maximum within 0.1 of the highest one (so a period wins over its multiples) and above
 * MIN_STRENGTH. Undefined for series too short or without a repeating pattern.
 */
export function periodOf(values: number[], column: string): Period | undefined {
  const n = values.length;
  const maxLag = Math.min(Math.floor(n / 3), 2048);
  if (maxLag <= MIN_PERIOD + 1) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const centred = values.map((v) => v - mean);
  const variance = centred.reduce((s, v) => s + v * v, 0);
  if (variance === 0) return undefined;
  const acf = new Float64Array(maxLag + 2);
  acf[0] = 1;
  for (let lag = 1; lag <= maxLag + 1; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += centred[i] * centred[i + lag];
    acf[lag] = sum / variance;
  }
  let trough = 1;
  while (trough <= maxLag && !(acf[trough] <= acf[trough - 1] && acf[trough] < acf[trough + 1])) trough++;
  const peaks: number[] = [];
  for (let lag = Math.max(trough + 1, MIN_PERIOD); lag <= maxLag; lag++) {
    if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] >= MIN_STRENGTH && acf[lag] - acf[trough] > 0.1) peaks.push(lag);
  }
  if (peaks.length === 0) return undefined;
  const highest = Math.max(...peaks.map((lag) => acf[lag]));
  const steps = peaks.find((lag) => acf[lag] >= highest - 0.1)!;
  return { steps, strength: acf[steps], column };
}
